/**
 * The corpus: every example case and property, by group. A group's cases
 * live in cases/<group>.ts and its properties in properties/<group>.ts.
 */
import type { ExampleCase } from './cases/case.js';
import type { PropertyCase } from './properties/property.js';
import aclCases from './cases/acl.js';
import bitmapCases from './cases/bitmap.js';
import connectionCases from './cases/connection.js';
import genericCases from './cases/generic.js';
import geoCases from './cases/geo.js';
import hashCases from './cases/hash.js';
import hyperloglogCases from './cases/hyperloglog.js';
import listCases from './cases/list.js';
import serverCases from './cases/server.js';
import setCases from './cases/set.js';
import sortedSetCases from './cases/sorted-set.js';
import stringCases from './cases/string.js';
import transactionsCases from './cases/transactions.js';
import { hashProperties, listProperties, setProperties, sortedSetProperties } from './properties/collections.js';
import { genericProperties } from './properties/generic.js';
import { miscProperties, geoHllProperties } from './properties/misc.js';
import { stringProperties } from './properties/string.js';
import { streamProperties } from './properties/stream.js';
import { trackingProperties } from './properties/tracking.js';

const EXAMPLES: readonly (readonly ExampleCase[])[] = [
  stringCases, bitmapCases, genericCases, connectionCases, serverCases, transactionsCases,
  hashCases, listCases, setCases, sortedSetCases, geoCases, hyperloglogCases, aclCases,
];
const PROPERTIES: readonly (readonly PropertyCase[])[] = [
  stringProperties, genericProperties, hashProperties, listProperties, setProperties, sortedSetProperties, miscProperties,
  geoHllProperties, streamProperties, trackingProperties,
];

export function allExamples(): ExampleCase[] {
  return EXAMPLES.flat();
}

export function allProperties(): PropertyCase[] {
  return PROPERTIES.flat();
}

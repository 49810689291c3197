/** Every implemented command group, one file per Valkey command group. */
import type { CommandGroup } from '../command.js';
import { aclCommands } from './acl.js';
import { bitmapCommands } from './bitmap.js';
import { clusterCommands } from './cluster.js';
import { slotMigrationCommands } from './cluster-migration.js';
import { connectionCommands } from './connection.js';
import { debugCommands } from './debug.js';
import { genericCommands } from './generic.js';
import { geoCommands } from './geo.js';
import { hashCommands } from './hash.js';
import { hyperloglogCommands } from './hyperloglog.js';
import { introspectionCommands } from './introspection.js';
import { listCommands } from './list.js';
import { migrateCommands } from './migrate.js';
import { pubsubCommands } from './pubsub.js';
import { scriptingCommands } from './scripting.js';
import { serverCommands } from './server.js';
import { setCommands } from './set.js';
import { sortCommands } from './sort.js';
import { streamCommands } from './stream.js';
import { stringCommands } from './string.js';
import { transactionsCommands } from './transactions.js';
import { zsetCommands } from './zset.js';

export const ALL_GROUPS: readonly CommandGroup[] = [
  aclCommands,
  bitmapCommands,
  clusterCommands,
  slotMigrationCommands,
  connectionCommands,
  debugCommands,
  genericCommands,
  geoCommands,
  hashCommands,
  hyperloglogCommands,
  introspectionCommands,
  listCommands,
  migrateCommands,
  pubsubCommands,
  scriptingCommands,
  serverCommands,
  setCommands,
  sortCommands,
  streamCommands,
  stringCommands,
  transactionsCommands,
  zsetCommands,
];

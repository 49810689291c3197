/**
 * fast-check arbitraries for the protocol's tests: byte strings and random
 * reply trees of every kind (attributes and pinned replies included).
 */
import fc from 'fast-check';
import { R, type Reply } from '../reply.js';

/** A byte string without CR or LF (simple strings, error texts). */
export const line = fc.string({ unit: fc.integer({ min: 0, max: 255 }).filter((c) => c !== 10 && c !== 13).map((c) => String.fromCharCode(c)), maxLength: 20 });
/** Any byte string. */
export const bytes = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 40 });

/** A random reply tree. */
export const { reply } = fc.letrec<{ reply: Reply; scalar: Reply; aggregate: Reply }>((tie) => ({
  reply: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('scalar'), tie('aggregate')),
  scalar: fc.oneof(
    line.map(R.simple),
    line.map((s) => R.error('ERR ' + s)),
    fc.integer().map(R.int),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(R.int),
    bytes.map(R.bulk),
    fc.constantFrom(R.null, R.nullArray, R.ok, R.emptyArray),
    fc.double().map(R.double),
    fc.boolean().map(R.bool),
    fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map((b) => R.bignum(b.toString())),
    fc.tuple(bytes, fc.constantFrom('txt', 'mkd')).map(([v, f]) => R.verbatim(v, f)),
  ),
  aggregate: fc.oneof(
    fc.array(tie('reply'), { maxLength: 5 }).map(R.array),
    fc.array(tie('reply'), { maxLength: 5 }).map(R.set),
    fc.array(tie('reply'), { maxLength: 5 }).map(R.push),
    fc.array(fc.tuple(tie('reply'), tie('reply')), { maxLength: 4 }).map(R.map),
    fc.tuple(fc.array(fc.tuple(tie('scalar'), tie('reply')), { maxLength: 2 }), tie('reply')).map(([a, v]) => R.attr(a, v)),
    fc.tuple(fc.constantFrom(2 as const, 3 as const), tie('reply')).map(([resp, v]): Reply => ({ t: 'pinned', resp, v })),
  ),
}));


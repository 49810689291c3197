/**
 * Sorted set values: a skiplist with spans (rank queries in O(log n)) plus a
 * member → node map, ordered by score then by member bytes (memcmp, shorter
 * first on a common prefix), as Valkey's t_zset.c.
 *
 * Valkey keeps small sorted sets in a listpack and big ones in a skiplist;
 * the two encodings answer some edge cases differently, so the value records
 * which one Valkey would be using (`listpack`) and the command layer follows
 * its conversion rules. What the listpack changes is modelled here:
 * - a score stored in a listpack is written as an integer when it is one
 *   (double2ll), so -0 reads back as 0;
 * - lexicographic lookups walk the listpack from one end (linear scans),
 *   which differs from the skiplist's descent when scores are not all equal.
 */
import type { Bytes } from '../../protocol/index.js';

/** Valkey's ZSKIPLIST_MAXLEVEL. */
const MAX_LEVEL = 32;

export interface ZNode {
  readonly member: Bytes;
  score: number;
  /** The previous node (null for the first). */
  backward: ZNode | null;
  /** Forward pointers per level. */
  readonly next: (ZNode | null)[];
  /** Per level: how many level-0 steps the forward pointer jumps. */
  readonly span: number[];
}

/** A score interval: min/max with exclusive flags (zrangespec). */
export interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

/** One end of a lexicographic interval: '-' (min), '+' (max), or a string. */
export type LexBound = { readonly kind: 'min' } | { readonly kind: 'max' } | { readonly kind: 'str'; readonly value: Bytes };

/** A lexicographic interval (zlexrangespec). */
export interface LexRange {
  min: LexBound;
  max: LexBound;
  minex: boolean;
  maxex: boolean;
}

export function scoreGteMin(v: number, r: ScoreRange): boolean {
  return r.minex ? v > r.min : v >= r.min;
}

export function scoreLteMax(v: number, r: ScoreRange): boolean {
  return r.maxex ? v < r.max : v <= r.max;
}

/** memcmp order of byte strings (latin1): JS string order is exactly that. */
export function cmpBytes(a: Bytes, b: Bytes): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** sdscmplex of a member against a bound. */
function lexCmp(v: Bytes, b: LexBound): number {
  if (b.kind === 'min') return 1;
  if (b.kind === 'max') return -1;
  return cmpBytes(v, b.value);
}

/** sdscmplex of two bounds: the same sentinel compares equal. */
function boundCmp(a: LexBound, b: LexBound): number {
  if (a.kind !== 'str' && a.kind === b.kind) return 0;
  if (a.kind === 'min' || b.kind === 'max') return -1;
  if (a.kind === 'max' || b.kind === 'min') return 1;
  return cmpBytes(a.value, (b as { value: Bytes }).value);
}

export function lexGteMin(v: Bytes, r: LexRange): boolean {
  const c = lexCmp(v, r.min);
  return r.minex ? c > 0 : c >= 0;
}

export function lexLteMax(v: Bytes, r: LexRange): boolean {
  const c = lexCmp(v, r.max);
  return r.maxex ? c < 0 : c <= 0;
}

/** A score range that can hold nothing (min > max, or min == max with an open end). */
export function scoreRangeEmpty(r: ScoreRange): boolean {
  return r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
}

export function lexRangeEmpty(r: LexRange): boolean {
  const c = boundCmp(r.min, r.max);
  return c > 0 || (c === 0 && (r.minex || r.maxex));
}

/** Advances a skiplist's xorshift state (random node levels). */
function nextLevelState(seed: number): number {
  let x = seed;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return x >>> 0;
}

/** A node level from the state: p = 1/4 per level, two bits per level as Valkey counts leading zero pairs. */
function levelOf(state: number): number {
  const clz = Math.clz32(state);
  return clz === 32 ? 17 : (clz >> 1) + 1;
}

function newNode(level: number, score: number, member: Bytes): ZNode {
  // Packed arrays (pushed, not preallocated): faster element access.
  const next: (ZNode | null)[] = [];
  const span: number[] = [];
  for (let i = 0; i < level; i++) {
    next.push(null);
    span.push(0);
  }
  return { member, score, backward: null, next, span };
}

/** Is `n` (score, member) ordered before (score, member)? */
function before(n: ZNode, score: number, member: Bytes): boolean {
  return n.score < score || (n.score === score && n.member < member);
}

/** Is `n` ordered before or equal to (score, member)? */
function beforeOrAt(n: ZNode, score: number, member: Bytes): boolean {
  return n.score < score || (n.score === score && n.member <= member);
}

// Scratch arrays for insert/delete: the engine is single-threaded.
const UPDATE: ZNode[] = new Array<ZNode>(MAX_LEVEL);
const RANK: number[] = new Array<number>(MAX_LEVEL).fill(0);

/** The skiplist: ordered nodes with spans, as zskiplist. */
export class SkipList {
  readonly header: ZNode = newNode(MAX_LEVEL, -Infinity, '');
  tail: ZNode | null = null;
  length = 0;
  level = 1;
  /** Each list draws its own levels: no state is shared between sets or engines. */
  private levelSeed = 0x2545f491;

  first(): ZNode | null {
    return this.header.next[0]!;
  }

  /** Inserts a node; the member must not be present. */
  insert(score: number, member: Bytes): ZNode {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      RANK[i] = i === this.level - 1 ? 0 : RANK[i + 1]!;
      let f: ZNode | null;
      while ((f = x.next[i]!) !== null && before(f, score, member)) {
        RANK[i]! += x.span[i]!;
        x = f;
      }
      UPDATE[i] = x;
    }
    this.levelSeed = nextLevelState(this.levelSeed);
    const level = levelOf(this.levelSeed);
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        RANK[i] = 0;
        UPDATE[i] = this.header;
        this.header.span[i] = this.length;
      }
      this.level = level;
    }
    const node = newNode(level, score, member);
    for (let i = 0; i < level; i++) {
      const u = UPDATE[i]!;
      node.next[i] = u.next[i]!;
      u.next[i] = node;
      node.span[i] = u.span[i]! - (RANK[0]! - RANK[i]!);
      u.span[i] = RANK[0]! - RANK[i]! + 1;
    }
    for (let i = level; i < this.level; i++) UPDATE[i]!.span[i]!++;
    node.backward = UPDATE[0] === this.header ? null : UPDATE[0]!;
    const n0 = node.next[0]!;
    if (n0 !== null) n0.backward = node;
    else this.tail = node;
    this.length++;
    return node;
  }

  /** Removes the node holding (score, member); false when absent. */
  delete(score: number, member: Bytes): boolean {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f: ZNode | null;
      while ((f = x.next[i]!) !== null && before(f, score, member)) x = f;
      UPDATE[i] = x;
    }
    const node = x.next[0]!;
    if (node === null || node.score !== score || node.member !== member) return false;
    this.unlink(node);
    return true;
  }

  /** zslDeleteNode with UPDATE filled for `node`. */
  private unlink(node: ZNode): void {
    for (let i = 0; i < this.level; i++) {
      const u = UPDATE[i]!;
      if (u.next[i] === node) {
        u.span[i]! += node.span[i]! - 1;
        u.next[i] = node.next[i]!;
      } else {
        u.span[i]!--;
      }
    }
    const n0 = node.next[0]!;
    if (n0 !== null) n0.backward = node.backward;
    else this.tail = node.backward;
    while (this.level > 1 && this.header.next[this.level - 1] === null) this.level--;
    this.length--;
  }

  /** 1-based rank of (score, member), 0 when absent. */
  rank(score: number, member: Bytes): number {
    let x = this.header;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let f: ZNode | null;
      while ((f = x.next[i]!) !== null && beforeOrAt(f, score, member)) {
        rank += x.span[i]!;
        x = f;
      }
      if (x !== this.header && x.member === member && x.score === score) return rank;
    }
    return 0;
  }

  /** The node at a 1-based rank, or null. */
  byRank(rank: number): ZNode | null {
    if (rank < 1 || rank > this.length) return null;
    let x = this.header;
    let traversed = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let f: ZNode | null;
      while ((f = x.next[i]!) !== null && traversed + x.span[i]! <= rank) {
        traversed += x.span[i]!;
        x = f;
      }
      if (traversed === rank) return x;
    }
    return null;
  }

  /**
   * Descends while `pred` holds for the next node (a predicate true on a
   * prefix of the list): the number of nodes passed, i.e. the 1-based rank
   * of the last node for which it holds (0 if none).
   */
  countWhile(pred: (n: ZNode) => boolean): number {
    let x = this.header;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let f: ZNode | null;
      while ((f = x.next[i]!) !== null && pred(f)) {
        rank += x.span[i]!;
        x = f;
      }
    }
    return rank;
  }
}

/** A sorted set value. */
export class ZSet {
  /** Valkey would hold this set in a listpack (OBJECT ENCODING 'listpack'), else 'skiplist'. */
  listpack: boolean;
  private readonly dict = new Map<Bytes, ZNode>();
  readonly zsl = new SkipList();

  constructor(listpack: boolean) {
    this.listpack = listpack;
  }

  get size(): number {
    return this.zsl.length;
  }

  get encoding(): 'listpack' | 'skiplist' {
    return this.listpack ? 'listpack' : 'skiplist';
  }

  /** A listpack stores integral scores as integers: -0 becomes 0. */
  private stored(score: number): number {
    return this.listpack && score === 0 ? 0 : score;
  }

  score(member: Bytes): number | undefined {
    return this.dict.get(member)?.score;
  }

  has(member: Bytes): boolean {
    return this.dict.has(member);
  }

  /** Adds a member that is not present. */
  insert(member: Bytes, score: number): void {
    this.dict.set(member, this.zsl.insert(this.stored(score), member));
  }

  /** Changes the score of a present member. */
  update(member: Bytes, score: number): void {
    const n = this.dict.get(member)!;
    this.zsl.delete(n.score, member);
    this.dict.set(member, this.zsl.insert(this.stored(score), member));
  }

  /** Adds or updates. */
  set(member: Bytes, score: number): void {
    if (this.dict.has(member)) this.update(member, score);
    else this.insert(member, score);
  }

  delete(member: Bytes): boolean {
    const n = this.dict.get(member);
    if (n === undefined) return false;
    this.dict.delete(member);
    this.zsl.delete(n.score, member);
    return true;
  }

  /** 0-based rank from the lowest score, or -1. */
  rank(member: Bytes): number {
    const n = this.dict.get(member);
    return n === undefined ? -1 : this.zsl.rank(n.score, member) - 1;
  }

  /** The node at a 0-based rank (from the lowest score), or null. */
  at(rank: number): ZNode | null {
    return this.zsl.byRank(rank + 1);
  }

  first(): ZNode | null {
    return this.zsl.first();
  }

  last(): ZNode | null {
    return this.zsl.tail;
  }

  members(): IterableIterator<Bytes> {
    return this.dict.keys();
  }

  /** Listpack → skiplist (no visible change apart from the encoding). */
  toSkiplist(): void {
    this.listpack = false;
  }

  /** Skiplist → listpack: -0 scores are stored as 0 from now on. */
  toListpack(): void {
    if (this.listpack) return;
    this.listpack = true;
    for (let n = this.zsl.first(); n !== null; n = n.next[0]!) if (n.score === 0) n.score = 0;
  }

  /** An independent copy with the same encoding (COPY). */
  clone(): ZSet {
    const z = new ZSet(this.listpack);
    for (let n = this.zsl.tail; n !== null; n = n.backward) z.insert(n.member, n.score);
    return z;
  }

  /** [member, score] pairs in order. */
  toArray(): [Bytes, number][] {
    const out: [Bytes, number][] = [];
    for (let n = this.zsl.first(); n !== null; n = n.next[0]!) out.push([n.member, n.score]);
    return out;
  }

  // --- score ranges (the predicates are monotone: both encodings agree) ---

  /** zslIsInRange / zzlIsInRange. */
  inRange(r: ScoreRange): boolean {
    if (scoreRangeEmpty(r)) return false;
    const t = this.zsl.tail;
    if (t === null || !scoreGteMin(t.score, r)) return false;
    return scoreLteMax(this.zsl.first()!.score, r);
  }

  /**
   * zslNthInRange: the n-th node in range (0-based), or from the end for a
   * negative n (-1 = last); null when there is none.
   */
  nthInRange(r: ScoreRange, n: number): ZNode | null {
    if (!this.inRange(r)) return null;
    if (n >= 0) {
      const start = this.zsl.countWhile((x) => !scoreGteMin(x.score, r));
      if (start + n >= this.size) return null;
      const x = this.zsl.byRank(start + n + 1)!;
      return scoreLteMax(x.score, r) ? x : null;
    }
    const end = this.zsl.countWhile((x) => scoreLteMax(x.score, r));
    if (end < -n) return null;
    const x = this.zsl.byRank(end + n + 1)!;
    return scoreGteMin(x.score, r) ? x : null;
  }

  /** ZCOUNT. */
  countInRange(r: ScoreRange): number {
    if (!this.inRange(r)) return 0;
    const below = this.zsl.countWhile((x) => !scoreGteMin(x.score, r));
    const upTo = this.zsl.countWhile((x) => scoreLteMax(x.score, r));
    return Math.max(0, upTo - below);
  }

  /** ZREMRANGEBYSCORE: removes the members in range from the first one on, as long as they stay in range. */
  deleteRangeByScore(r: ScoreRange): number {
    let x = this.nthInRange(r, 0);
    let removed = 0;
    while (x !== null && scoreLteMax(x.score, r)) {
      const next = x.next[0]!;
      this.delete(x.member);
      removed++;
      x = next;
    }
    return removed;
  }

  /** ZREMRANGEBYRANK with 0-based inclusive bounds (already clamped). */
  deleteRangeByRank(start: number, end: number): number {
    let x = this.at(start);
    let removed = 0;
    for (let i = start; i <= end && x !== null; i++) {
      const next = x.next[0]!;
      this.delete(x.member);
      removed++;
      x = next;
    }
    return removed;
  }

  // --- lexicographic ranges ---
  // With equal scores the member order is the list order and both encodings
  // agree. Otherwise Valkey's answer depends on how the encoding is walked:
  // a listpack is scanned from one end, which is reproduced exactly here.

  /** zslIsInLexRange / zzlIsInLexRange. */
  inLexRange(r: LexRange): boolean {
    if (lexRangeEmpty(r)) return false;
    const t = this.zsl.tail;
    if (t === null || !lexGteMin(t.member, r)) return false;
    return lexLteMax(this.zsl.first()!.member, r);
  }

  /** The first node in the lex range (zzlFirstInLexRange / zslNthInLexRange(0)). */
  firstInLex(r: LexRange): ZNode | null {
    return this.nthInLexRange(r, 0);
  }

  /**
   * zslNthInLexRange, or for a listpack its scans from either end followed
   * by plain steps; null when the node reached is out of range.
   */
  nthInLexRange(r: LexRange, n: number): ZNode | null {
    if (!this.inLexRange(r)) return null;
    if (this.listpack) {
      // zzlFirstInLexRange / zzlLastInLexRange, then plain steps.
      let x: ZNode | null;
      if (n >= 0) {
        x = this.zsl.first();
        while (x !== null && !lexGteMin(x.member, r)) x = x.next[0]!;
        if (x === null || !lexLteMax(x.member, r)) return null;
        for (let i = 0; i < n && x !== null; i++) x = x.next[0]!;
        if (x !== null && !lexLteMax(x.member, r)) return null;
      } else {
        x = this.zsl.tail;
        while (x !== null && !lexLteMax(x.member, r)) x = x.backward;
        if (x === null || !lexGteMin(x.member, r)) return null;
        for (let i = 0; i < -n - 1 && x !== null; i++) x = x.backward;
        if (x !== null && !lexGteMin(x.member, r)) return null;
      }
      return x;
    }
    if (n >= 0) {
      const start = this.zsl.countWhile((x) => !lexGteMin(x.member, r));
      if (start + n >= this.size) return null;
      const x = this.zsl.byRank(start + n + 1)!;
      return lexLteMax(x.member, r) ? x : null;
    }
    const end = this.zsl.countWhile((x) => lexLteMax(x.member, r));
    if (end < -n) return null;
    const x = this.zsl.byRank(end + n + 1)!;
    return lexGteMin(x.member, r) ? x : null;
  }

  /** ZLEXCOUNT. */
  countInLexRange(r: LexRange): number {
    if (this.listpack) {
      let x = this.firstInLex(r);
      let count = 0;
      while (x !== null && lexLteMax(x.member, r)) {
        count++;
        x = x.next[0]!;
      }
      return count;
    }
    const first = this.nthInLexRange(r, 0);
    if (first === null) return 0;
    let count = this.size - (this.zsl.rank(first.score, first.member) - 1);
    const last = this.nthInLexRange(r, -1);
    if (last !== null) count -= this.size - this.zsl.rank(last.score, last.member);
    return count;
  }

  /** ZREMRANGEBYLEX. */
  deleteRangeByLex(r: LexRange): number {
    let x = this.firstInLex(r);
    let removed = 0;
    while (x !== null && lexLteMax(x.member, r)) {
      const next = x.next[0]!;
      this.delete(x.member);
      removed++;
      x = next;
    }
    return removed;
  }
}

/** zset-max-listpack-entries / -value (the engine keeps them live: engine.zsetLimits). */
export interface ZsetLimits {
  entries: number;
  value: number;
}

/** The parameters ZsetLimits derive from. */
export const ZSET_LIMIT_PARAMS = ['zset-max-listpack-entries', 'zset-max-listpack-value'] as const;

export function readZsetLimits(cfg: { getInt(name: string): number }): ZsetLimits {
  return { entries: cfg.getInt('zset-max-listpack-entries'), value: cfg.getInt('zset-max-listpack-value') };
}

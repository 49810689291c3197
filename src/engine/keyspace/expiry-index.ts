/**
 * A min-heap of (due time, item) pairs: the one index behind active expiry of
 * keys (and, with the hash type, of fields). Entries are never removed in
 * place; a popped entry is checked against the item's current deadline by the
 * caller (lazy deletion), so rescheduling is a push.
 */
export class ExpiryIndex<T> {
  private at: number[] = [];
  private items: T[] = [];

  get size(): number {
    return this.at.length;
  }

  push(at: number, item: T): void {
    const a = this.at;
    const it = this.items;
    let i = a.length;
    a.push(at);
    it.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]! <= at) break;
      a[i] = a[parent]!;
      it[i] = it[parent]!;
      i = parent;
    }
    a[i] = at;
    it[i] = item;
  }

  /** Earliest due time, or Infinity when empty. */
  peekTime(): number {
    return this.at.length ? this.at[0]! : Infinity;
  }

  /** Pops every entry due at or before `now`, calling `fn(item, at)` for each. */
  popDue(now: number, fn: (item: T, at: number) => void): void {
    while (this.at.length && this.at[0]! <= now) {
      const at = this.at[0]!;
      const item = this.items[0]!;
      this.pop();
      fn(item, at);
    }
  }

  /** The item with the earliest due time, or undefined when empty. */
  peekItem(): T | undefined {
    return this.items[0];
  }

  /** Removes the earliest entry (a stale one found by peekItem). */
  shift(): void {
    if (this.at.length) this.pop();
  }

  clear(): void {
    this.at = [];
    this.items = [];
  }

  private pop(): void {
    const a = this.at;
    const it = this.items;
    const lastAt = a.pop()!;
    const lastItem = it.pop()!;
    const n = a.length;
    if (n === 0) return;
    let i = 0;
    while (true) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && a[r]! < a[l]! ? r : l;
      if (a[c]! >= lastAt) break;
      a[i] = a[c]!;
      it[i] = it[c]!;
      i = c;
    }
    a[i] = lastAt;
    it[i] = lastItem;
  }
}

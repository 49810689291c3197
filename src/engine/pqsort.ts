/**
 * Valkey's pqsort (pqsort.c): Bentley & McIlroy's quicksort that only recurses
 * into partitions overlapping the wanted range [lr, rr] (element indexes), so
 * positions lr..rr end up holding what a full sort would put there. It is not
 * stable, and the order it leaves among equal elements shows in SORT ... LIMIT
 * and GEOSEARCH ... COUNT replies, so this follows pqsort.c's steps exactly.
 */
export function pqsort<T>(v: T[], cmp: (a: T, b: T) => number, lr: number, rr: number): void {
  part(v, 0, v.length, cmp, lr, rr);
}

function swap<T>(v: T[], i: number, j: number): void {
  const t = v[i]!;
  v[i] = v[j]!;
  v[j] = t;
}

function med3<T>(v: T[], a: number, b: number, c: number, cmp: (a: T, b: T) => number): number {
  return cmp(v[a]!, v[b]!) < 0
    ? (cmp(v[b]!, v[c]!) < 0 ? b : cmp(v[a]!, v[c]!) < 0 ? c : a)
    : (cmp(v[b]!, v[c]!) > 0 ? b : cmp(v[a]!, v[c]!) < 0 ? a : c);
}

/** Is the wanted range entirely outside [l, r]? */
function outside(lr: number, rr: number, l: number, r: number): boolean {
  return (lr < l && rr < l) || (lr > r && rr > r);
}

function part<T>(v: T[], a: number, n: number, cmp: (a: T, b: T) => number, lr: number, rr: number): void {
  for (;;) {
    if (n < 7) {
      for (let pm = a + 1; pm < a + n; pm++) {
        for (let pl = pm; pl > a && cmp(v[pl - 1]!, v[pl]!) > 0; pl--) swap(v, pl, pl - 1);
      }
      return;
    }
    let pm = a + Math.floor(n / 2);
    if (n > 7) {
      let pl = a;
      let pn = a + n - 1;
      if (n > 40) {
        const d = Math.floor(n / 8);
        pl = med3(v, pl, pl + d, pl + 2 * d, cmp);
        pm = med3(v, pm - d, pm, pm + d, cmp);
        pn = med3(v, pn - 2 * d, pn - d, pn, cmp);
      }
      pm = med3(v, pl, pm, pn, cmp);
    }
    swap(v, a, pm);
    let pa = a + 1;
    let pb = pa;
    let pc = a + n - 1;
    let pd = pc;
    for (;;) {
      let c: number;
      while (pb <= pc && (c = cmp(v[pb]!, v[a]!)) <= 0) {
        if (c === 0) swap(v, pa++, pb);
        pb++;
      }
      while (pb <= pc && (c = cmp(v[pc]!, v[a]!)) >= 0) {
        if (c === 0) swap(v, pc, pd--);
        pc--;
      }
      if (pb > pc) break;
      swap(v, pb++, pc--);
    }
    const pn = a + n;
    let r = Math.min(pa - a, pb - pa);
    for (let i = 0; i < r; i++) swap(v, a + i, pb - r + i);
    r = Math.min(pd - pc, pn - pd - 1);
    for (let i = 0; i < r; i++) swap(v, pb + i, pn - r + i);
    if ((r = pb - pa) > 1 && !outside(lr, rr, a, a + r - 1)) part(v, a, r, cmp, lr, rr);
    if ((r = pd - pc) > 1) {
      a = pn - r;
      n = r;
      if (!outside(lr, rr, a, a + r - 1)) continue;
    }
    return;
  }
}

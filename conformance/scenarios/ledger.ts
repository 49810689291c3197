/**
 * The checker behind the write scenarios. Every write is an INCRBY of its own
 * fresh key by its own delta, so the server's value afterwards says how many
 * times it ran (value / delta), and a reply tells whether it belongs to its
 * request (it must be the delta itself):
 *   - an acknowledged write whose key is absent: a lost acknowledged write;
 *   - a value of 2 × delta or more: the command ran twice (a resend);
 *   - an acknowledgement other than the delta: a reply matched to the wrong request;
 *   - in a transaction, some writes ran and others not: a broken MULTI.
 */
import type { Outcome, Stage, Val } from './types.js';

export interface Write {
  readonly key: string;
  readonly delta: number;
  outcome?: Outcome;
}

export class Ledger {
  readonly writes: Write[] = [];

  constructor(private readonly prefix: string, first = 100) {
    this.next = first;
  }
  private next: number;

  /** A new write: INCRBY <prefix>w:<n> <delta>. */
  add(): Write {
    const delta = this.next++;
    const w: Write = { key: `${this.prefix}w:${delta}`, delta };
    this.writes.push(w);
    return w;
  }

  static command(w: Write): string[] {
    return ['INCRBY', w.key, String(w.delta)];
  }

  /** Records EXEC's outcome on the writes of the transaction. */
  static recordExec(ws: readonly Write[], o: Outcome): void {
    ws.forEach((w, i) => {
      if (!o.ok) w.outcome = o;
      else if (Array.isArray(o.value)) {
        const v = (o.value as readonly Val[])[i];
        w.outcome = typeof v === 'string' && v.startsWith('!') ? { ok: false, error: v.slice(1), kind: 'reply' } : { ok: true, value: v ?? null };
      } else w.outcome = { ok: false, error: `EXEC answered ${JSON.stringify(o.value)}`, kind: 'reply' };
    });
  }

  /** How many times each write ran, read from the server. */
  async runs(stage: Stage): Promise<number[]> {
    const out: number[] = [];
    for (const w of this.writes) {
      const v = await stage.direct(['GET', w.key]);
      out.push(v === null ? 0 : Number(v) / w.delta);
    }
    return out;
  }

  /** The guarantees broken, in words (empty when none). */
  async problems(stage: Stage, opts: { atomic?: readonly Write[] } = {}): Promise<string[]> {
    const runs = await this.runs(stage);
    const out: string[] = [];
    this.writes.forEach((w, i) => {
      const n = runs[i]!;
      const o = w.outcome;
      const name = `INCRBY ${w.key.slice(this.prefix.length)} ${w.delta}`;
      if (!Number.isInteger(n)) out.push(`${name}: the server holds ${n * w.delta}, not a multiple of the delta`);
      else if (n > 1) out.push(`${name} ran ${n}× for one call (duplicated)${o?.ok ? `, acknowledged with ${JSON.stringify(o.value)}` : ''}`);
      if (o?.ok) {
        if (n === 0) out.push(`${name} was acknowledged (${JSON.stringify(o.value)}) but is not on the server (lost acknowledged write)`);
        else if (o.value !== String(w.delta) && !(n > 1 && o.value === String(n * w.delta))) {
          out.push(`${name} was answered ${JSON.stringify(o.value)} (a reply matched to the wrong request)`);
        }
      }
    });
    if (opts.atomic) {
      const ran = opts.atomic.map((w) => runs[this.writes.indexOf(w)]!);
      if (new Set(ran.map((n) => n > 0)).size > 1) out.push(`the transaction ran in part (runs per write: ${ran.join(', ')})`);
    }
    return out;
  }
}

/** "ok", or the error of an outcome, in a few words. */
export function describe(o: Outcome | undefined): string {
  if (!o) return 'not sent';
  if (o.ok) return `ok ${JSON.stringify(o.value)}`;
  const msg = o.error.length > 60 ? `${o.error.slice(0, 57)}...` : o.error;
  return `${o.kind} error (${msg})`;
}

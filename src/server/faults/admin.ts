/**
 * The admin commands of valkey-double, for clients in another process: the
 * DOUBLE.* namespace (a module-style dotted name no Valkey command has).
 * Off unless the server is made with `faults: { admin: true }`; then the
 * fault layer answers them before the engine sees them, so COMMAND, COMMAND
 * COUNT, MONITOR and the command table know nothing of them. Off, they get
 * Valkey's unknown-command error from the engine.
 *
 *   DOUBLE.FAULT ADD <json FaultSpec>          -> rule id
 *   DOUBLE.FAULT REFUSE [<json {addr,how}>]    -> rule id (refuses the next connection; "persist": true for all)
 *   DOUBLE.FAULT PAUSE [<json {client,ms}>]    -> rule id (stops reading connections)
 *   DOUBLE.FAULT PUSH <json [strings]> [<json {client}>] -> connections reached
 *   DOUBLE.FAULT RELEASE [id] | CLEAR [id]     -> count
 *   DOUBLE.FAULT LIST | PENDING | HISTORY [n] | FIRED [n] -> JSON text
 *   DOUBLE.FAULT SEED [seed] | RESET [seed]
 *   DOUBLE.CLOCK NOW | ADVANCE <ms> | SET <epoch ms>   (a virtual clock only)
 */
import { R, type Bytes, type Reply } from '../../protocol/index.js';
import type { Clock } from '../../time/index.js';
import type { FaultScope, FaultSpec, Faults } from './faults.js';

export interface AdminContext {
  faults: Faults;
  clock: Clock;
  authRequired(): boolean;
}

export function isAdminCommand(name: Bytes): boolean {
  return name.length > 7 && name.slice(0, 7).toLowerCase() === 'double.';
}

const FAULT_HELP = [
  'DOUBLE.FAULT <subcommand> [<arg> ...]. Subcommands are:',
  'ADD <json>',
  '    Add a fault rule: {"command":"GET","key":"k*","client":{"name":"x"},"nth":2,"probability":0.5,',
  '    "effect":{"kind":"error","error":"LOADING"},"times":1,"persist":false,"until":<ms>,"delay":{"ms":10,"clock":"real"}}.',
  'REFUSE [<json>]', '    Close new connections ({"addr":"glob","how":"end|reset","times":n,"persist":true}).',
  'PAUSE [<json>]', '    Stop reading matching connections ({"client":{...},"ms":n}) until RELEASE.',
  'PUSH <json array> [<json>]', '    Send a push to matching connections ({"client":{...}}).',
  'RELEASE [<id>]', '    Let hung requests go on and end pauses (of one rule, or all).',
  'CLEAR [<id>]', '    Remove one rule, or all.',
  'LIST', '    The rules in effect, as JSON.',
  'PENDING', '    The rules still expected to fire, as JSON.',
  'HISTORY [<count>]', '    The last requests seen, as JSON.',
  'FIRED [<count>]', '    The last faults that fired, as JSON.',
  'SEED [<seed>]', '    The seed of probabilistic faults, or restart the generator from one.',
  'RESET [<seed>]', '    Remove every rule and record; restart the generator.',
  'HELP', '    Print this help.',
];

/** JSON sent as bytes: the bulk string holds UTF-8. */
function parseJson(arg: Bytes): unknown {
  return JSON.parse(Buffer.from(arg, 'latin1').toString('utf8')) as unknown;
}

function json(v: unknown): Reply {
  return R.bulk(Buffer.from(JSON.stringify(v), 'utf8').toString('latin1'));
}

function int(arg: Bytes | undefined, what: string): number {
  const n = Number(arg);
  if (arg === undefined || arg === '' || !Number.isSafeInteger(n)) throw new AdminError(`ERR ${what} must be an integer`);
  return n;
}

class AdminError extends Error {}

function scopeJson(s: FaultScope): unknown {
  return { id: s.id, kind: s.rule.kind, effect: s.rule.spec.effect.kind, matched: s.matched, fired: s.fired, pending: s.pending, rule: s.toString() };
}

/** `conn` is a server Connection, or the fault proxy's (anything that says whether its client authenticated). */
export function handleAdmin(ctx: AdminContext, conn: { readonly client: { readonly authenticated: boolean } }, argv: readonly Bytes[]): Reply {
  if (ctx.authRequired() && !conn.client.authenticated) return R.error('NOAUTH Authentication required.');
  const cmd = argv[0]!.toLowerCase();
  try {
    if (cmd === 'double.fault') return fault(ctx, argv);
    if (cmd === 'double.clock') return clock(ctx, argv);
  } catch (e) {
    if (e instanceof AdminError) return R.error(e.message);
    const msg = e instanceof Error ? e.message : String(e);
    return R.error(`ERR ${msg}`.replace(/[\r\n]+/g, ' '));
  }
  return R.error(`ERR unknown valkey-double admin command '${argv[0]!.slice(0, 128)}', the DOUBLE.* commands are DOUBLE.FAULT and DOUBLE.CLOCK`);
}

function fault(ctx: AdminContext, argv: readonly Bytes[]): Reply {
  const f = ctx.faults;
  const sub = (argv[1] ?? '').toLowerCase();
  const arg = argv[2];
  const find = (id: number) => f.rule(id);
  switch (sub) {
    case 'help':
      return R.array(FAULT_HELP.map((l) => R.simple(l)));
    case 'add': {
      if (arg === undefined) throw new AdminError('ERR DOUBLE.FAULT ADD needs a JSON rule');
      const spec = parseJson(arg) as FaultSpec;
      if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new AdminError('ERR the rule must be a JSON object');
      return R.int(f.add(spec).id);
    }
    case 'refuse': {
      const o = (arg === undefined ? {} : parseJson(arg)) as { addr?: string; how?: 'end' | 'reset'; times?: number; persist?: boolean; node?: string };
      const s = f.refuseConnections(o);
      if (o.times !== undefined) s.times(o.times);
      if (o.persist) s.persist();
      return R.int(s.id);
    }
    case 'pause':
      return R.int(f.pauseReads((arg === undefined ? {} : parseJson(arg)) as Parameters<Faults['pauseReads']>[0]).id);
    case 'push': {
      if (arg === undefined) throw new AdminError('ERR DOUBLE.FAULT PUSH needs a JSON array of strings');
      const v = parseJson(arg);
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new AdminError('ERR the push must be a JSON array of strings');
      const opts = (argv[3] === undefined ? {} : parseJson(argv[3])) as Parameters<Faults['push']>[1];
      return R.int(f.push(v as string[], opts));
    }
    case 'release': {
      if (arg === undefined) return R.int(f.releaseAll());
      return R.int(find(int(arg, 'the rule id'))?.release() ?? 0);
    }
    case 'clear': {
      if (arg === undefined) {
        const n = f.active().length;
        f.clear();
        return R.int(n);
      }
      const s = find(int(arg, 'the rule id'));
      s?.clear();
      return R.int(s ? 1 : 0);
    }
    case 'list':
      return json(f.active().map(scopeJson));
    case 'pending':
      return json(f.pendingFaults().map(scopeJson));
    case 'history': {
      const n = arg === undefined ? Infinity : int(arg, 'the count');
      const h = f.history();
      return json(h.slice(Math.max(0, h.length - n)));
    }
    case 'fired': {
      const n = arg === undefined ? Infinity : int(arg, 'the count');
      const h = f.fired();
      return json(h.slice(Math.max(0, h.length - n)));
    }
    case 'seed':
      if (arg === undefined) return R.int(f.seed);
      f.reseed(int(arg, 'the seed'));
      return R.ok;
    case 'reset':
      f.reset(arg === undefined ? undefined : int(arg, 'the seed'));
      return R.ok;
    default:
      throw new AdminError(`ERR unknown subcommand '${(argv[1] ?? '').slice(0, 128)}'. Try DOUBLE.FAULT HELP.`);
  }
}

function clock(ctx: AdminContext, argv: readonly Bytes[]): Reply {
  const sub = (argv[1] ?? '').toLowerCase();
  const c = ctx.clock as Clock & { advance?: (ms: number) => void; set?: (ms: number) => void };
  switch (sub) {
    case 'now':
      return R.int(c.now());
    case 'advance':
    case 'set': {
      const fn = sub === 'advance' ? c.advance : c.set;
      if (typeof fn !== 'function') throw new AdminError('ERR the server clock is not a virtual clock');
      fn.call(c, int(argv[2], sub === 'advance' ? 'the milliseconds' : 'the time'));
      return R.int(c.now());
    }
    default:
      throw new AdminError(`ERR unknown subcommand '${(argv[1] ?? '').slice(0, 128)}'. Try DOUBLE.CLOCK NOW, ADVANCE <ms> or SET <epoch ms>.`);
  }
}

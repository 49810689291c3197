/**
 * Connection commands (Valkey group "connection"): AUTH, HELLO, PING, ECHO,
 * QUIT, RESET, SELECT and the CLIENT container (ID, SETNAME, GETNAME, INFO,
 * LIST, KILL, SETINFO, NO-EVICT, NO-TOUCH, REPLY, CAPA, UNBLOCK, HELP...).
 * Texts and formats follow Valkey's networking.c, acl.c and db.c.
 */
import { R, type Bytes, type Reply } from '../../protocol/index.js';
import { getLongLong, getRangeLong, isToken, LLONG_MAX, parseLongLong } from '../args.js';
import type { Client } from '../client.js';
import type { CommandGroup } from '../command.js';
import type { Context } from '../context.js';
import type { Engine } from '../engine.js';
import { CommandError, Err, cTrunc, oneLine } from '../errors.js';
import { aclAuthenticate } from '../acl/index.js';
import { helpReply } from '../help.js';

const VALKEY_VERSION = '9.1.2';

// ------------------------------------------------------------------ auth ---

const WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';

// --------------------------------------------------------- client names ---

/** validateClientAttr: every byte (of the C string: up to a NUL) in '!'..'~'. */
function validAttr(v: Bytes): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 0) return true;
    if (c < 33 || c > 126) return false;
  }
  return true;
}

const BAD_NAME = 'ERR Client names cannot contain spaces, newlines or special characters.';

// ------------------------------------------------------------ CLIENT LIST ---

/** getClientType: "normal", "pubsub" (replica and primary links do not exist here). */
function clientType(c: Client): 'normal' | 'pubsub' {
  return c.inPubSub ? 'pubsub' : 'normal';
}

function clientFlags(c: Client): string {
  let f = '';
  if (c.monitor) f += 'O';
  if (c.inPubSub) f += 'P';
  if (c.multi) f += 'x';
  if (c.blocked) f += 'b';
  if (c.tracking) f += 't';
  if (c.tracking?.brokenRedirect) f += 'R';
  if (c.tracking?.bcast) f += 'B';
  if (c.dirtyCas) f += 'd';
  if (c.closing) f += 'c';
  if (c.readonly) f += 'r';
  if (c.noEvict) f += 'e';
  if (c.noTouch) f += 'T';
  if (c.importSource) f += 'I';
  return f || 'N';
}

/** Seconds, as Valkey's integer unixtime. */
const secs = (ms: number) => Math.floor(ms / 1000);

/**
 * catClientInfoString: one CLIENT LIST line (without the newline). Memory
 * and buffer fields are estimates; `argv` is the executing command's, for
 * the client running it.
 */
export function clientInfoString(ctx: Context, c: Client, argv?: readonly Bytes[]): string {
  const current = c === ctx.client;
  // argv-mem: the arguments of the command being executed (inside EXEC, EXEC's own) or blocked in.
  let argvMem = 0;
  if (current && ctx.inExec) argvMem = c.lastCmd === 'exec' ? 4 : 0;
  else if (current && argv) for (const a of argv) argvMem += a.length;
  else if (c.blocked) for (const a of c.argv) argvMem += a.length;
  let multiMem = 0;
  if (c.multi) for (const q of c.multi.queue) for (const a of q.argv) multiMem += a.length + 8;
  const multi = c.multi ? c.multi.queue.length : c.hasMultiState || c.watched.length > 0 ? 0 : -1;
  // A command is counted once it has run: not the one in flight, nor the one a client is blocked in.
  const cmds = current ? Math.max(0, c.totalCommands - 1 - (ctx.inExec ? 1 : 0)) : c.blocked ? c.totalCommands - 1 : c.totalCommands;
  // omem: the reply list past the 16 KB reply buffer (here: bytes the connection has not sent yet).
  const obufMem = Math.max(0, (c.sink.pendingOutput?.() ?? 0) - 16384);
  const totMem = 16384 + 650 + argvMem + multiMem + c.name.length + obufMem;
  return (
    `id=${c.id} addr=${c.conn.addr} laddr=${c.conn.laddr} fd=${c.conn.fd} name=${cTrunc(c.name, Infinity)}` +
    ` age=${secs(ctx.now) - secs(c.createdAt)} idle=${secs(ctx.now) - secs(c.lastInteraction)}` +
    ` flags=${clientFlags(c)} capa=${c.capa.has('redirect') ? 'r' : ''} db=${c.db}` +
    ` sub=${c.channels.size} psub=${c.patterns.size} ssub=${c.shardChannels.size}` +
    ` multi=${multi} watch=${c.watched.length} qbuf=0 qbuf-free=0 argv-mem=${argvMem} multi-mem=${multiMem}` +
    ` rbs=16384 rbp=16384 obl=0 oll=0 omem=${obufMem} tot-mem=${totMem} events=r` +
    ` cmd=${c.lastCmd} user=${c.user} redir=${c.tracking ? c.tracking.redirect : -1}` +
    ` resp=${c.resp} lib-name=${cTrunc(c.libName, Infinity)} lib-ver=${cTrunc(c.libVer, Infinity)}` +
    ` tot-net-in=${c.netIn} tot-net-out=${c.netOut} tot-cmds=${cmds}`
  );
}

interface ClientFilter {
  ids?: Set<bigint>;
  notIds?: Set<bigint>;
  type?: string;
  notType?: string;
  addr?: Bytes;
  notAddr?: Bytes;
  laddr?: Bytes;
  notLaddr?: Bytes;
  user?: Bytes;
  notUser?: Bytes;
  skipme: boolean;
  maxAge: number;
  idle: number;
  flags?: Bytes;
  notFlags?: Bytes;
  name?: Bytes;
  notName?: Bytes;
  libName?: Bytes;
  notLibName?: Bytes;
  libVer?: Bytes;
  notLibVer?: Bytes;
  db: number;
  notDb: number;
  capa?: Bytes;
  notCapa?: Bytes;
  ip?: Bytes;
  notIp?: Bytes;
}

const FILTER_FLAGS = 'OSMPxbtRBdcuAUreTIiEN';

/** getClientTypeByName. */
function typeByName(name: Bytes): string | undefined {
  switch (name.toLowerCase()) {
    case 'normal': return 'normal';
    case 'slave': case 'replica': return 'replica';
    case 'pubsub': return 'pubsub';
    case 'master': case 'primary': return 'primary';
    default: return undefined;
  }
}

/** getIntFromObjectOrReply with a custom message. */
function getInt(s: Bytes, msg: string): number {
  return getRangeLong(s, -2147483648, 2147483647, msg);
}

/** parseClientFiltersOrReply. */
function parseFilters(engine: Engine, argv: readonly Bytes[], index: number, f: ClientFilter): void {
  const argc = argv.length;
  const fmt = (m: string) => new CommandError(oneLine('ERR ' + m));
  while (index < argc) {
    const opt = argv[index]!.toLowerCase();
    const more = argc > index + 1;
    const val = argv[index + 1]!;
    if (opt === 'id' || opt === 'not-id') {
      const set = (opt === 'id' ? (f.ids ??= new Set()) : (f.notIds ??= new Set()));
      index++;
      while (index < argc) {
        const id = parseLongLong(argv[index]!);
        if (id === null) break;
        if (id < 1n) throw Err.generic('client-id should be greater than 0');
        set.add(id);
        index++;
      }
      continue;
    }
    if (!more) throw Err.syntax();
    switch (opt) {
      case 'maxage': {
        const v = getLongLong(val, 'maxage is not an integer or out of range');
        if (v <= 0n) throw Err.generic('maxage should be greater than 0');
        f.maxAge = Number(v);
        break;
      }
      case 'idle': {
        const v = getLongLong(val, 'idle is not an integer or out of range');
        if (v <= 0n) throw Err.generic('idle should be greater than 0');
        f.idle = Number(v);
        break;
      }
      case 'type':
      case 'not-type': {
        const t = typeByName(val);
        if (t === undefined) throw fmt(`Unknown client type '${cTrunc(val, Infinity)}'`);
        if (opt === 'type') f.type = t;
        else f.notType = t;
        break;
      }
      case 'addr': f.addr = val; break;
      case 'not-addr': f.notAddr = val; break;
      case 'laddr': f.laddr = val; break;
      case 'not-laddr': f.notLaddr = val; break;
      case 'user':
      case 'not-user':
        if (!engine.acl.getUser(val)) throw fmt(`No such user '${cTrunc(val, Infinity)}'`);
        if (opt === 'user') f.user = val;
        else f.notUser = val;
        break;
      case 'skipme':
        if (isToken(val, 'YES')) f.skipme = true;
        else if (isToken(val, 'NO')) f.skipme = false;
        else throw Err.syntax();
        break;
      case 'flags':
      case 'not-flags':
        for (const ch of cTrunc(val, Infinity)) {
          if (!FILTER_FLAGS.includes(ch)) {
            throw fmt(opt === 'flags'
              ? `Unknown flags found in the provided filter: ${cTrunc(val, Infinity)}`
              : `Unknown flags found in the NOT-FLAGS filter: ${cTrunc(val, Infinity)}`);
          }
        }
        if (opt === 'flags') f.flags = val;
        else f.notFlags = val;
        break;
      case 'name': f.name = val; break;
      case 'not-name': f.notName = val; break;
      case 'lib-name': f.libName = val; break;
      case 'not-lib-name': f.notLibName = val; break;
      case 'lib-ver': f.libVer = val; break;
      case 'not-lib-ver': f.notLibVer = val; break;
      case 'db':
      case 'not-db': {
        const label = opt === 'db' ? 'DB' : 'NOT-DB';
        const v = getInt(val, `${label} is not an integer or out of range`);
        if (v < 0 || v >= engine.databases) throw fmt(`${label} number should be between 0 and ${engine.databases - 1}`);
        if (opt === 'db') f.db = v;
        else f.notDb = v;
        break;
      }
      case 'capa':
      case 'not-capa':
        for (const ch of cTrunc(val, Infinity)) {
          if (ch !== 'r') {
            throw fmt(opt === 'capa'
              ? `Unknown capa found in the provided filter: ${cTrunc(val, Infinity)}`
              : `Unknown capa found in the NOT-CAPA filter: ${cTrunc(val, Infinity)}`);
          }
        }
        if (opt === 'capa') f.capa = val;
        else f.notCapa = val;
        break;
      case 'ip': f.ip = cTrunc(val, Infinity); break;
      case 'not-ip': f.notIp = cTrunc(val, Infinity); break;
      default:
        throw Err.syntax();
    }
    index += 2;
  }
}

function newFilter(skipme: boolean): ClientFilter {
  return { skipme, maxAge: 0, idle: 0, db: -1, notDb: -1 };
}

/** clientMatchesFlagFilter: every flag of the filter is set on the client. */
function matchesFlags(c: Client, filter: Bytes): boolean {
  const flags = clientFlags(c);
  for (const ch of cTrunc(filter, Infinity)) {
    if (ch === 'N') {
      if (flags !== 'N') return false;
    } else if (!flags.includes(ch)) {
      return false;
    }
  }
  return true;
}

function matchesCapa(c: Client, filter: Bytes): boolean {
  for (const ch of cTrunc(filter, Infinity)) if (ch !== 'r' || !c.capa.has('redirect')) return false;
  return true;
}

/** clientMatchesIpFilter: the peer address is exactly ip:port (or [ip]:port), port not 0. */
function matchesIp(c: Client, ip: string): boolean {
  let p = c.conn.addr;
  if (p[0] === '[') p = p.slice(1);
  if (!p.startsWith(ip)) return false;
  p = p.slice(ip.length);
  if (p[0] === ']') p = p.slice(1);
  if (p[0] !== ':') return false;
  return p[1] !== '0';
}

/** strcmp on C strings (the filter stops at a NUL byte). */
const cEq = (a: Bytes, b: Bytes) => cTrunc(a, Infinity) === cTrunc(b, Infinity);

function matches(ctx: Context, c: Client, f: ClientFilter): boolean {
  const now = secs(ctx.now);
  if (f.addr !== undefined && !cEq(c.conn.addr, f.addr)) return false;
  if (f.laddr !== undefined && !cEq(c.conn.laddr, f.laddr)) return false;
  if (f.type !== undefined && clientType(c) !== f.type) return false;
  if (f.ids && !f.ids.has(BigInt(c.id))) return false;
  if (f.user !== undefined && c.user !== f.user) return false;
  if (f.skipme && c === ctx.client) return false;
  if (f.maxAge !== 0 && now - secs(c.createdAt) < f.maxAge) return false;
  if (f.idle !== 0 && now - secs(c.lastInteraction) < f.idle) return false;
  if (f.flags !== undefined && !matchesFlags(c, f.flags)) return false;
  if (f.name !== undefined && (c.name === '' || !cEq(c.name, f.name))) return false;
  if (f.libName !== undefined && (c.libName === '' || c.libName !== f.libName)) return false;
  if (f.libVer !== undefined && (c.libVer === '' || c.libVer !== f.libVer)) return false;
  if (f.db !== -1 && c.db !== f.db) return false;
  if (f.capa !== undefined && !matchesCapa(c, f.capa)) return false;
  if (f.ip !== undefined && !matchesIp(c, f.ip)) return false;

  if (f.notAddr !== undefined && cEq(c.conn.addr, f.notAddr)) return false;
  if (f.notLaddr !== undefined && cEq(c.conn.laddr, f.notLaddr)) return false;
  if (f.notType !== undefined && clientType(c) === f.notType) return false;
  if (f.notIds && f.notIds.has(BigInt(c.id))) return false;
  if (f.notUser !== undefined && c.user === f.notUser) return false;
  if (f.notFlags !== undefined && matchesFlags(c, f.notFlags)) return false;
  if (f.notName !== undefined && c.name !== '' && cEq(c.name, f.notName)) return false;
  if (f.notLibName !== undefined && c.libName !== '' && c.libName === f.notLibName) return false;
  if (f.notLibVer !== undefined && c.libVer !== '' && c.libVer === f.notLibVer) return false;
  if (f.notDb !== -1 && c.db === f.notDb) return false;
  if (f.notCapa !== undefined && matchesCapa(c, f.notCapa)) return false;
  if (f.notIp !== undefined && matchesIp(c, f.notIp)) return false;
  return true;
}

// --------------------------------------------------------------- HELLO ---

function helloReply(ctx: Context): Reply {
  const c = ctx.client;
  const cluster = ctx.engine.config.getBool('cluster-enabled');
  const az = ctx.engine.config.get('availability-zone');
  const pairs: [Reply, Reply][] = [
    [R.bulk('server'), R.bulk('valkey')],
    [R.bulk('version'), R.bulk(VALKEY_VERSION)],
    [R.bulk('proto'), R.int(c.resp)],
    [R.bulk('id'), R.int(c.id)],
    [R.bulk('mode'), R.bulk(cluster ? 'cluster' : 'standalone')],
    [R.bulk('role'), R.bulk('master')],
    [R.bulk('modules'), R.array([R.map([
      [R.bulk('name'), R.bulk('lua')],
      [R.bulk('ver'), R.int(1)],
      [R.bulk('path'), R.bulk('lua')],
      [R.bulk('args'), R.emptyArray],
    ])])],
  ];
  if (az !== '') pairs.push([R.bulk('availability_zone'), R.bulk(az)]);
  if (ctx.engine.config.getBool('extended-redis-compatibility')) {
    pairs[0] = [R.bulk('server'), R.bulk('redis')];
    pairs[1] = [R.bulk('version'), R.bulk('7.2.4')];
  }
  return R.map(pairs);
}

const HELLO_NOAUTH = 'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> ' +
  'AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time';

// --------------------------------------------------------------- RESET ---

/** clearClientConnectionState. */
function resetClient(ctx: Context): void {
  const c = ctx.client;
  ctx.engine.monitors.delete(c);
  c.monitor = false;
  ctx.engine.tracking.disable(c);
  c.db = 0;
  c.resp = 2;
  // clientSetDefaultAuth: the default user, authenticated when it needs no password.
  c.user = 'default';
  c.authenticated = !ctx.engine.authRequired;
  ctx.engine.unwatchAll(c);
  c.multi = null;
  c.dirtyCas = false;
  ctx.engine.pubsub.dropClient(c);
  c.name = '';
  c.readonly = false;
  c.replyMode = 'on';
  c.noTouch = false;
  c.noEvict = false;
  c.importSource = false;
}

// ------------------------------------------------------------ commands ---

const CLIENT_HELP = [
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'CAPA <option> [options...]',
  '    The client claims its some capability options. Options are:',
  '    * REDIRECT',
  '      The client can handle redirection during primary and replica failover in standalone mode.',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address.',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to the specified local address.',
  '    * TYPE (NORMAL|PRIMARY|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  '    * ID <client-id> [<client-id>...]',
  '      Kill connections by client IDs.',
  '    * MAXAGE <maxage>',
  '      Kill connections older than the specified age.',
  '    * FLAGS <flags>',
  '      Kill connections that include the specified flags.',
  '    * NAME <client-name>',
  '      Kill connections with the specified name.',
  '    * IDLE <idle>',
  '      Kill connections with idle time greater than or equal to <idle> seconds.',
  '    * LIB-NAME <library-name>',
  '      Kill connections with the specified library name.',
  '    * LIB-VER <library-version>',
  '      Kill connections with the specified library version.',
  '    * DB <db-id>',
  '      Kill connections currently operating on the specified database ID.',
  '    * CAPA <capa>',
  '      Kill connections currently with the specified capa.',
  '    * IP <ip>',
  '      Kill connections made from the specified ip.',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|PRIMARY|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  '    * USER <username>',
  '      Return clients authenticated by <username>.',
  '    * ADDR <ip:port>',
  '      Return clients connected from the specified address.',
  '    * LADDR <ip:port>',
  '      Return clients connected to the specified local address.',
  '    * ID <client-id> [<client-id>...]',
  '      Return clients with the specified IDs.',
  '    * SKIPME (YES|NO)',
  '      Exclude the current client from the list (default: no).',
  '    * MAXAGE <maxage>',
  '      List connections older than the specified age.',
  '    * FLAGS <flags>',
  '      Return clients with the specified flags.',
  '    * NAME <client-name>',
  '      Return clients with the specified name.',
  '    * IDLE <idle>',
  '      Return clients with idle time greater than or equal to <idle> seconds.',
  '    * LIB-NAME <lib-name>',
  '      Return clients with the specified lib name.',
  '    * LIB-VER <lib-version>',
  '      Return clients with the specified lib version.',
  '    * DB <db-id>',
  '      Return clients currently operating on the specified database ID.',
  '    * CAPA <capa>',
  '      Return connections currently with the specified capa.',
  '    * IP <ip>',
  '      Return connections made from the specified ip.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'SETINFO <option> <value>',
  '    Set client meta attr. Options are:',
  '    * LIB-NAME: the client lib name.',
  '    * LIB-VER: the client lib version.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
  'NO-TOUCH (ON|OFF)',
  '    Will not touch LRU/LFU stats when this mode is on.',
  'IMPORT-SOURCE (ON|OFF)',
  '    Mark this connection as an import source if import-mode is enabled.',
  "    Sync tools can set their connections into 'import-source' state to visit",
  '    expired keys.',
];

/** An ON|OFF switch (CLIENT NO-EVICT, NO-TOUCH): anything else is a syntax error. */
function onOff(arg: Bytes): boolean {
  if (isToken(arg, 'ON')) return true;
  if (isToken(arg, 'OFF')) return false;
  throw Err.syntax();
}

export const connectionCommands: CommandGroup = {
  ping(ctx, argv) {
    if (argv.length > 2) throw Err.wrongArity('ping');
    if (ctx.client.inPubSub && ctx.resp === 2) return R.array([R.bulk('pong'), R.bulk(argv.length === 1 ? '' : argv[1]!)]);
    return argv.length === 2 ? R.bulk(argv[1]!) : R.pong;
  },

  echo: (_ctx, argv) => R.bulk(argv[1]!),

  quit(ctx) {
    ctx.client.closing = true;
    return R.ok;
  },

  'client|import-source'(ctx, argv) {
    const on = isToken(argv[2]!, 'ON');
    if (!ctx.engine.config.getBool('import-mode') && !isToken(argv[2]!, 'OFF')) throw Err.generic('Server is not in import mode');
    if (!on && !isToken(argv[2]!, 'OFF')) throw Err.syntax();
    ctx.client.importSource = on;
    return R.ok;
  },

  reset(ctx) {
    resetClient(ctx);
    return R.simple('RESET');
  },

  select(ctx, argv) {
    const v = getRangeLong(argv[1]!, -2147483648, 2147483647);
    if (v < 0 || v >= ctx.engine.databases) throw Err.dbIndexOutOfRange();
    ctx.client.db = v;
    return R.ok;
  },

  auth(ctx, argv) {
    if (argv.length > 3) throw Err.syntax();
    ctx.redact(1);
    let user: Bytes;
    let pass: Bytes;
    if (argv.length === 2) {
      if (ctx.engine.acl.defaultUser.nopass) {
        throw Err.generic('AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?');
      }
      user = 'default';
      pass = argv[1]!;
    } else {
      user = argv[1]!;
      pass = argv[2]!;
      ctx.redact(2);
    }
    if (!aclAuthenticate(ctx.engine, ctx.client, user, pass, argv[0]!)) throw Err.raw(WRONGPASS);
    return R.ok;
  },

  hello(ctx, argv) {
    let ver = 0;
    let next = 1;
    if (argv.length >= 2) {
      const v = getLongLong(argv[next++]!, 'Protocol version is not an integer or out of range');
      if (v < 2n || v > 3n) throw Err.raw('NOPROTO unsupported protocol version');
      ver = Number(v);
    }
    let auth: [Bytes, Bytes] | undefined;
    let name: Bytes | undefined;
    for (let j = next; j < argv.length; j++) {
      const more = argv.length - 1 - j;
      const opt = argv[j]!;
      if (isToken(opt, 'AUTH') && more >= 2) {
        ctx.redact(j + 1);
        ctx.redact(j + 2);
        auth = [argv[j + 1]!, argv[j + 2]!];
        j += 2;
      } else if (isToken(opt, 'SETNAME') && more) {
        name = argv[j + 1]!;
        if (!validAttr(name)) throw Err.raw(BAD_NAME);
        j++;
      } else {
        throw Err.generic(`Syntax error in HELLO option '${cTrunc(opt, Infinity)}'`);
      }
    }
    const c = ctx.client;
    if (auth && !aclAuthenticate(ctx.engine, c, auth[0], auth[1], argv[0]!)) throw Err.raw(WRONGPASS);
    if (!c.authenticated) throw Err.raw(HELLO_NOAUTH);
    if (name !== undefined) c.name = name;
    if (ver) c.resp = ver as 2 | 3;
    return helloReply(ctx);
  },

  // --- CLIENT ---

  'client|help': (_ctx, argv) => helpReply(argv[0]!, CLIENT_HELP),

  'client|id': (ctx) => R.int(ctx.client.id),

  'client|setname'(ctx, argv) {
    const name = argv[2]!;
    if (!validAttr(name)) throw Err.raw(BAD_NAME);
    ctx.client.name = name;
    return R.ok;
  },

  'client|getname': (ctx) => (ctx.client.name === '' ? R.null : R.bulk(ctx.client.name)),

  'client|info': (ctx, argv) => R.verbatim(clientInfoString(ctx, ctx.client, argv) + '\n'),

  'client|list'(ctx, argv) {
    let f: ClientFilter | undefined;
    if (argv.length > 3) {
      f = newFilter(false);
      parseFilters(ctx.engine, argv, 2, f);
    } else if (argv.length !== 2) {
      throw Err.syntax();
    }
    let out = '';
    for (const c of ctx.engine.clients.values()) {
      if (f && !matches(ctx, c, f)) continue;
      out += clientInfoString(ctx, c, argv) + '\n';
    }
    return R.verbatim(out);
  },

  'client|kill'(ctx, argv) {
    let f: ClientFilter;
    const oldStyle = argv.length === 3;
    if (oldStyle) {
      f = newFilter(false);
      f.addr = argv[2]!;
    } else if (argv.length > 3) {
      f = newFilter(true);
      parseFilters(ctx.engine, argv, 2, f);
    } else {
      throw Err.syntax();
    }
    let killed = 0;
    let self = false;
    for (const c of [...ctx.engine.clients.values()]) {
      if (!matches(ctx, c, f)) continue;
      if (c === ctx.client) self = true;
      else c.sink.close();
      killed++;
    }
    if (self) ctx.client.closing = true;
    if (oldStyle) {
      if (killed === 0) throw Err.generic('No such client');
      return R.ok;
    }
    return R.int(killed);
  },

  'client|setinfo'(ctx, argv) {
    const attr = argv[2]!;
    const val = argv[3]!;
    const lower = attr.toLowerCase();
    if (lower !== 'lib-name' && lower !== 'lib-ver') throw Err.generic(`Unrecognized option '${cTrunc(attr, Infinity)}'`);
    if (!validAttr(val)) throw Err.generic(`${cTrunc(attr, Infinity)} cannot contain spaces, newlines or special characters.`);
    if (lower === 'lib-name') ctx.client.libName = val;
    else ctx.client.libVer = val;
    return R.ok;
  },

  'client|no-evict'(ctx, argv) {
    ctx.client.noEvict = onOff(argv[2]!);
    return R.ok;
  },

  'client|no-touch'(ctx, argv) {
    ctx.client.noTouch = onOff(argv[2]!);
    return R.ok;
  },

  'client|reply'(ctx, argv) {
    const c = ctx.client;
    const mode = argv[2]!;
    if (isToken(mode, 'ON')) {
      c.replyMode = 'on';
      c.dropReplies = 0;
      return R.ok;
    }
    if (isToken(mode, 'OFF')) {
      c.replyMode = 'off';
      return R.ok; // dropped: the mode is off now
    }
    if (isToken(mode, 'SKIP')) {
      // No reply of its own, and the next command's is dropped too.
      if (c.replyMode !== 'off') c.dropReplies = 2;
      return R.ok;
    }
    throw Err.syntax();
  },

  'client|capa'(ctx, argv) {
    for (let i = 2; i < argv.length; i++) if (isToken(argv[i]!, 'REDIRECT')) ctx.client.capa.add('redirect');
    return R.ok;
  },

  'client|unblock'(ctx, argv) {
    let error = false;
    if (argv.length === 4) {
      if (isToken(argv[3]!, 'TIMEOUT')) error = false;
      else if (isToken(argv[3]!, 'ERROR')) error = true;
      else throw Err.generic('CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
    }
    const id = getLongLong(argv[2]!);
    const target = id > 0n && id <= BigInt(Number.MAX_SAFE_INTEGER) ? ctx.engine.clients.get(Number(id)) : undefined;
    if (!target || !target.blocked) return R.int(0);
    const ok = ctx.engine.unblockWith(target, error ? R.error('UNBLOCKED client unblocked via CLIENT UNBLOCK') : 'timeout');
    return R.int(ok ? 1 : 0);
  },

  'client|tracking': clientTracking,

  /** CLIENT PAUSE timeout [WRITE|ALL]: the timeout in ms (getTimeoutFromObjectOrReply), 0 ends at once. */
  'client|pause'(ctx, argv) {
    let all = true;
    if (argv.length === 4) {
      if (isToken(argv[3]!, 'WRITE')) all = false;
      else if (!isToken(argv[3]!, 'ALL')) throw Err.generic('CLIENT PAUSE mode must be WRITE or ALL');
    }
    const t = getLongLong(argv[2]!, 'timeout is not an integer or out of range');
    if (t < 0n) throw Err.generic('timeout is negative');
    if (t > 0n && t > LLONG_MAX - BigInt(ctx.now)) throw Err.generic('timeout is out of range');
    ctx.engine.pause.pause(t === 0n ? 0 : ctx.now + Number(t), all ? 'all' : 'write');
    return R.ok;
  },

  'client|unpause'(ctx) {
    ctx.engine.pause.unpause();
    return R.ok;
  },

  'client|caching'(ctx, argv) {
    const t = ctx.client.tracking;
    if (!t) throw Err.generic('CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled');
    if (isToken(argv[2]!, 'YES')) {
      if (!t.optin) throw Err.generic('CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.');
    } else if (isToken(argv[2]!, 'NO')) {
      if (!t.optout) throw Err.generic('CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.');
    } else {
      throw Err.syntax();
    }
    t.caching = true;
    return R.ok;
  },

  'client|getredir': (ctx) => R.int(ctx.client.tracking ? ctx.client.tracking.redirect : -1),

  'client|trackinginfo'(ctx) {
    const t = ctx.client.tracking;
    const flags: string[] = [t ? 'on' : 'off'];
    if (t?.bcast) flags.push('bcast');
    if (t?.optin) flags.push('optin', ...(t.caching ? ['caching-yes'] : []));
    if (t?.optout) flags.push('optout', ...(t.caching ? ['caching-no'] : []));
    if (t?.noloop) flags.push('noloop');
    if (t?.brokenRedirect) flags.push('broken_redirect');
    return R.map([
      [R.bulk('flags'), R.set(flags.map((f) => R.bulk(f)))],
      [R.bulk('redirect'), R.int(t ? t.redirect : -1)],
      [R.bulk('prefixes'), R.bulks(t ? t.prefixes : [])],
    ]);
  },
};

// ---------------------------------------------------------- CLIENT TRACKING ---

/** C's "%s" of a byte string: up to its first NUL. */
const cstr = (s: Bytes) => {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
};

/** checkPrefixCollisionsOrReply: no prefix may be a prefix of another (of the client's, or of the new ones). */
function checkPrefixes(existing: readonly Bytes[], prefixes: readonly Bytes[]): void {
  const overlap = (a: Bytes, b: Bytes) => a.startsWith(b) || b.startsWith(a);
  for (let i = 0; i < prefixes.length; i++) {
    const p = prefixes[i]!;
    for (const e of existing) {
      if (overlap(e, p)) {
        throw Err.generic(`Prefix '${cstr(p)}' overlaps with an existing prefix '${cstr(e)}'. Prefixes for a single client must not overlap.`);
      }
    }
    for (let j = i + 1; j < prefixes.length; j++) {
      if (overlap(p, prefixes[j]!)) {
        throw Err.generic(`Prefix '${cstr(p)}' overlaps with another provided prefix '${cstr(prefixes[j]!)}'. Prefixes for a single client must not overlap.`);
      }
    }
  }
}

/** CLIENT TRACKING (ON|OFF) [REDIRECT id] [BCAST] [PREFIX p ...] [OPTIN] [OPTOUT] [NOLOOP]. */
function clientTracking(ctx: Context, argv: readonly Bytes[]): Reply {
  const c = ctx.client;
  let redirect = 0n;
  const opts = { bcast: false, optin: false, optout: false, noloop: false };
  const prefixes: Bytes[] = [];
  for (let j = 3; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const a = argv[j]!;
    if (isToken(a, 'REDIRECT') && more) {
      j++;
      if (redirect !== 0n) throw Err.generic('A client can only redirect to a single other client');
      redirect = getLongLong(argv[j]!);
      const id = redirect > 0n && redirect <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(redirect) : -1;
      if (!ctx.engine.clients.has(id)) throw Err.generic('The client ID you want redirect to does not exist');
    } else if (isToken(a, 'BCAST')) {
      opts.bcast = true;
    } else if (isToken(a, 'OPTIN')) {
      opts.optin = true;
    } else if (isToken(a, 'OPTOUT')) {
      opts.optout = true;
    } else if (isToken(a, 'NOLOOP')) {
      opts.noloop = true;
    } else if (isToken(a, 'PREFIX') && more) {
      prefixes.push(argv[++j]!);
    } else {
      throw Err.syntax();
    }
  }
  if (isToken(argv[2]!, 'ON')) {
    const t = c.tracking;
    if (!opts.bcast && prefixes.length) throw Err.generic('PREFIX option requires BCAST mode to be enabled');
    if (t && t.bcast !== opts.bcast) {
      throw Err.generic("You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.");
    }
    if (opts.bcast && (opts.optin || opts.optout)) throw Err.generic('OPTIN and OPTOUT are not compatible with BCAST');
    if (opts.optin && opts.optout) throw Err.generic("You can't specify both OPTIN mode and OPTOUT mode");
    if ((opts.optin && t?.optout) || (opts.optout && t?.optin)) {
      throw Err.generic("You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.");
    }
    if (opts.bcast) checkPrefixes(t?.prefixes ?? [], prefixes);
    ctx.engine.tracking.enable(c, Number(redirect), opts, prefixes);
  } else if (isToken(argv[2]!, 'OFF')) {
    ctx.engine.tracking.disable(c);
  } else {
    throw Err.syntax();
  }
  return R.ok;
}

/**
 * MIGRATE (cluster.c migrateCommand): the keys are serialized as DUMP does,
 * sent as RESTORE (RESTORE-ASKING in cluster mode) commands, preceded by
 * AUTH and SELECT when needed, over a cached connection (migrate.ts), and
 * deleted here once the target acknowledged them (unless COPY).
 *
 * Valkey blocks its whole event loop while it talks to the target; here
 * only the calling client waits (a blocked command, answered when the
 * target's replies are in), and the rest of the server runs on. Inside
 * MULTI or a script a client cannot wait: there MIGRATE answers the read
 * error a timed-out target gives.
 */
import { R, type Bytes, type Reply } from '../../protocol/index.js';
import { getLong, isToken } from '../args.js';
import type { CommandGroup, HandlerResult } from '../command.js';
import { Context } from '../context.js';
import { Err } from '../errors.js';
import type { ExchangeResult } from '../migrate.js';
import { createDumpPayload, dumpOptionsOf } from '../rdb/dump.js';

function bulk(s: Bytes | string): string {
  return `$${Buffer.byteLength(s, 'latin1')}\r\n${s}\r\n`;
}

function command(args: readonly (Bytes | string)[]): string {
  return `*${args.length}\r\n${args.map(bulk).join('')}`;
}

const ioError = (what: 'connecting' | 'writing' | 'reading'): Reply =>
  R.error(what === 'connecting' ? 'IOERR error or timeout connecting to the client' : `IOERR error or timeout ${what} to target instance`);

function migrate(ctx: Context, argv: readonly Bytes[]): HandlerResult {
  let copy = false;
  let replace = false;
  let username: Bytes | undefined;
  let password: Bytes | undefined;
  let firstKey = 3;
  let numKeys = 1;
  for (let j = 6; j < argv.length; j++) {
    const a = argv[j]!;
    const more = argv.length - 1 - j;
    if (isToken(a, 'COPY')) copy = true;
    else if (isToken(a, 'REPLACE')) replace = true;
    else if (isToken(a, 'AUTH')) {
      if (!more) throw Err.syntax();
      password = argv[++j]!;
      ctx.redact(j);
    } else if (isToken(a, 'AUTH2')) {
      if (more < 2) throw Err.syntax();
      username = argv[++j]!;
      ctx.redact(j);
      password = argv[++j]!;
      ctx.redact(j);
    } else if (isToken(a, 'KEYS')) {
      if (argv[3]!.length !== 0) throw Err.generic('When using MIGRATE KEYS option, the key argument must be set to the empty string');
      firstKey = j + 1;
      numKeys = argv.length - j - 1;
      break;
    } else throw Err.syntax();
  }
  let timeout = getLong(argv[5]!);
  const dbid = getLong(argv[4]!);
  if (timeout <= 0) timeout = 1000;

  const keys: Bytes[] = [];
  const entries = [];
  for (let j = 0; j < numKeys; j++) {
    const e = ctx.read(argv[firstKey + j]!);
    if (e !== undefined) {
      keys.push(argv[firstKey + j]!);
      entries.push(e);
    }
  }
  if (keys.length === 0) return R.simple('NOKEY');

  const { engine, client, cmd } = ctx;
  const host = argv[1]!;
  const port = argv[2]!;
  const opts = dumpOptionsOf(engine.config);
  const restore = engine.config.getBool('cluster-enabled') ? 'RESTORE-ASKING' : 'RESTORE';
  // The RESTORE commands, built now (the command's time snapshot gives the TTLs).
  const sent: Bytes[] = [];
  let restores = '';
  entries.forEach((e, j) => {
    let ttl = 0;
    if (e.expireAt !== 0) {
      ttl = e.expireAt - ctx.now;
      if (ttl < 0) return;
      if (ttl < 1) ttl = 1;
    }
    sent.push(keys[j]!);
    restores += command([restore, keys[j]!, String(ttl), createDumpPayload(e, opts), ...(replace ? ['REPLACE'] : [])]);
  });

  // A client that cannot wait (MULTI, scripts) gets what a target that never answers gives.
  if (client.denyBlocking) return ioError('reading');
  const first = engine.migrateLinks.get(host, port, timeout);
  if (first === undefined) return ioError('connecting');
  const finish = (reply: Reply) => {
    engine.unblockWith(client, reply);
  };
  let mayRetry = true;
  const attempt = (link: NonNullable<typeof first>) => {
    const auth = password !== undefined ? command(username !== undefined ? ['AUTH', username, password] : ['AUTH', password]) : '';
    const select = link.lastDbid !== dbid;
    const request = auth + (select ? command(['SELECT', String(dbid)]) : '') + restores;
    const pre = (auth ? 1 : 0) + (select ? 1 : 0);
    link.exchange(request as Bytes, pre + sent.length, timeout, (r: ExchangeResult) => {
      if (!r.ok && r.phase === 'connect') return finish(ioError('connecting'));
      const lines = r.lines;
      // Keys the target acknowledged go (unless COPY); the first error the target gave is the reply.
      const c = new Context(engine, client, cmd, engine.clock.now(), false);
      let targetError: string | undefined;
      const preErr = lines.slice(0, pre).find((l) => l.startsWith('-'));
      for (let j = 0; pre + j < lines.length; j++) {
        const line = lines[pre + j]!;
        if (preErr !== undefined || line.startsWith('-')) targetError ??= (preErr ?? line).slice(1);
        else if (!copy && c.db.peek(sent[j]!) !== undefined) {
          c.db.delete(sent[j]!);
          c.wrote(sent[j]!, 'g', 'del');
        }
      }
      if (targetError !== undefined) link.lastDbid = -1;
      engine.afterCommand();
      if (!r.ok) {
        link.kill();
        // Nothing acknowledged yet and not a timeout: once more on a new connection (the cached one may have gone stale).
        if (targetError === undefined && lines.length <= pre && mayRetry && r.code !== 'ETIMEDOUT') {
          mayRetry = false;
          const again = engine.migrateLinks.get(host, port, timeout);
          return again === undefined ? finish(ioError('connecting')) : attempt(again);
        }
        if (targetError === undefined) return finish(ioError(r.phase === 'write' ? 'writing' : 'reading'));
      }
      if (targetError !== undefined) return finish(R.error(`ERR Target instance replied with error: ${targetError}`));
      link.lastDbid = dbid;
      finish(R.ok);
    });
  };
  const blocked = engine.block(client, { deadline: 0, cmd: 'migrate', onTimeout: () => ioError('reading') });
  attempt(first);
  return blocked;
}

export const migrateCommands: CommandGroup = { migrate };

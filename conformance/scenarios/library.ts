/**
 * The scenarios. Each one sets up faults on the stage, runs a short workload
 * through the driver's client and checks what a client must guarantee: no
 * lost acknowledged write, no duplicated non-idempotent command, replies
 * matched to their requests, recovery within a bound.
 *
 * Cluster scenarios (failover during writes, MOVED after resharding, ASK
 * during a legacy migration, the pause and MOVED of an atomic migration,
 * pub/sub resubscription after failover) go in CLUSTER_SCENARIOS with
 * topology 'cluster' once the cluster lands; the runner lists them as skipped
 * until a stage can give a cluster.
 */
import { R } from '../../src/index.js';
import { describe, Ledger } from './ledger.js';
import type { Outcome, Scenario, ScenarioClient, ScenarioContext, Verdict } from './types.js';

/** How long a client may take to work again after a fault ends. */
export const RECOVERY_BOUND_MS = 3000;
/** How long one call may take before it counts as hung. */
export const CALL_BOUND_MS = 4000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Sends ECHO with a fresh token until one comes back answered with its own
 * token, within RECOVERY_BOUND_MS. Returns the time taken, or the problem.
 */
export async function recover(ctx: ScenarioContext, client: ScenarioClient, bound = RECOVERY_BOUND_MS): Promise<{ ms: number } | { problem: string }> {
  const t0 = performance.now();
  let last: Outcome | undefined;
  for (let i = 0; performance.now() - t0 < bound; i++) {
    const token = `${ctx.prefix}probe:${i}`;
    last = await ctx.bound(client.call(['ECHO', token]), Math.max(1, bound - (performance.now() - t0)));
    if (last.ok) {
      if (last.value === token) return { ms: Math.round(performance.now() - t0) };
      return { problem: `ECHO ${token} was answered ${JSON.stringify(last.value)} (a reply matched to the wrong request)` };
    }
    await sleep(25);
  }
  return { problem: `not working again within ${bound} ms (last: ${describe(last)})` };
}

/** The verdict from the problems found, the recovery, and a note on how the client coped. */
async function verdict(problems: string[], rec: { ms: number } | { problem: string } | undefined, note: string): Promise<Verdict> {
  const all = [...problems];
  if (rec && 'problem' in rec) all.push(rec.problem);
  if (all.length > 0) return { pass: false, finding: all.join('; ') };
  return { pass: true, finding: note, ...(rec && 'ms' in rec ? { detail: `working again in ${rec.ms} ms` } : {}) };
}

/** One write through a fault on it: the write's outcome, the ledger's problems, recovery. */
function singleWrite(id: string, title: string, guarantee: string, arm: (ctx: ScenarioContext, key: string) => void): Scenario {
  return {
    id, title, guarantee, topology: 'single',
    async run(ctx) {
      const client = await ctx.connect();
      const ledger = new Ledger(ctx.prefix);
      const w = ledger.add();
      arm(ctx, w.key);
      w.outcome = await ctx.bound(client.call(Ledger.command(w)), CALL_BOUND_MS);
      const rec = await recover(ctx, client);
      ctx.stage.faults.clear();
      return verdict(await ledger.problems(ctx.stage), rec, `the write: ${describe(w.outcome)}`);
    },
  };
}

const WRITE_GUARANTEE = 'no lost acknowledged write, no duplicated INCRBY, replies matched, working again within the bound';

export const SINGLE_NODE_SCENARIOS: readonly Scenario[] = [
  singleWrite('drop-after-write', 'reconnect after a dropped connection (the write ran, its reply lost)', WRITE_GUARANTEE, (ctx, key) => {
    ctx.stage.faults.on('INCRBY', { key }).close({ when: 'after' });
  }),

  {
    id: 'drop-mid-pipeline',
    title: 'reconnect after a connection dropped in the middle of a pipeline',
    guarantee: WRITE_GUARANTEE,
    topology: 'single',
    async run(ctx) {
      const client = await ctx.connect();
      const ledger = new Ledger(ctx.prefix);
      const ws = Array.from({ length: 6 }, () => ledger.add());
      ctx.stage.faults.on('INCRBY', { key: `${ctx.prefix}w:*`, nth: 3 }).close({ when: 'after' });
      const outs = await boundAll(ctx, client.pipeline(ws.map(Ledger.command)), ws.length);
      ws.forEach((w, i) => (w.outcome = outs[i]));
      const rec = await recover(ctx, client);
      ctx.stage.faults.clear();
      return verdict(await ledger.problems(ctx.stage), rec, `the pipeline: ${summary(outs)}`);
    },
  },

  {
    id: 'drop-mid-multi',
    title: 'reconnect after a connection dropped in the middle of MULTI',
    guarantee: 'all of the transaction or none; acknowledged only if it ran; nothing ran twice; working again within the bound',
    topology: 'single',
    async run(ctx) {
      const client = await ctx.connect();
      const ledger = new Ledger(ctx.prefix);
      const ws = Array.from({ length: 3 }, () => ledger.add());
      // The second queued INCRBY: QUEUED is lost with the connection, so the server discards the transaction.
      ctx.stage.faults.on('INCRBY', { key: `${ctx.prefix}w:*`, nth: 2 }).close({ when: 'after' });
      Ledger.recordExec(ws, await ctx.bound(client.multi(ws.map(Ledger.command)), CALL_BOUND_MS));
      const rec = await recover(ctx, client);
      ctx.stage.faults.clear();
      return verdict(await ledger.problems(ctx.stage, { atomic: ws }), rec, `EXEC: ${describe(ws[0]!.outcome)}`);
    },
  },

  {
    id: 'half-written-reply',
    title: 'a half-written reply (cut off mid-bulk, then the connection closes)',
    guarantee: 'never a truncated value as a success; working again within the bound',
    topology: 'single',
    async run(ctx) {
      const key = `${ctx.prefix}big`;
      const value = Array.from({ length: 200 }, (_, i) => `v${String(i).padStart(4, '0')}`).join('');
      await ctx.stage.direct(['SET', key, value]);
      const client = await ctx.connect();
      ctx.stage.faults.on('GET', { key }).cut(Math.floor(value.length / 2));
      const o = await ctx.bound(client.call(['GET', key]), CALL_BOUND_MS);
      const problems: string[] = [];
      if (o.ok && o.value !== value) problems.push(`GET returned ${typeof o.value === 'string' ? `${o.value.length} bytes` : JSON.stringify(o.value)} instead of the ${value.length}-byte value`);
      const rec = await recover(ctx, client);
      return verdict(problems, rec, `GET: ${o.ok ? 'ok, the whole value (sent again)' : describe(o)}`);
    },
  },

  {
    id: 'reply-slower-than-timeout',
    title: "a reply slower than the client's command timeout",
    guarantee: 'the slow call fails near its timeout; the late reply never answers a later request',
    topology: 'single',
    async run(ctx) {
      const slow = `${ctx.prefix}slow`;
      const next = `${ctx.prefix}next`;
      await ctx.stage.direct(['SET', slow, 'slow-value']);
      await ctx.stage.direct(['SET', next, 'next-value']);
      // The late reply comes while the next request still waits for its own (within its timeout).
      const timeout = 400;
      const DELAY = 550;
      const client = await ctx.connect({ commandTimeoutMs: timeout });
      ctx.stage.faults.on('GET', { key: slow }).delay(DELAY);
      const t0 = performance.now();
      const o1 = await ctx.bound(client.call(['GET', slow]), CALL_BOUND_MS);
      const took = Math.round(performance.now() - t0);
      const problems: string[] = [];
      if (o1.ok) problems.push(`the ${timeout} ms timeout did not end the call: GET waited for its reply, held ${DELAY} ms`);
      else if (took > timeout + 400) problems.push(`the call failed only after ${took} ms (timeout ${timeout} ms)`);
      // Asked at once, and again after the late reply has arrived.
      for (const when of ['at once', 'after the late reply']) {
        if (when !== 'at once') await sleep(600);
        const o = await ctx.bound(client.call(['GET', next]), CALL_BOUND_MS);
        if (o.ok && o.value !== 'next-value') problems.push(`GET next (${when}) was answered ${JSON.stringify(o.value)} (a reply matched to the wrong request)`);
      }
      const rec = await recover(ctx, client);
      const v = await verdict(problems, rec, `the slow GET: ${describe(o1)}`);
      return { ...v, detail: `after ${took} ms${v.detail ? `; ${v.detail}` : ''}` };
    },
  },

  {
    id: 'loading-on-connect',
    title: 'LOADING on connect (for 400 ms)',
    guarantee: 'a call answers correctly or fails with LOADING; working within the bound once loading ends; no duplicate',
    topology: 'single',
    async run(ctx) {
      const ledger = new Ledger(ctx.prefix);
      const w = ledger.add();
      const end = Date.now() + 400;
      ctx.stage.faults.intercept({}).error('LOADING').persist().until(end);
      let client: ScenarioClient;
      try {
        client = await ctx.connect();
      } catch (e) {
        // A client whose connect() gives up on LOADING: the application connects again.
        await sleep(Math.max(0, end - Date.now()));
        client = await ctx.connect();
        void e;
      }
      w.outcome = await ctx.bound(client.call(Ledger.command(w)), CALL_BOUND_MS);
      const problems = await ledger.problems(ctx.stage);
      if (!w.outcome.ok && w.outcome.kind === 'reply' && !w.outcome.error.startsWith('LOADING')) problems.push(`the write failed with ${w.outcome.error}`);
      const rec = await recover(ctx, client, RECOVERY_BOUND_MS + Math.max(0, end - Date.now()));
      ctx.stage.faults.clear();
      return verdict(problems, rec, w.outcome.ok ? 'waited for the load to end' : `the write: ${describe(w.outcome)}`);
    },
  },

  singleWrite('tryagain', 'TRYAGAIN on a write', WRITE_GUARANTEE, (ctx, key) => {
    ctx.stage.faults.on('INCRBY', { key }).error('TRYAGAIN');
  }),

  {
    id: 'circular-moved',
    title: 'MOVED pointing back at the same node, every time',
    guarantee: 'the call settles (an error) within the bound: no endless redirect loop; working again afterwards',
    topology: 'single',
    async run(ctx) {
      const key = `${ctx.prefix}moved`;
      const client = await ctx.connect();
      const rule = ctx.stage.faults.on('GET', { key }).moved({ host: ctx.stage.endpoint.host, port: ctx.stage.endpoint.port }).persist();
      const o = await ctx.bound(client.call(['GET', key]), CALL_BOUND_MS);
      const followed = rule.fired;
      rule.clear();
      const problems = !o.ok && o.kind === 'hang' ? [`GET did not settle within ${CALL_BOUND_MS} ms (${followed} redirects followed)`] : [];
      if (o.ok) problems.push(`GET answered ${JSON.stringify(o.value)} though every attempt was redirected`);
      const rec = await recover(ctx, client);
      const what = o.ok ? describe(o) : o.kind === 'reply' && o.error.startsWith('MOVED ') ? 'the MOVED error reached the caller' : describe(o);
      return verdict(problems, rec, `${what} after ${followed} redirect${followed === 1 ? '' : 's'}`);
    },
  },

  singleWrite('clusterdown', 'CLUSTERDOWN on a write', WRITE_GUARANTEE, (ctx, key) => {
    ctx.stage.faults.on('INCRBY', { key }).error('CLUSTERDOWN');
  }),

  {
    id: 'pubsub-resubscribe',
    title: 'pub/sub resubscription after the subscriber connection is killed',
    guarantee: 'messages published after the reconnect arrive, within the bound',
    topology: 'single',
    async run(ctx) {
      const channel = `${ctx.prefix}chan`;
      const client = await ctx.connect();
      const sub = await client.subscribe(channel);
      const got = async (msg: string, bound: number): Promise<number | undefined> => {
        const t0 = performance.now();
        while (performance.now() - t0 < bound) {
          await ctx.stage.direct(['PUBLISH', channel, msg]);
          await sleep(50);
          if (sub.messages.includes(msg)) return Math.round(performance.now() - t0);
        }
        return undefined;
      };
      if ((await got('before', 2000)) === undefined) return { pass: false, finding: 'no message arrived even before the fault' };
      await ctx.stage.direct(['CLIENT', 'KILL', 'TYPE', 'pubsub']);
      const ms = await got('after', RECOVERY_BOUND_MS);
      await sub.close();
      if (ms === undefined) return { pass: false, finding: `no message within ${RECOVERY_BOUND_MS} ms of the kill: not resubscribed` };
      return { pass: true, finding: 'resubscribed: messages published after the kill arrive', detail: `the first ${ms} ms after the kill` };
    },
  },

  {
    id: 'push-mid-pipeline',
    title: 'a RESP3 push (an invalidation) in the middle of a pipeline',
    guarantee: 'the push is not taken for a reply: every reply of the pipeline matched to its request',
    topology: 'single',
    resp3: true,
    async run(ctx) {
      const client = await ctx.connect({ resp: 3 });
      const ledger = new Ledger(ctx.prefix);
      const ws = Array.from({ length: 5 }, () => ledger.add());
      ctx.stage.faults.on('INCRBY', { key: `${ctx.prefix}w:*`, nth: 3 }).push(R.push([R.bulk('invalidate'), R.array([R.bulk(`${ctx.prefix}cached`)])]));
      const outs = await boundAll(ctx, client.pipeline(ws.map(Ledger.command)), ws.length);
      ws.forEach((w, i) => (w.outcome = outs[i]));
      const rec = await recover(ctx, client);
      const problems = await ledger.problems(ctx.stage);
      outs.forEach((o, i) => { if (!o.ok) problems.push(`write ${i + 1} failed: ${describe(o)}`); });
      return verdict(problems, rec, `the pipeline: ${summary(outs)}`);
    },
  },

  {
    id: 'node-restart',
    title: 'the node restarted on the same port (down 300 ms, data kept)',
    guarantee: 'writes acknowledged before and during the restart are there, none twice; working again within the bound',
    topology: 'single',
    async run(ctx) {
      const client = await ctx.connect();
      const ledger = new Ledger(ctx.prefix);
      const before = ledger.add();
      const during = ledger.add();
      before.outcome = await ctx.bound(client.call(Ledger.command(before)), CALL_BOUND_MS);
      const down = ctx.stage.restart(300);
      await sleep(20);
      during.outcome = await ctx.bound(client.call(Ledger.command(during)), CALL_BOUND_MS);
      await down;
      const rec = await recover(ctx, client);
      const problems = await ledger.problems(ctx.stage);
      if (!before.outcome.ok) problems.push(`the write before the restart failed: ${describe(before.outcome)}`);
      return verdict(problems, rec, `the write sent while down: ${describe(during.outcome)}`);
    },
  },
];

/** Scenarios that need a cluster; none until the cluster lands (see the comment at the top). */
export const CLUSTER_SCENARIOS: readonly Scenario[] = [];

export const SCENARIOS: readonly Scenario[] = [...SINGLE_NODE_SCENARIOS, ...CLUSTER_SCENARIOS];

/** A pipeline's outcomes, each a hang when the whole pipeline does not settle in time. */
async function boundAll(ctx: ScenarioContext, p: Promise<Outcome[]>, n: number): Promise<Outcome[]> {
  let outs: Outcome[] | undefined;
  const o = await ctx.bound(p.then((x) => { outs = x; return { ok: true, value: null } as Outcome; }), CALL_BOUND_MS);
  return o.ok && outs ? outs : Array.from({ length: n }, () => o);
}

/** "3 ok, 3 closed" */
function summary(outs: readonly Outcome[]): string {
  const counts = new Map<string, number>();
  for (const o of outs) {
    const k = o.ok ? 'ok' : o.kind === 'reply' ? `error ${o.error.split(' ')[0]}` : o.kind;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
}

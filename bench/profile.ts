/**
 * Reads a V8 .cpuprofile (node --cpu-prof) of the mock server and says where
 * the time went: by area of the server (decoder, dispatch, Context, handlers,
 * keyspace, encoder, connection, socket reads/writes, GC), by function (self
 * time), and the inclusive time of the hot-path functions.
 *
 * A sample is charged to the innermost frame on its stack that belongs to a
 * known area, so native work (Buffer#toString in the decoder, the socket's
 * native write) is charged to whoever asked for it.
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  areas: [string, number][];
  selfTop: [string, number][];
  inclusive: [string, number][];
}

const OTHER_NODE = 'other node internals';

/** Areas of the server. A frame belongs to the first area that matches it. */
const AREAS: [string, (f: CallFrame) => boolean][] = [
  ['GC', (f) => f.functionName === '(garbage collector)'],
  ['decoder (src/protocol/decoder)', (f) => f.url.includes('/src/protocol/decoder')],
  ['encoder (src/protocol/encoder, double)', (f) => f.url.includes('/src/protocol/encoder') || f.url.includes('/src/protocol/double')],
  ['Context (src/engine/context)', (f) => f.url.includes('/src/engine/context')],
  ['handlers (src/engine/commands)', (f) => f.url.includes('/src/engine/commands/')],
  ['keyspace (src/engine/keyspace)', (f) => f.url.includes('/src/engine/keyspace/')],
  ['args parsing (src/engine/args)', (f) => f.url.includes('/src/engine/args')],
  ['dispatch (dispatch, registry, meta)', (f) => f.url.includes('/src/engine/dispatch') || f.url.includes('/src/engine/registry') || f.url.includes('/src/meta/')],
  ['engine (engine.ts, client.ts)', (f) => f.url.includes('/src/engine/')],
  ['reply constructors (src/protocol/reply)', (f) => f.url.includes('/src/protocol/reply')],
  ['time (src/time)', (f) => f.url.includes('/src/time/')],
  ['connection (src/server)', (f) => f.url.includes('/src/server/')],
  ['socket writes (node streams, net)', (f) => /node:internal\/(stream_base_commons|streams\/writable)|node:net/.test(f.url) && /write|Write|flush|doWrite|afterWrite|onwrite|clearBuffer/.test(f.functionName)],
  ['socket reads (node streams, net)', (f) => /node:internal\/(stream_base_commons|streams\/readable)|node:net/.test(f.url)],
  [OTHER_NODE, (f) => f.url.startsWith('node:')],
];

const key = (f: CallFrame) => `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}${f.url ? ':' + (f.lineNumber + 1) : ''}`;

function shortUrl(url: string): string {
  const i = url.indexOf('/src/');
  if (i >= 0) return url.slice(i + 1);
  return url.replace(/^file:\/\/.*\/node_modules\//, '');
}

/** Hot-path functions whose inclusive time is reported. */
const HOT = [
  'onData', 'process', 'next', 'multibulkRequest', 'execute', 'dispatch', 'gateAndRun', 'call', 'lookupCommand',
  'Context', 'append', 'encode', 'flush', 'afterCommand', 'armExpiry', 'writeGeneric', 'writevGeneric', 'onStreamRead',
];

export function analyzeProfile(p: CpuProfile): ProfileSummary {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of p.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const areaOf = new Map<number, string>();
  const area = (id: number): string => {
    const cached = areaOf.get(id);
    if (cached) return cached;
    // The innermost frame of a specific area; 'other node internals' only when none is on the stack.
    let result = 'unattributed (native, program)';
    let fallback: string | undefined;
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      const hit = AREAS.find(([, test]) => test(f));
      if (!hit) continue;
      if (hit[0] === OTHER_NODE) {
        fallback ??= hit[0];
        continue;
      }
      result = hit[0];
      fallback = undefined;
      break;
    }
    if (fallback) result = fallback;
    areaOf.set(id, result);
    return result;
  };

  let totalUs = 0;
  let idleUs = 0;
  const areas = new Map<string, number>();
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const id = p.samples[i]!;
    const dt = p.timeDeltas[i] ?? 0;
    const f = byId.get(id)!.callFrame;
    totalUs += dt;
    if (f.functionName === '(idle)') {
      idleUs += dt;
      continue;
    }
    const a = area(id);
    areas.set(a, (areas.get(a) ?? 0) + dt);
    self.set(key(f), (self.get(key(f)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const cf = byId.get(cur)!.callFrame;
      if (!HOT.includes(cf.functionName)) continue;
      if (!cf.url.includes('/src/') && !cf.url.startsWith('node:')) continue;
      const k = key(cf);
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + dt);
    }
  }
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v / 1000] as [string, number]);
  return {
    totalMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    areas: sorted(areas),
    selfTop: sorted(self).slice(0, 30),
    inclusive: sorted(incl).slice(0, 25),
  };
}

export function formatProfile(s: ProfileSummary): string {
  const busy = s.totalMs - s.idleMs;
  const pct = (ms: number) => `${((100 * ms) / busy).toFixed(1).padStart(5)}%`;
  const ms = (x: number) => `${x.toFixed(0).padStart(7)} ms`;
  const lines: string[] = [];
  lines.push(`CPU profile of the mock: ${s.totalMs.toFixed(0)} ms sampled, ${s.idleMs.toFixed(0)} ms idle, ${busy.toFixed(0)} ms busy (percentages are of busy time)`);
  lines.push('\nby area (a sample goes to the innermost frame of a known area):');
  for (const [a, v] of s.areas) lines.push(`  ${ms(v)} ${pct(v)}  ${a}`);
  lines.push('\ntop functions by self time:');
  for (const [f, v] of s.selfTop) lines.push(`  ${ms(v)} ${pct(v)}  ${f}`);
  lines.push('\ninclusive time of hot-path functions:');
  for (const [f, v] of s.inclusive) lines.push(`  ${ms(v)} ${pct(v)}  ${f}`);
  return lines.join('\n');
}

// Micro-benchmark: engine.execute of SET/GET/INCR in process (no sockets).
import { Engine } from './src/engine/engine.js';
import { VirtualClock } from './src/time/index.js';
const clock = new VirtualClock({ start: 1_700_000_000_000 });
const engine = new Engine({ clock });
const c = engine.connect({ addr: '127.0.0.1:1', laddr: '127.0.0.1:2', fd: 7 }, { deliver() {}, close() {} });
const N = 300_000;
const cmds = [['SET', 'k', 'v'], ['GET', 'k'], ['INCR', 'n'], ['LPUSH', 'l', 'x'], ['LPOP', 'l']];
function round(): number {
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) engine.execute(c, cmds[i % 5]!);
  return Number(process.hrtime.bigint() - t) / N;
}
for (let i = 0; i < 3; i++) round();
const rs: number[] = [];
for (let i = 0; i < 7; i++) rs.push(round());
rs.sort((a, b) => a - b);
console.log(`ns/command median ${rs[3]!.toFixed(0)} min ${rs[0]!.toFixed(0)}`);

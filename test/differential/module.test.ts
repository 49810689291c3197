/** MODULE with no module loaded (and none loadable), behind enable-module-command, against Valkey 9.1.2. */
import { describe, test } from 'vitest';
import { useDifferential } from './harness.js';

const d = useDifferential({ oracleArgs: ['--enable-module-command', 'yes'], server: { config: { 'enable-module-command': 'yes' } } });
const off = useDifferential();

describe('MODULE', () => {
  test('LIST, HELP, LOAD, LOADEX, UNLOAD and bad arguments', () =>
    d.check([
      ['MODULE', 'LIST'], ['MODULE', 'HELP'], ['MODULE', 'LOAD', '/nonexistent/module.so'], ['MODULE', 'LOAD', '/etc/hostname', 'a', 'b'],
      ['MODULE', 'LOADEX', '/nonexistent.so', 'CONFIG', 'x', 'y', 'ARGS', '1'], ['MODULE', 'LOADEX', '/nonexistent.so', 'BAD'],
      ['MODULE', 'UNLOAD', 'nosuch'], ['MODULE', 'LIST', 'extra'], ['MODULE', 'UNLOAD'], ['MODULE', 'NOPE'], ['MODULE'],
      ['INFO', 'modules'],
    ]));
  test('refused while enable-module-command is no', () => off.check([['MODULE', 'LIST'], ['MODULE', 'LOAD', '/x.so']]));
});

/** Connection commands: PING, ECHO, QUIT, SELECT... (Valkey group "connection"). */
import { R } from '../../protocol/index.js';
import type { CommandGroup } from '../command.js';

export const connectionCommands: CommandGroup = {
  ping: (_ctx, argv) => (argv.length === 2 ? R.bulk(argv[1]!) : R.pong),
  echo: (_ctx, argv) => R.bulk(argv[1]!),
};

/** String commands (Valkey group "string"). */
import { R } from '../../protocol/index.js';
import type { CommandGroup } from '../command.js';

export const stringCommands: CommandGroup = {
  get(ctx, argv) {
    const e = ctx.read(argv[1]!, 'string');
    return e ? R.bulk(e.value as string) : R.null;
  },
  set(ctx, argv) {
    ctx.db.set(argv[1]!, 'string', argv[2]!, ctx.now);
    ctx.wrote(argv[1]!, '$', 'set');
    return R.ok;
  },
};

/** Bitmap commands: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD (Valkey group "bitmap"). */
import type { CommandGroup } from '../command.js';

export const bitmapCommands: CommandGroup = {};

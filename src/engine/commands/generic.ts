/** Generic keyspace commands: DEL, EXPIRE, SCAN, OBJECT... (Valkey group "generic"). */
import type { CommandGroup } from '../command.js';

export const genericCommands: CommandGroup = {};

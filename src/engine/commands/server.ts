/** Server commands: INFO, CONFIG, COMMAND, FLUSHALL, DBSIZE, TIME... (Valkey group "server"). */
import type { CommandGroup } from '../command.js';

export const serverCommands: CommandGroup = {};

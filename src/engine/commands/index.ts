/** Every implemented command group. A group file exports a CommandGroup. */
import type { CommandGroup } from '../command.js';
import { connectionCommands } from './connection.js';
import { stringCommands } from './string.js';

export const ALL_GROUPS: readonly CommandGroup[] = [connectionCommands, stringCommands];

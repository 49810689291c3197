/** COMMAND and its subcommands (Valkey group "server"), answered from the generated metadata. */
import type { CommandGroup } from '../command.js';

export const introspectionCommands: CommandGroup = {};

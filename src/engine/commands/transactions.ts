/** Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH (Valkey group "transactions"). */
import type { CommandGroup } from '../command.js';

export const transactionsCommands: CommandGroup = {};

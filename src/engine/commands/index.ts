/** Every implemented command group, one file per Valkey command group. */
import type { CommandGroup } from '../command.js';
import { bitmapCommands } from './bitmap.js';
import { connectionCommands } from './connection.js';
import { genericCommands } from './generic.js';
import { introspectionCommands } from './introspection.js';
import { serverCommands } from './server.js';
import { stringCommands } from './string.js';
import { transactionsCommands } from './transactions.js';

export const ALL_GROUPS: readonly CommandGroup[] = [
  bitmapCommands,
  connectionCommands,
  genericCommands,
  introspectionCommands,
  serverCommands,
  stringCommands,
  transactionsCommands,
];

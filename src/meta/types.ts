/** The shape of Valkey's command metadata, as scripts/gen-commands.mjs writes it. */

export type BeginSearch =
  | { type: 'index'; pos: number }
  | { type: 'keyword'; keyword: string; startfrom: number }
  | { type: 'unknown' };

export type FindKeys =
  | { type: 'range'; lastkey: number; step: number; limit: number }
  | { type: 'keynum'; keynumidx: number; firstkey: number; step: number }
  | { type: 'unknown' };

export interface KeySpec {
  flags: readonly string[];
  notes?: string;
  beginSearch: BeginSearch;
  findKeys: FindKeys;
}

export interface ArgSpec {
  name: string;
  type: string;
  display?: string;
  keySpecIndex?: number;
  token?: string;
  summary?: string;
  since?: string;
  deprecatedSince?: string;
  flags?: readonly string[];
  value?: string;
  arguments?: readonly ArgSpec[];
}

export interface CommandSpec {
  /** Lower-case name; for a subcommand the bare subcommand name ("setname"). */
  name: string;
  group: string;
  since: string;
  summary: string;
  complexity?: string;
  arity: number;
  flags: readonly string[];
  aclCategories: readonly string[];
  keySpecs: readonly KeySpec[];
  tips: readonly string[];
  docFlags?: readonly string[];
  deprecatedSince?: string;
  replacedBy?: string;
  history?: readonly (readonly [string, string])[];
  arguments?: readonly ArgSpec[];
  getKeysFunction?: string;
  subcommands?: readonly CommandSpec[];
}

/**
 * Ready-made error replies, with Valkey 9.1.2's exact texts (server.c
 * createSharedObjects, cluster.c clusterRedirectClient).
 */

/** The error texts a fault can answer with by name: `.error('LOADING')`. */
export const FAULT_ERRORS = {
  LOADING: 'LOADING Valkey is loading the dataset in memory',
  /** A script running too long (EVAL). */
  BUSY: 'BUSY Valkey is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.',
  /** A function running too long (FCALL). */
  BUSY_FUNCTION: 'BUSY Valkey is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.',
  BUSY_MODULE: 'BUSY Valkey is busy running a module command.',
  READONLY: "READONLY You can't write against a read only replica.",
  MASTERDOWN: "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
  OOM: "OOM command not allowed when used memory > 'maxmemory'.",
  NOAUTH: 'NOAUTH Authentication required.',
  TRYAGAIN: 'TRYAGAIN Multiple keys request during rehashing of slot',
  CLUSTERDOWN: 'CLUSTERDOWN The cluster is down',
  CLUSTERDOWN_READONLY: 'CLUSTERDOWN The cluster is down and only accepts read commands',
  CLUSTERDOWN_UNBOUND: 'CLUSTERDOWN Hash slot not served',
  CROSSSLOT: "CROSSSLOT Keys in request don't hash to the same slot",
  MISCONF:
    "MISCONF Valkey is configured to save RDB snapshots, but it's currently unable to persist to disk. " +
    'Commands that may modify the data set are disabled, because this instance is configured to report errors ' +
    'during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Valkey logs for details about the RDB error.',
  NOREPLICAS: 'NOREPLICAS Not enough good replicas to write.',
} as const;

export type FaultErrorName = keyof typeof FAULT_ERRORS;

/** Where a redirect points. */
export interface RedirectTarget {
  host: string;
  port: number;
  /** The hash slot named; by default the slot of the command's first key (0 without keys). */
  slot?: number;
}

/** "MOVED 3999 127.0.0.1:6381", as clusterRedirectClient writes it. */
export function movedError(slot: number, host: string, port: number): string {
  return `MOVED ${slot} ${host}:${port}`;
}

/** "ASK 3999 127.0.0.1:6381". */
export function askError(slot: number, host: string, port: number): string {
  return `ASK ${slot} ${host}:${port}`;
}

/** The text of a named error, or the text itself; newlines cannot be sent in an error line. */
export function errorText(nameOrText: string): string {
  const known = (FAULT_ERRORS as Record<string, string>)[nameOrText];
  const s = known ?? nameOrText;
  return s.replace(/[\r\n]+/g, ' ');
}

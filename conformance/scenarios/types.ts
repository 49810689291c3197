/**
 * The shapes of the client scenario library: a driver puts a client library
 * behind a small interface (commands, a pipeline, MULTI, a subscriber), a
 * stage is a server the faults act on, and a scenario sets up faults, runs a
 * short workload through the client and says what it found.
 */
import type { Faults } from '../../src/index.js';

/** A reply as the scenarios compare it: scalars as text, arrays of them, null. */
export type Val = string | null | readonly Val[];

/** What one call came back with. `hang` is the runner's: the call did not settle within its bound. */
export type Outcome =
  | { readonly ok: true; readonly value: Val }
  | { readonly ok: false; readonly error: string; readonly kind: 'reply' | 'timeout' | 'closed' | 'hang' };

export interface ClientOptions {
  resp: 2 | 3;
  /** The client's per-command timeout, when the scenario sets one. */
  commandTimeoutMs?: number;
}

export interface Subscription {
  /** Messages received on the channel, in order. */
  readonly messages: readonly string[];
  close(): Promise<void>;
}

/**
 * One client connection, configured as an application would use it: the
 * library's own reconnect and retry defaults stay on. No method throws: a
 * failure is an Outcome.
 */
export interface ScenarioClient {
  call(args: readonly string[]): Promise<Outcome>;
  /** The commands written together; one Outcome each. */
  pipeline(cmds: readonly (readonly string[])[]): Promise<Outcome[]>;
  /** MULTI, the commands, EXEC: EXEC's array (an error inside it as "!<message>"), or the error. */
  multi(cmds: readonly (readonly string[])[]): Promise<Outcome>;
  /** A subscriber on its own connection (as the libraries want it). */
  subscribe(channel: string): Promise<Subscription>;
  close(): Promise<void>;
}

/** Puts one client library behind ScenarioClient. */
export interface ScenarioDriver {
  readonly name: string;
  /** The library's version, for the table. */
  readonly version: string;
  readonly protocols: readonly (2 | 3)[];
  /** How it is configured, for the table's notes. */
  readonly settings: string;
  connect(endpoint: { host: string; port: number }, opts: ClientOptions): Promise<ScenarioClient>;
}

/** Where the scenarios run: a server (or a proxy in front of one) and its fault rules. */
export interface Stage {
  readonly name: string;
  readonly description: string;
  readonly endpoint: { readonly host: string; readonly port: number };
  readonly faults: Faults;
  /** A command on a connection the faults never touch, to the same data. */
  direct(args: readonly string[]): Promise<Val>;
  /**
   * The node goes down (connections reset, the port refuses) for `downMs`,
   * then listens again on the same port with its data.
   */
  restart(downMs: number): Promise<void>;
  /** Between scenarios: no rules, no records, no data. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface Verdict {
  readonly pass: boolean;
  /** What the client did: the finding when it failed, how it coped when it passed. */
  readonly finding: string;
  /** Figures that change from run to run (times), shown beside the finding but kept out of the README table. */
  readonly detail?: string;
}

export interface ScenarioContext {
  readonly stage: Stage;
  readonly driver: ScenarioDriver;
  /** A key prefix of this run (the faults match on it). */
  readonly prefix: string;
  /** A client of the driver, closed when the scenario ends. */
  connect(opts?: Partial<ClientOptions>): Promise<ScenarioClient>;
  /** The promise's outcome, or a `hang` once `ms` pass. */
  bound(p: Promise<Outcome>, ms: number): Promise<Outcome>;
}

export interface Scenario {
  readonly id: string;
  readonly title: string;
  /** 'cluster' scenarios wait for the cluster (they are listed, and skipped, until it lands). */
  readonly topology: 'single' | 'cluster';
  /** What the client must guarantee, as the checker tests it. */
  readonly guarantee: string;
  /** Needs a client that speaks RESP3. */
  readonly resp3?: boolean;
  run(ctx: ScenarioContext): Promise<Verdict>;
}

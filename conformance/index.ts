/**
 * valkey-double/conformance: the conformance corpus as a library. Most
 * users want the command line (`npx valkey-double conformance`) or the vitest
 * integration (`valkey-double/conformance/vitest`); this is for the rest:
 * custom runners, custom drivers, custom reports.
 */
export { runCorpus, runExample, runProperty, runModelGroup, openAdmin, randomSeed, KINDS } from './run.js';
export type { CorpusOptions, CorpusRun, CaseResult, Kind, Status, RunContext } from './run.js';
export { startTarget, parseUrl, TargetUnavailable, TARGET_NAMES } from './targets/target.js';
export type { Target, TargetName, TargetOptions, Endpoint, Capability } from './targets/target.js';
export { loadDriver, DriverUnavailable, DRIVER_NAMES, toBuffer } from './drivers/driver.js';
export type { Driver, DriverConnection, DriverReply, ConnectOptions, Arg } from './drivers/driver.js';
export { allExamples, allProperties } from './corpus.js';
export { CORPUS_GROUPS } from './model/groups.js';
export { group } from './cases/case.js';
export type { ExampleCase, Step, Tag } from './cases/case.js';
export { property } from './properties/property.js';
export type { PropertyCase, PropertyContext } from './properties/property.js';
export * as expect from './expect.js';
export { EXACT_PROFILE, compareModeFor, exclusionReason } from './normalize.js';
export type { ClientProfile, CompareMode } from './normalize.js';
export { showValue } from './value.js';
export type { Value } from './value.js';
export { commandTable, formatTable, formatSummary, formatFailures, junitXml, jsonReport } from './report.js';
export { main as cli } from './cli.js';
// Client scenarios: faults a client library must survive, as a table (conformance/scenarios).
export * from './scenarios/index.js';

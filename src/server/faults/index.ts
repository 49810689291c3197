export { Faults, FaultScope, FaultRule, Interceptor, PendingFaultsError, defaultFaultSeed } from './faults.js';
export type { FaultEffect, FaultSpec, FaultDelay, FaultsOptions, CallRecord, FiredFault, ClientView } from './faults.js';
export type { FaultMatch, ConnectionMatch, TextMatcher } from './match.js';
export { FAULT_ERRORS, movedError, askError, errorText } from './errors.js';
export type { FaultErrorName, RedirectTarget } from './errors.js';
export { keyHashSlot } from './slot.js';
export { FaultLayer } from './layer.js';
export { isAdminCommand } from './admin.js';

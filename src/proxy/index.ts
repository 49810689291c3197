export { createProxy, FaultProxy } from './proxy.js';
export type { ProxyOptions } from './proxy.js';

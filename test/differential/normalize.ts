/**
 * Normalisers for replies whose numbers cannot match a real server: CLIENT
 * LIST / CLIENT INFO memory and buffer fields, and INFO's process figures.
 * Each masks the values of the fields it names, nothing else.
 */
import type { RawClient, Arg } from '../../conformance/targets/raw-client.js';
import type { Differential } from './harness.js';

/** CLIENT LIST fields whose values depend on allocators, buffers and descriptors. */
export const CLIENT_MEMORY_FIELDS = ['fd', 'qbuf', 'qbuf-free', 'multi-mem', 'rbs', 'rbp', 'obl', 'oll', 'omem', 'tot-mem'];

/** Masks the values of `fields` (and client ids/ports when asked) in CLIENT LIST lines. */
export function maskClientList(text: string, fields: readonly string[] = CLIENT_MEMORY_FIELDS): string {
  return text
    .split('\n')
    .map((line) => line.split(' ').map((kv) => {
      const i = kv.indexOf('=');
      if (i < 0) return kv;
      const k = kv.slice(0, i);
      return fields.includes(k) ? `${k}=*` : kv;
    }).join(' '))
    .join('\n');
}

/** INFO fields that report the process (memory, CPU, build, time, event loop) rather than server state. */
export const INFO_PROCESS_FIELDS = new Set([
  'redis_git_sha1', 'redis_git_dirty', 'redis_build_id', 'os', 'monotonic_clock', 'gcc_version', 'process_id',
  'run_id', 'tcp_port', 'server_time_usec', 'uptime_in_seconds', 'uptime_in_days', 'lru_clock', 'executable',
  'listener0',
  'used_memory', 'used_memory_human', 'used_memory_rss', 'used_memory_rss_human', 'used_memory_peak',
  'used_memory_peak_human', 'used_memory_peak_perc', 'used_memory_overhead', 'used_memory_startup',
  'used_memory_dataset', 'used_memory_dataset_perc', 'allocator_allocated', 'allocator_active',
  'allocator_resident', 'allocator_muzzy', 'total_system_memory', 'total_system_memory_human', 'used_memory_lua',
  'used_memory_vm_eval', 'used_memory_lua_human', 'used_memory_vm_functions', 'used_memory_vm_total',
  'used_memory_vm_total_human', 'allocator_frag_ratio', 'allocator_frag_bytes', 'allocator_rss_ratio',
  'allocator_rss_bytes', 'rss_overhead_ratio', 'rss_overhead_bytes', 'mem_fragmentation_ratio',
  'mem_fragmentation_bytes', 'mem_clients_normal', 'mem_not_counted_for_evict', 'lazyfreed_objects',
  'rdb_last_save_time', 'current_cow_size', 'current_cow_peak', 'rdb_last_cow_size', 'aof_last_cow_size',
  'total_net_input_bytes', 'total_net_output_bytes', 'total_reads_processed', 'total_writes_processed',
  'instantaneous_ops_per_sec', 'instantaneous_input_kbps', 'instantaneous_output_kbps', 'eventloop_cycles',
  'eventloop_duration_sum', 'eventloop_duration_cmd_sum', 'instantaneous_eventloop_cycles_per_sec',
  'instantaneous_eventloop_duration_usec', 'expire_cycle_cpu_milliseconds', 'master_replid',
  'used_cpu_sys', 'used_cpu_user', 'used_cpu_sys_children', 'used_cpu_user_children', 'used_cpu_sys_main_thread',
  'used_cpu_user_main_thread', 'used_active_time_main_thread', 'engines_total_used_memory', 'engine_0',
  'client_recent_max_input_buffer', 'client_recent_max_output_buffer', 'total_connections_received',
  'eventloop_duration_aof_sum', 'eventloop_duration_cron_sum', 'eventloop_duration_max', 'eventloop_cmd_per_cycle_max',
  'avg_ttl',
]);

/**
 * INFO text with the values of process fields masked, cmdstat usec figures
 * and latency percentiles masked, and the lines of each section sorted
 * (commandstats and latencystats follow hash-table order on the real server).
 */
export function maskInfo(text: string): string {
  const sections = text.split('\r\n\r\n');
  return sections.map((sec) => {
    const lines = sec.split('\r\n').filter((l) => l !== '');
    const head = lines[0]?.startsWith('#') ? [lines.shift()!] : [];
    const body = lines.map((l) => {
      const i = l.indexOf(':');
      if (i < 0) return l;
      const k = l.slice(0, i);
      let v = l.slice(i + 1);
      if (INFO_PROCESS_FIELDS.has(k)) return `${k}:*`;
      if (k.startsWith('cmdstat_')) v = v.replace(/usec=\d+,usec_per_call=[\d.]+/, 'usec=*,usec_per_call=*');
      if (k.startsWith('latency_percentiles_usec_')) v = v.replace(/=[\d.]+/g, '=*');
      if (/^db\d+$/.test(k)) v = v.replace(/avg_ttl=\d+/, 'avg_ttl=*');
      return `${k}:${v}`;
    });
    return [...head, ...body.sort()].join('\n');
  }).join('\n\n');
}

/** The text of a bulk or verbatim reply. */
export function text(r: { value: { type: string; value?: unknown } }): string {
  const v = r.value as { type: string; value: unknown; format?: string };
  if (v.type === 'bulk' || v.type === 'verbatim' || v.type === 'simple' || v.type === 'error') return String(v.value);
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}

/** Runs the same commands on two clients and returns both replies' texts. */
export async function both(a: RawClient, b: RawClient, cmd: readonly Arg[]): Promise<[string, string, string, string]> {
  const [ra, rb] = await Promise.all([a.send(cmd), b.send(cmd)]);
  return [text(ra), text(rb), ra.raw, rb.raw];
}

/** Makes both servers hand out the same client id next: open throwaway connections on the one behind. */
export async function alignIds(d: Differential, password?: string): Promise<void> {
  if (!d.available) return;
  const idOf = async (which: 'oracle' | 'mock') => {
    const c = await d.connect(which);
    if (password) await c.send(['AUTH', password]);
    const r = await c.send(['CLIENT', 'ID']);
    c.close();
    return Number((r.value as { value: bigint }).value);
  };
  let [a, b] = await Promise.all([idOf('oracle'), idOf('mock')]);
  while (a !== b) {
    if (a < b) a = await idOf('oracle');
    else b = await idOf('mock');
  }
}


/** The url target: an existing server at VALKEY_URL. The corpus empties it (FLUSHALL) before each case. */
import { parseUrl, sleep, TargetUnavailable, type Target, type TargetOptions } from './target.js';

export async function connectUrl(opts: TargetOptions = {}): Promise<Target> {
  const url = opts.url ?? process.env['VALKEY_URL'];
  if (!url) throw new TargetUnavailable('url', 'set VALKEY_URL (redis://[user:pass@]host:port)');
  const endpoint = parseUrl(url);
  const shown = url.replace(/\/\/([^@/]*)@/, '//***@');
  return {
    name: 'url',
    description: `server at ${shown}`,
    endpoint,
    capabilities: new Set(),
    elapse: sleep,
    close: async () => {},
  };
}

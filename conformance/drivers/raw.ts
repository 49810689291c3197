/** The raw RESP driver: multibulk requests, every reply's exact bytes. */
import { RawClient } from '../targets/raw-client.js';
import { EXACT_PROFILE } from '../normalize.js';
import { valueFromRaw } from '../value.js';
import type { RawValue } from '../../src/index.js';
import type { Driver } from './driver.js';

export const rawDriver: Driver = {
  name: 'raw',
  protocols: [2, 3],
  profile: EXACT_PROFILE,
  exact: true,
  async connect(endpoint, { resp }) {
    const c = await RawClient.connect(endpoint.port, endpoint.host);
    const must = async (args: string[]) => {
      const r = await c.send(args);
      if (r.value.type === 'error') throw new Error(`${args[0]} failed: ${r.value.value}`);
    };
    if (resp === 3) {
      await must(endpoint.password ? ['HELLO', '3', 'AUTH', endpoint.username ?? 'default', endpoint.password] : ['HELLO', '3']);
    } else if (endpoint.password) {
      await must(endpoint.username ? ['AUTH', endpoint.username, endpoint.password] : ['AUTH', endpoint.password]);
    }
    return {
      async send(args) {
        const r = await c.send(args);
        return { value: valueFromRaw(r.value), raw: r.raw, rawValue: r.value };
      },
      async sendRaw(bytes, replies) {
        const toReply = (r: { raw: string; value: RawValue }) => ({ value: valueFromRaw(r.value), raw: r.raw, rawValue: r.value });
        if (replies === 'close') {
          const r = await c.sendUntilClose(bytes);
          return { replies: r.replies.map(toReply), closed: r.closed };
        }
        const rs = await c.sendRawMany(bytes, replies);
        return { replies: rs.map(toReply), closed: c.isClosed };
      },
      async close() {
        c.close();
      },
    };
  },
};

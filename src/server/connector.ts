/** MIGRATE's outgoing connections over TCP (node:net), for the engine's Connector interface. */
import { connect as netConnect, type Socket } from 'node:net';
import type { Connector, Link, LinkEvents } from '../engine/migrate.js';
import type { Bytes } from '../protocol/index.js';

export const tcpConnector: Connector = {
  connect(host: string, port: number, timeoutMs: number, events: LinkEvents): Link {
    let done = false;
    const fail = (code: string) => {
      if (done) return;
      done = true;
      socket.destroy();
      events.failed(code);
    };
    const socket: Socket = netConnect({ host, port, noDelay: true });
    socket.setTimeout(timeoutMs);
    socket.on('timeout', () => fail('ETIMEDOUT'));
    socket.once('connect', () => {
      socket.setTimeout(0);
      events.connected();
    });
    socket.on('data', (d: Buffer) => { if (!done) events.data(d.toString('latin1') as Bytes); });
    socket.on('error', (e: NodeJS.ErrnoException) => fail(e.code ?? 'EIO'));
    socket.on('close', () => fail('ECONNRESET'));
    return {
      write(data) {
        if (done) return;
        socket.write(data, 'latin1', (err) => { if (err) fail('EPIPE'); });
      },
      readTimeout(ms) {
        if (!done) socket.setTimeout(ms);
      },
      close() {
        done = true;
        socket.destroy();
      },
    };
  },
};

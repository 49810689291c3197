/**
 * ACL users through client libraries: ioredis and node-redis connect as a
 * user (AUTH user pass in RESP2, HELLO 3 AUTH in RESP3), see NOPERM errors as
 * command errors, and a wrong password fails the connection. The same
 * expectations run against valkey-double and a real Valkey 9.
 */
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { targetNames, uniq, useTarget } from './support/targets.js';

const cases = targetNames().flatMap((t) => ([2, 3] as const).map((p) => [t, p] as const));

describe.each(cases)('ACL users against %s, RESP%s', (targetName, resp) => {
  const target = useTarget(targetName);
  const user = uniq('app');
  let admin: Redis;

  beforeAll(async () => {
    admin = new Redis({ host: target.host, port: target.port, protocol: 2, lazyConnect: true });
    await admin.connect();
    await admin.call('ACL', 'SETUSER', user, 'reset', 'on', '>s3cret', '~app:*', '%R~shared:*', '+@read', '+@write', '-flushall', '+ping', '+hello', '+client|setinfo', '+client|setname', '+select');
    await admin.set('shared:greeting', 'hi');
  });
  afterAll(async () => {
    await admin.call('ACL', 'DELUSER', user);
    admin.disconnect();
  });

  test('ioredis: connects as the user; key patterns and commands are enforced', async () => {
    const r = new Redis({ host: target.host, port: target.port, username: user, password: 's3cret', protocol: resp, lazyConnect: true });
    await r.connect();
    try {
      expect(await r.call('ACL', 'WHOAMI').catch((e: Error) => e.message)).toMatch(/^NOPERM User app\S* has no permissions to run the 'acl\|whoami' command$/);
      expect(await r.set('app:1', 'v')).toBe('OK');
      expect(await r.get('app:1')).toBe('v');
      expect(await r.get('shared:greeting')).toBe('hi');
      await expect(r.set('shared:greeting', 'x')).rejects.toThrow('NOPERM No permissions to access a key');
      await expect(r.get('other')).rejects.toThrow('NOPERM No permissions to access a key');
      await expect(r.flushall()).rejects.toThrow("has no permissions to run the 'flushall' command");
      await expect(r.multi().set('app:2', 'v').incr('other').exec()).rejects.toThrow(/EXECABORT/);
    } finally {
      r.disconnect();
    }
  });

  test('ioredis: a wrong password fails the connection with WRONGPASS', async () => {
    const r = new Redis({ host: target.host, port: target.port, username: user, password: 'nope', protocol: resp, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    const errors: string[] = [];
    r.on('error', (e: Error) => errors.push(e.message));
    await expect(r.connect()).rejects.toThrow();
    r.disconnect();
    expect(errors.some((m) => m.startsWith('WRONGPASS invalid username-password pair or user is disabled.')), errors.join('; ')).toBe(true);
  });

  test('node-redis: connects as the user and sees NOPERM', async () => {
    const c = createClient({ socket: { host: target.host, port: target.port, reconnectStrategy: false }, username: user, password: 's3cret', RESP: resp });
    c.on('error', () => {});
    await c.connect();
    try {
      expect(await c.set('app:n', '1')).toBe('OK');
      expect(await c.incr('app:n')).toBe(2);
      await expect(c.get('nope')).rejects.toThrow('NOPERM No permissions to access a key');
      await expect(c.sendCommand(['CONFIG', 'GET', 'maxmemory'])).rejects.toThrow("NOPERM User " + user + " has no permissions to run the 'config|get' command");
    } finally {
      c.destroy();
    }
  });

  test('node-redis: a deleted user\'s connection is closed', async () => {
    const tmp = uniq('tmp');
    await admin.call('ACL', 'SETUSER', tmp, 'on', '>pw', '+@all', '~*');
    const c = createClient({ socket: { host: target.host, port: target.port, reconnectStrategy: false }, username: tmp, password: 'pw', RESP: resp });
    c.on('error', () => {});
    await c.connect();
    expect(await c.ping()).toBe('PONG');
    expect(await admin.call('ACL', 'DELUSER', tmp)).toBe(1);
    await expect(c.ping()).rejects.toThrow();
    c.destroy();
  });
});

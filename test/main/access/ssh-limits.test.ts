/**
 * The SSH gateway's limits without Docker: the MaxStartups decision and the limit defaults and
 * checks (pure), and on a real gateway over the in-memory engine the stdio path's deadlines
 * (`hubdeck ssh-proxy` → serveStream) and the per-user connection cap.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { ChannelCaps } from '../../../main/access/ssh-channel-caps';
import { SshAdmission } from '../../../main/access/ssh-admission';
import { SshGateway } from '../../../main/access/ssh-gateway';
import { DEFAULT_SSH_LIMITS, refuseStartup, resolveSshLimits } from '../../../main/access/ssh-limits';
import { startApiHub, type ApiHub } from '../../support/api-hub';

describe('refuseStartup (MaxStartups start:rate:full, per address)', () => {
  const l = resolveSshLimits({ maxStartups: { start: 10, rate: 30, full: 100 }, maxStartupsPerAddress: 5 });
  it('admits below start, drops at rate% from start rising to certain at full', () => {
    expect(refuseStartup(l, 9, 0, 0)).toBeNull();
    expect(refuseStartup(l, 10, 0, 0.29)).toMatch(/at random \(30%\)/);
    expect(refuseStartup(l, 10, 0, 0.31)).toBeNull();
    expect(refuseStartup(l, 55, 0, 0.64)).toMatch(/at random \(65%\)/);
    expect(refuseStartup(l, 55, 0, 0.66)).toBeNull();
    expect(refuseStartup(l, 100, 0, 0)).toMatch(/full at 100/);
  });
  it('refuses an address at its own cap even when the gateway is quiet', () => {
    expect(refuseStartup(l, 5, 5, 0.99)).toMatch(/from this address \(limit 5\)/);
    expect(refuseStartup(l, 5, 4, 0.99)).toBeNull();
  });
});

describe('SshAdmission when the door is full', () => {
  const l = resolveSshLimits({ maxStartups: { start: 6, rate: 100, full: 6 }, maxStartupsPerAddress: 3 });
  const stream = () => new PassThrough();
  it('closes the oldest waiting connection of the busiest address for a newcomer, and only for one', () => {
    const door = new SshAdmission(l, () => undefined, () => 0);
    const flood = ['10.0.0.1', '10.0.0.1', '10.0.0.1', '10.0.0.2', '10.0.0.2', '10.0.0.2'].map((a) => ({ a, s: stream() }));
    for (const f of flood) expect(door.admit(f.s, f.a)).toBe(true);
    expect(door.unauthenticated()).toBe(6);
    // a person with nothing waiting gets in; the flood's oldest goes
    const person = stream();
    expect(door.admit(person, '10.0.0.9')).toBe(true);
    expect(flood[0]!.s.destroyed).toBe(true);
    expect(door.unauthenticated()).toBe(6);
    // the flood's own addresses are not made room for: they hold as much as anyone
    expect(door.admit(stream(), '10.0.0.1')).toBe(false);
    expect(door.admit(stream(), '10.0.0.2')).toBe(false);
    // and an address at its own cap never is
    expect(door.admit(stream(), '10.0.0.2')).toBe(false);
    for (const f of flood) f.s.destroy();
    person.destroy();
  });
});

describe('resolveSshLimits', () => {
  it('applies the defaults for what is left out', () => {
    expect(resolveSshLimits()).toEqual(DEFAULT_SSH_LIMITS);
    expect(resolveSshLimits({ maxSessionsPerConnection: 3 })).toEqual({ ...DEFAULT_SSH_LIMITS, maxSessionsPerConnection: 3 });
    expect(resolveSshLimits({ maxStartups: { start: 1, rate: 0, full: 1 } }).maxStartups).toEqual({ start: 1, rate: 0, full: 1 });
  });
  it('refuses values that would lift or break a limit', () => {
    expect(() => resolveSshLimits({ loginGraceMs: 0 })).toThrow(/loginGraceMs must be a whole number/);
    expect(() => resolveSshLimits({ maxSessionsPerConnection: Infinity })).toThrow(/maxSessionsPerConnection/);
    expect(() => resolveSshLimits({ maxStartups: { start: 50, rate: 30, full: 10 } })).toThrow(/start must not exceed/);
    expect(() => resolveSshLimits({ maxStartups: { start: 1, rate: 101, full: 10 } })).toThrow(/rate/);
    expect(() => resolveSshLimits({ maxSession: 3 } as never)).toThrow(/unknown limit\(s\): maxSession/);
  });
});

describe('ChannelCaps', () => {
  it('counts sessions and forwards per connection and all channels per user, and frees on release', () => {
    const caps = new ChannelCaps(resolveSshLimits({ maxSessionsPerConnection: 2, maxForwardsPerConnection: 1, maxChannelsPerUser: 3, maxConnectionsPerUser: 2 }));
    const a = caps.connection('ann');
    const b = caps.connection('ann');
    if (typeof a === 'string' || typeof b === 'string') throw new Error('refused');
    expect(caps.connection('ann')).toMatch(/at most 2 SSH connections at once for ann/);
    const s1 = a.channel('session');
    expect(typeof s1).toBe('function');
    expect(typeof a.channel('session')).toBe('function');
    expect(a.channel('session')).toMatch(/at most 2 sessions on one connection/);
    expect(typeof a.channel('forward')).toBe('function');
    expect(b.channel('session')).toMatch(/at most 3 channels at once for ann/);
    (s1 as () => void)();
    (s1 as () => void)();
    expect(caps.channels('ann')).toBe(2);
    expect(typeof b.channel('session')).toBe('function');
    // A connection that drops gives back its channels too (ssh2 does not close idle sessions).
    a.release();
    expect(caps.channels('ann')).toBe(1);
    expect(typeof caps.connection('ann')).not.toBe('string');
  });
});

describe('a gateway on the in-memory engine', () => {
  let h: ApiHub;
  let key: string;
  beforeAll(async () => {
    h = await startApiHub('sshlimu');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-sshlimu-')), 'id');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
    key = fs.readFileSync(file, 'utf8');
    await h.hub.keys.add({ user: 'admin', admin: true }, 'admin', { key: fs.readFileSync(`${file}.pub`, 'utf8').trim() });
  });
  afterAll(() => h?.stop());

  /** Two ends of a loopback TCP connection: one for the gateway's serveStream, one for the client. */
  async function pair(): Promise<{ server: net.Socket; client: net.Socket }> {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const accepted = new Promise<net.Socket>((r) => srv.once('connection', r));
    const client = net.connect((srv.address() as net.AddressInfo).port, '127.0.0.1');
    const server = await accepted;
    srv.close();
    return { server, client };
  }

  const login = (o: { sock?: net.Socket; port?: number }) => new Promise<Client>((resolve, reject) => {
    const c = new Client();
    c.once('ready', () => resolve(c)).once('error', reject).once('close', () => reject(new Error('closed before login')));
    c.connect({ ...o, host: '127.0.0.1', username: 'admin.w', privateKey: key });
  });

  it('ends a stdio stream (ssh-proxy) that never logs in, and not one that did', async () => {
    const gw = new SshGateway({ hub: h.hub, hostKeys: (await h.hub.hostKey()).keys, limits: { handshakeTimeoutMs: 500, loginGraceMs: 800 } });
    try {
      const silent = await pair();
      silent.client.on('error', () => undefined);
      const t0 = Date.now();
      const served = gw.serveStream(silent.server);
      const outcome = await Promise.race([served.then(() => 'ended'), new Promise((r) => setTimeout(() => r('still open after 3 s'), 3000))]);
      expect(outcome).toBe('ended');
      expect(Date.now() - t0).toBeLessThan(2000);
      const good = await pair();
      const ended = gw.serveStream(good.server).then(() => 'ended');
      const c = await login({ sock: good.client });
      const later = await Promise.race([ended, new Promise((r) => setTimeout(() => r('open'), 1500))]);
      expect(later).toBe('open');
      c.end();
      expect(await ended).toBe('ended');
    } finally {
      await gw.close();
    }
  });

  it('refuses a user past maxConnectionsPerUser (connections with no channel count too)', async () => {
    const gw = new SshGateway({ hub: h.hub, hostKeys: (await h.hub.hostKey()).keys, limits: { maxConnectionsPerUser: 2 } });
    const { port } = await gw.listen('127.0.0.1', 0);
    const open: Client[] = [];
    try {
      open.push(await login({ port }), await login({ port }));
      // The third logs in only to hear why, on its first channel, and is ended.
      const third = await login({ port });
      const closed = new Promise<void>((r) => { third.once('close', () => r()); });
      const err = await new Promise<Error | undefined>((resolve) => { third.exec('true', (e) => resolve(e)); });
      expect(err?.message).toMatch(/at most 2 SSH connections at once for admin; close one first/);
      await closed;
      open.pop()!.end();
      await new Promise((r) => setTimeout(r, 200));
      open.push(await login({ port }));
    } finally {
      for (const c of open) c.end();
      await gw.close();
    }
  });
});

/**
 * serveHub, the one "serve the hub plus its SSH gateway" setup: the server answers at the URL it
 * reports, the gateway listens where the hub announces it (the advertised host when given, the
 * HTTP port + 1 by default), a gateway that cannot listen closes the server again, and stopping
 * closes both while the hub stays open.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeEngine } from '../../../main/engine/fake/fake-engine';
import { sshOf } from '../../../main/api/hub-info';
import { Hub } from '../../../main/hub/hub';
import { hostOf, serveHub } from '../../../main/server/serve-hub';

let hub: Hub;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-serve-hub-'));
const admin = { user: 'me', admin: true };

beforeAll(async () => {
  hub = (await Hub.open({ engine: new FakeEngine({ kind: 'fake', origin: 'serve-hub' }), dataDir, adminName: 'me' })).hub;
});
afterAll(async () => {
  await hub.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const refused = (port: number) => new Promise<boolean>((resolve) => {
  const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(false); });
  s.on('error', () => resolve(true));
});
const freePort = () => new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as net.AddressInfo;
    s.close(() => resolve(port));
  });
});

/** A free port whose next one is free too (the gateway's default), both checked by listening. */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await freePort();
    const next = net.createServer();
    const ok = await new Promise<boolean>((resolve) => {
      next.once('error', () => resolve(false));
      next.listen(port + 1, '127.0.0.1', () => next.close(() => resolve(true)));
    });
    if (ok) return port;
  }
}

describe('serveHub', () => {
  it('brackets IPv6 hosts only', () => {
    expect(hostOf({ address: '::1', family: 'IPv6' })).toBe('[::1]');
    expect(hostOf({ address: '127.0.0.1', family: 'IPv4' })).toBe('127.0.0.1');
  });

  it('serves the API without a gateway when none is asked for', async () => {
    const served = await serveHub(hub, { host: '127.0.0.1', port: 0 });
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(served.sshAddress).toBeNull();
    expect((await fetch(`${served.url}/api/v1/health`)).ok).toBe(true);
    await served.stop();
    expect(await refused(Number(new URL(served.url).port))).toBe(true);
  });

  it('runs the gateway on the next port by default, announced under the advertised host', async () => {
    // Beside other test files the next port is sometimes taken: pick a pair that is free.
    const port = await freePortPair();
    const served = await serveHub(hub, { host: '127.0.0.1', port, ssh: {}, advertise: 'hub.example' });
    expect(served.url).toBe(`http://hub.example:${port}`);
    expect(served.sshAddress).toBe(`hub.example:${port + 1}`);
    expect(sshOf(await hub.info(admin)).listen).toBe(served.sshAddress);
    expect(await refused(port + 1)).toBe(false);
    await served.stop();
    expect(await refused(port)).toBe(true);
    expect(await refused(port + 1)).toBe(true);
    // The hub itself is still open.
    expect((await hub.info(admin)).user.name).toBe('me');
  });

  it('closes the server again when the gateway cannot listen', async () => {
    const taken = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => taken.once('listening', r));
    const sshPort = (taken.address() as net.AddressInfo).port;
    const port = await freePort();
    await expect(serveHub(hub, { host: '127.0.0.1', port, ssh: { port: sshPort } })).rejects.toThrow(/EADDRINUSE/);
    expect(await refused(port)).toBe(true);
    taken.close();
  });
});

/**
 * The local hub's loopback doors (what the desktop app and `hubdeck ui` start): the proxy opens a
 * workspace from a one-time sign-in URL, the SSH gateway answers and `hub info` reports it, and
 * stopping closes both.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeEngine } from '../../../main/engine/fake/fake-engine';
import { Hub } from '../../../main/hub/hub';
import { startLocalAccess, type LocalAccess } from '../../../main/server/local-access';
import { wsFetch } from '../../support/workspace-fetch';

let hub: Hub;
let access: LocalAccess;
const admin = { user: 'me', admin: true };
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-local-access-'));

beforeAll(async () => {
  hub = (await Hub.open({ engine: new FakeEngine({ kind: 'fake', origin: 'local-access' }), dataDir, adminName: 'me', initialSettings: { allowCustomImages: true, autoCreateUsers: true } })).hub;
  await hub.workspaces.create(admin, { user: 'me', name: 'nb', image: 'img:1' }, { wait: true });
  access = await startLocalAccess(hub);
});
afterAll(async () => {
  await access?.stop();
  await hub.close();
});

function banner(address: string): Promise<string> {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
  return new Promise((resolve, reject) => {
    const s = net.connect(port, host);
    s.once('data', (d) => { resolve(d.toString()); s.destroy(); });
    s.once('error', reject);
  });
}

describe('local access on loopback', () => {
  it('signs a browser in from a one-time URL, once, after asking; workspaces open on their own origins', async () => {
    expect(access.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const url = access.signInUrl(admin, '/#/workspaces');
    expect(url).not.toMatch(/hdk_/);
    const ask = await fetch(url, { redirect: 'manual' });
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain('Continue as me');
    const code = new URL(url).searchParams.get('code')!;
    const login = await fetch(`${access.url}/hub/login`, { method: 'POST', body: new URLSearchParams({ code, next: '/#/workspaces' }), redirect: 'manual' });
    expect([login.status, login.headers.get('location')]).toEqual([302, '/#/workspaces']);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect((await fetch(`${access.url}/api/v1/info`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${access.url}/hub/login`, { method: 'POST', body: new URLSearchParams({ code }), redirect: 'manual' })).status).toBe(401);
    expect(() => access.signInUrl(admin, '//evil.example/')).toThrow(/not a path on the hub/);
    // the workspace itself: its own origin on the same loopback port
    const s = await hub.workspaceSignIn(admin, { user: 'me', name: 'nb' });
    expect(s.url).toBe(`http://nb--me.localhost:${new URL(access.url).port}/user/me/nb/`);
    const ws = await wsFetch(s.signInUrl);
    expect(ws.status).toBe(302);
    expect((await wsFetch(s.url, { headers: { cookie: (ws.headers.get('set-cookie') ?? '').split(';')[0]! } })).status).toBe(200);
  });

  it('serves the SSH gateway on loopback and says where in hub info', async () => {
    expect(access.sshAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await banner(access.sshAddress!)).toMatch(/^SSH-2\.0-Hubdeck_/);
    expect((await hub.info(admin)).ssh?.listen).toBe(access.sshAddress);
  });

  it('closes both doors when stopped', async () => {
    const other = await startLocalAccess(hub);
    await other.stop();
    await expect(fetch(`${other.url}/api/v1/info`)).rejects.toThrow();
    await expect(banner(other.sshAddress!)).rejects.toThrow(/ECONNREFUSED/);
  });
});

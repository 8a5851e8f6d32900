/**
 * Browser sessions: one-time login codes for windows the app opens, the sign-in form for people,
 * an HttpOnly cookie that the proxy and the API accept, and that stops working the moment its
 * user is blocked or signs out.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeEngine } from '../../../main/engine/fake/fake-engine';
import { Hub } from '../../../main/hub/hub';
import { api, startApiHub, type ApiHub } from '../../support/api-hub';
import { addressOf, wsFetch } from '../../support/workspace-fetch';

let h: ApiHub;
let alice = '';

beforeAll(async () => {
  h = await startApiHub('sess');
  await api(h.url, 'PATCH', '/settings', h.adminToken, { allowCustomImages: true });
  await api(h.url, 'POST', '/users', h.adminToken, { name: 'alice', selfService: true });
  alice = ((await api(h.url, 'POST', '/users/alice/tokens', h.adminToken, {})).body as { token: string }).token;
  await api(h.url, 'POST', '/workspaces?wait=1', alice, { name: 'nb', image: 'img:1' });
});
afterAll(() => h.stop());

const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0]!;

describe('browser sessions', () => {
  it('redeem a one-time code once, after saying whom it signs in, for an HttpOnly cookie the API accepts and no workspace sees', async () => {
    const { code } = (await api(h.url, 'POST', '/login-codes', alice)).body as { code: string };
    // Opening the link asks first: it would sign this browser in as alice.
    const ask = await fetch(`${h.url}/hub/login?code=${encodeURIComponent(code)}&next=${encodeURIComponent('/#/workspaces')}`, { redirect: 'manual' });
    expect(ask.status).toBe(200);
    expect(ask.headers.get('set-cookie')).toBeNull();
    const html = await ask.text();
    expect(html).toContain('<h1>Sign in as alice?</h1>');
    expect(html).toContain('<button type="submit">Continue as alice</button>');
    const login = await fetch(`${h.url}/hub/login`, { method: 'POST', body: new URLSearchParams({ code, next: '/#/workspaces' }), redirect: 'manual' });
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toBe('/#/workspaces');
    expect(login.headers.get('set-cookie')).toMatch(/^hubdeck-session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=43200$/);
    const cookie = cookieOf(login);
    const info = await fetch(`${h.url}/api/v1/info`, { headers: { cookie } });
    expect(((await info.json()) as { user: unknown }).user).toEqual({ name: 'alice', admin: false });
    // The hub's cookie opens no workspace: the workspace's own origin sends the browser to sign in there.
    expect((await wsFetch(addressOf(h.hub.web, 'alice', 'nb'), { headers: { cookie } })).status).toBe(302);
    // once only
    const again = await fetch(`${h.url}/hub/login`, { method: 'POST', body: new URLSearchParams({ code }), redirect: 'manual' });
    expect(again.status).toBe(401);
    expect(await again.text()).toContain('expired or was already used');
  });

  it('sign in with a token on the form, follow only this hub\'s paths, and sign out', async () => {
    const form = await fetch(`${h.url}/hub/login?next=/user/alice/nb/`);
    const html = await form.text();
    expect(html).toContain('<label for="token">Token</label>');
    expect(html).toContain('<button type="submit">Sign in</button>');
    const bad = await fetch(`${h.url}/hub/login`, { method: 'POST', body: new URLSearchParams({ token: 'hdk_nope', next: '/' }), redirect: 'manual' });
    expect(bad.status).toBe(401);
    const ok = await fetch(`${h.url}/hub/login`, { method: 'POST', body: new URLSearchParams({ token: alice, next: '//evil.example/x' }), redirect: 'manual' });
    expect([ok.status, ok.headers.get('location')]).toEqual([302, '/']);
    const cookie = cookieOf(ok);
    expect((await fetch(`${h.url}/api/v1/workspaces`, { headers: { cookie } })).status).toBe(200);
    const out = await fetch(`${h.url}/hub/logout`, { method: 'POST', headers: { cookie }, redirect: 'manual' });
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await fetch(`${h.url}/api/v1/workspaces`, { headers: { cookie } })).status).toBe(401);
    // the anonymous browser is sent to the form, with where it was going
    const anon = await fetch(`${h.url}/hub/workspace-sign-in?user=alice&name=nb&state=${'s'.repeat(24)}&next=%2Fuser%2Falice%2Fnb%2F`, { redirect: 'manual' });
    expect(anon.headers.get('location')).toBe(`/hub/login?next=${encodeURIComponent(`/hub/workspace-sign-in?user=alice&name=nb&state=${'s'.repeat(24)}&next=%2Fuser%2Falice%2Fnb%2F`)}`);
  });

  it('stop working when the user is blocked', async () => {
    const ok = await fetch(`${h.url}/hub/login`, { method: 'POST', body: new URLSearchParams({ token: alice }), redirect: 'manual' });
    const cookie = cookieOf(ok);
    expect((await fetch(`${h.url}/api/v1/info`, { headers: { cookie } })).status).toBe(200);
    await api(h.url, 'PATCH', '/users/alice', h.adminToken, { blocked: true });
    expect((await fetch(`${h.url}/api/v1/info`, { headers: { cookie } })).status).toBe(401);
    await api(h.url, 'PATCH', '/users/alice', h.adminToken, { blocked: false });
  });

  it('codes expire after a minute', async () => {
    const clock = { now: new Date('2031-05-01T00:00:00Z') };
    const engine = new FakeEngine({ kind: 'fake', origin: 'sess-clock' });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sess-'));
    const { hub } = await Hub.open({ engine, dataDir: dir, now: () => clock.now });
    try {
      const { code } = hub.sessions.createLoginCode({ user: 'admin', admin: true });
      clock.now = new Date('2031-05-01T00:01:01Z');
      expect(() => hub.sessions.redeem(code)).toThrow(/expired or was already used/);
    } finally {
      await hub.close();
      await engine.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

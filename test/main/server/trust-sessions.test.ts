/**
 * Issue 17, as an attacker tried it against a real hub server (in-memory engine): one user cannot
 * lock everybody out of browser sign-in; sessions, codes and invites end with what they came from
 * (a revoked token, a deleted user — a new user of the same name is somebody else); and a hub
 * session cookie is honoured only for the hub's own pages, never for another origin's requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { api, startApiHub, usersWithTokens, type ApiHub } from '../../support/api-hub';

let h: ApiHub;
const tok: Record<string, string> = {};

beforeAll(async () => {
  h = await startApiHub('trust');
  Object.assign(tok, await usersWithTokens(h, ['alice', 'bob']));
  expect((await api(h.url, 'POST', '/workspaces?wait=1', tok.alice!, { name: 'aws', image: 'img:1' })).status).toBe(201);
});
afterAll(() => h.stop());

const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0]!;
/** Signs a browser in on the form with a token, as a person would. */
async function signIn(token: string): Promise<string> {
  const res = await fetch(`${h.url}/hub/login`, { method: 'POST', body: new URLSearchParams({ token, next: '/' }), redirect: 'manual' });
  expect(res.status).toBe(302);
  return cookieOf(res);
}
const info = (cookie: string) => fetch(`${h.url}/api/v1/info`, { headers: { cookie } });

describe('browser sign-in under one user\'s flood', () => {
  it('a user making 10,050 sessions locks nobody else out, and the admin still signs in', async () => {
    const first = await signIn(tok.bob!);
    for (let i = 0; i < 10_050; i += 25) {
      const batch = await Promise.all(Array.from({ length: 25 }, () =>
        fetch(`${h.url}/hub/login`, { method: 'POST', body: new URLSearchParams({ token: tok.bob!, next: '/' }), redirect: 'manual' })));
      for (const r of batch) await r.arrayBuffer();
    }
    // The admin, and alice, sign in as if nothing happened.
    const admin = await fetch(`${h.url}/hub/login`, { method: 'POST', body: new URLSearchParams({ token: h.adminToken, next: '/' }), redirect: 'manual' });
    expect(admin.status).toBe(302);
    expect((await info(cookieOf(admin))).status).toBe(200);
    expect((await info(await signIn(tok.alice!))).status).toBe(200);
    // bob's own oldest sessions gave way to his newest: his table is his alone.
    expect((await info(first)).status).toBe(401);
    expect(h.hub.sessions.size).toBeLessThan(300);
  }, 120_000);
});

describe('sessions end with what they came from', () => {
  it('a session made from a token ends when that token is revoked', async () => {
    const t = (await api(h.url, 'POST', '/users/alice/tokens', h.adminToken, { note: 'laptop' })).body as { token: string; id: string };
    const cookie = await signIn(t.token);
    expect((await info(cookie)).status).toBe(200);
    expect((await api(h.url, 'DELETE', `/users/alice/tokens/${t.id}`, h.adminToken)).status).toBe(204);
    expect((await info(cookie)).status).toBe(401);
    // and with it, the admin rights of an admin-scope token's session
    const adminToken = (await api(h.url, 'POST', '/users/admin/tokens', h.adminToken, { scope: 'admin' })).body as { token: string; id: string };
    const adminCookie = await signIn(adminToken.token);
    expect((await fetch(`${h.url}/api/v1/users`, { headers: { cookie: adminCookie } })).status).toBe(200);
    await api(h.url, 'DELETE', `/users/admin/tokens/${adminToken.id}`, h.adminToken);
    expect((await fetch(`${h.url}/api/v1/users`, { headers: { cookie: adminCookie } })).status).toBe(401);
  });

  it('a deleted user\'s session, login code and invite never act for a new user of the same name', async () => {
    await api(h.url, 'POST', '/users', h.adminToken, { name: 'frank', selfService: true });
    const franks = ((await api(h.url, 'POST', '/users/frank/tokens', h.adminToken, {})).body as { token: string }).token;
    const cookie = await signIn(franks);
    const { code } = (await api(h.url, 'POST', '/login-codes', franks)).body as { code: string };
    const invite = (await api(h.url, 'POST', '/invites', h.adminToken, { user: 'frank' })).body as { code: string };
    expect((await api(h.url, 'DELETE', '/users/frank', h.adminToken)).status).toBe(204);
    expect((await api(h.url, 'POST', '/users', h.adminToken, { name: 'frank', selfService: true })).status).toBe(201);
    expect((await info(cookie)).status).toBe(401);
    const link = await fetch(`${h.url}/hub/login?code=${encodeURIComponent(code)}&next=%2F`, { redirect: 'manual' });
    expect(link.headers.get('set-cookie')).toBeNull();
    expect(link.status).toBe(401);
    const redeemed = await api(h.url, 'POST', '/invites/redeem', null, { code: invite.code });
    expect(redeemed.status).toBe(401);
    // a deleted user's pending invites are gone from the list too
    const pending = (await api(h.url, 'GET', '/invites', h.adminToken)).body as { user: string }[];
    expect(pending.filter((i) => i.user === 'frank')).toEqual([]);
  });
});

describe('a hub session is used only by the hub\'s own pages', () => {
  it('refuses a body-less cross-origin POST that would stop a workspace with the visitor\'s cookie', async () => {
    const cookie = await signIn(tok.alice!);
    const port = new URL(h.url).port;
    const elsewhere: Record<string, string>[] = [
      { origin: 'http://127.0.0.1:9999', 'sec-fetch-site': 'same-site' }, // a page on another port of the same host
      { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' },
      { origin: `http://aws--alice.localhost:${port}` }, // a workspace's own page
    ];
    for (const headers of elsewhere) {
      const stop = await fetch(`${h.url}/api/v1/workspaces/alice/aws/stop`, { method: 'POST', headers: { cookie, ...headers } });
      expect(stop.status).toBe(401);
    }
    expect(((await api(h.url, 'GET', '/workspaces/alice/aws', tok.alice!)).body as { state: string }).state).toBe('running');
    // The hub's own page may.
    const own = await fetch(`${h.url}/api/v1/workspaces/alice/aws`, { headers: { cookie, origin: h.url, 'sec-fetch-site': 'same-origin' } });
    expect(own.status).toBe(200);
  });

  it('refuses a WebSocket to a workspace port opened with the visitor\'s cookie from another origin', async () => {
    const cookie = await signIn(tok.alice!);
    const url = `${h.url.replace('http', 'ws')}/api/v1/workspaces/alice/aws/ports/8888/stream`;
    for (const origin of ['http://evil.example', 'http://127.0.0.1:9999']) {
      const ws = new WebSocket(url, { headers: { cookie, origin } });
      const outcome = await new Promise<string>((resolve) => {
        ws.once('open', () => { ws.close(); resolve('open'); });
        ws.once('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
        ws.once('error', () => resolve('error'));
      });
      expect(outcome).not.toBe('open');
    }
    // from the hub's own page it opens
    const own = new WebSocket(url, { headers: { cookie, origin: h.url } });
    await new Promise((resolve, reject) => { own.once('open', resolve); own.once('error', reject); });
    own.close();
  });

  it('refuses sign-out posted from another origin (the first step of planting another session)', async () => {
    const cookie = await signIn(tok.alice!);
    const out = await fetch(`${h.url}/hub/logout`, { method: 'POST', headers: { cookie, origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' }, redirect: 'manual' });
    expect(out.status).toBe(403);
    expect((await info(cookie)).status).toBe(200);
  });
});

/**
 * The hub's workspace proxy on the in-memory engine: HTTP and WebSocket to the workspace's web app
 * through `hub.access`, the caller's credentials swapped for the web app's secret, and clear
 * answers (never a bare 502) for strangers, the anonymous, stopped and missing workspaces.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { api, startApiHub, usersWithTokens, type ApiHub } from '../../support/api-hub';
import { addressOf, wsFetch, wsSocket } from '../../support/workspace-fetch';
import type { IncomingHttpHeaders } from 'node:http';
import { sanitizeWorkspaceHeaders } from '../../../main/access/workspace-proxy';

let h: ApiHub;
const tok: Record<string, string> = {};

beforeAll(async () => {
  h = await startApiHub('proxy');
  Object.assign(tok, await usersWithTokens(h, ['alice', 'bob']));
  expect((await api(h.url, 'POST', '/workspaces?wait=1', tok.alice!, { name: 'nb', image: 'img:1' })).status).toBe(201);
  expect((await api(h.url, 'POST', '/workspaces?wait=0', tok.alice!, { name: 'off', image: 'img:1' })).status).toBe(201);
  await api(h.url, 'POST', '/workspaces/alice/off/stop', tok.alice!);
});
afterAll(() => h.stop());

/** A path on the workspace's own origin (`/user/<user>/<name>/…` → http://<name>--<user>.localhost:PORT/user/…). */
const at = (path: string) => {
  const m = /^\/user\/([^/]+)\/([^/?]+)(.*)$/.exec(path);
  return m ? addressOf(h.hub.web, m[1]!, m[2]!, '').replace(/\/user\/.*$/, path) : `${h.url}${path}`;
};
const get = (path: string, token: string | null, headers: Record<string, string> = {}) =>
  wsFetch(at(path), { headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });

describe('workspace proxy', () => {
  it("forwards the owner's requests, presenting the web app's secret instead of the hub token", async () => {
    const page = await get('/user/alice/nb/', tok.alice!);
    expect(page.status).toBe(200);
    // The web app's API needs its own token: the proxy presents it, the user never sees it.
    const status = await get('/user/alice/nb/api/status', tok.alice!, { cookie: 'hubdeck-session=abc; theme=dark' });
    expect(status.status).toBe(200);
    expect(await status.json()).toHaveProperty('last_activity');
    const slash = await get('/user/alice/nb?x=1', tok.alice!);
    expect([slash.status, slash.headers.get('location')]).toEqual([302, '/user/alice/nb/?x=1']);
  });

  it('refuses strangers, sends the anonymous to sign in, and says what is wrong with a workspace', async () => {
    const stranger = await get('/user/alice/nb/', tok.bob!);
    expect(stranger.status).toBe(403);
    expect(await stranger.text()).toContain('bob may not open the workspaces of alice');
    expect(await (await get('/user/alice/nb/', tok.bob!, { accept: 'application/json' })).json()).toMatchObject({ error: { code: 'forbidden' } });
    // an admin too, while the hub's admin access is off
    expect((await get('/user/alice/nb/', h.adminToken)).status).toBe(403);
    // the anonymous browser goes to the hub to sign in, and comes back with a code for this workspace
    const anon = await get('/user/alice/nb/tree?a=b', null);
    expect(anon.status).toBe(302);
    const hop = new URL(anon.headers.get('location')!);
    expect(`${hop.origin}${hop.pathname}`).toBe(`${h.url}/hub/workspace-sign-in`);
    expect(Object.fromEntries(hop.searchParams)).toMatchObject({ user: 'alice', name: 'nb', next: '/user/alice/nb/tree?a=b' });
    expect(anon.headers.get('set-cookie')).toMatch(/^hubdeck-signin-state=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=600$/);
    expect((await get('/user/alice/nb/', null, { accept: 'application/json' })).status).toBe(401);
    const stopped = await get('/user/alice/off/', tok.alice!);
    expect(stopped.status).toBe(503);
    expect(await stopped.text()).toContain('start it (hubdeck workspace start off)');
    expect((await get('/user/alice/ghost/', tok.alice!)).status).toBe(404);
    expect((await get('/user/Not_A_User/x/', tok.alice!)).status).toBe(404); // not a proxy path at all
  });

  it('carries WebSockets both ways, and refuses them to strangers', async () => {
    const wsUrl = at('/user/alice/nb/api/kernels/k1/channels').replace('http', 'ws');
    const ws = wsSocket(wsUrl, { authorization: `Bearer ${tok.alice!}` });
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    const echoed = new Promise<string>((resolve) => ws.once('message', (d) => resolve(d.toString())));
    ws.send('hello kernel');
    expect(await echoed).toBe('hello kernel');
    ws.close();
    const refused = wsSocket(wsUrl, { authorization: `Bearer ${tok.bob!}` });
    const status = await new Promise<number>((resolve) => refused.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(403);
  });

  it('ends open WebSockets and port streams the moment their token is revoked or their user blocked', async () => {
    const created = (await api(h.url, 'POST', '/users/alice/tokens', h.adminToken, { note: 'short-lived' })).body as { token: string; id: string };
    const open = (path: string) => new Promise<WebSocket>((resolve, reject) => {
      const ws = wsSocket(at(path).replace('http', 'ws'), { authorization: `Bearer ${created.token}` });
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
    const kernel = await open('/user/alice/nb/api/kernels/k2/channels');
    const port = await open('/api/v1/workspaces/alice/nb/ports/8888/stream');
    const closed = (ws: WebSocket) => new Promise<void>((resolve) => ws.once('close', () => resolve()));
    const ended = Promise.all([closed(kernel), closed(port)]);
    expect(h.hub.access.holds.size).toBeGreaterThanOrEqual(2);
    expect((await api(h.url, 'DELETE', `/users/alice/tokens/${created.id}`, h.adminToken)).status).toBe(204);
    await ended;
    // A workspace session's socket goes when its user is blocked.
    await api(h.url, 'POST', '/workspaces?wait=1', tok.bob!, { name: 'nb', image: 'img:1' });
    const { code } = (await api(h.url, 'POST', '/workspaces/bob/nb/sign-in', tok.bob!)).body as { code: string };
    const login = await wsFetch(at('/user/bob/nb/').replace(/\/user\/.*$/, '/.hubdeck/sign-in'), { method: 'POST', body: new URLSearchParams({ code }) });
    expect(login.status).toBe(302);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const bobs = wsSocket(at('/user/bob/nb/api/kernels/k3/channels').replace('http', 'ws'), { cookie });
    await new Promise((resolve, reject) => { bobs.once('open', resolve); bobs.once('error', reject); });
    const bobEnded = closed(bobs);
    expect((await api(h.url, 'PATCH', '/users/bob', h.adminToken, { blocked: true })).status).toBe(200);
    await bobEnded;
    await api(h.url, 'PATCH', '/users/bob', h.adminToken, { blocked: false });
  });
});

describe('what a workspace may answer with', () => {
  it('loses the hub\'s cookie names, a service worker scope and Clear-Site-Data; keeps its own cookies', () => {
    const headers: IncomingHttpHeaders = {
      'set-cookie': ['hubdeck-session=evil; Path=/', '__Host-hubdeck-session=evil; Path=/; Secure', ' HUBDECK-workspace=x', '_xsrf=abc; Path=/user/alice/nb/', 'hubdeckish=1'],
      'service-worker-allowed': '/', 'clear-site-data': '"cookies"', 'content-type': 'text/html',
    };
    sanitizeWorkspaceHeaders(headers);
    expect(headers).toEqual({ 'set-cookie': ['_xsrf=abc; Path=/user/alice/nb/', 'hubdeckish=1'], 'content-type': 'text/html' });
    const only: IncomingHttpHeaders = { 'set-cookie': ['__Secure-hubdeck-x=1'] };
    sanitizeWorkspaceHeaders(only);
    expect(only).toEqual({});
  });
});

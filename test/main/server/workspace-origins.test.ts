/**
 * Workspaces on their own origins, against a real hub server (in-memory engine): what each origin
 * serves and to whom; the sign-in hop and its one-time codes; cookies planted from elsewhere; the
 * app-only and (unsafe) browser path modes.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startApiHub, usersWithTokens, type ApiHub } from '../../support/api-hub';
import { addressOf, wsFetch, wsSocket } from '../../support/workspace-fetch';
import { createHubServer } from '../../../main/server/hub-server';
import { loopbackLookup } from '../../../main/client/loopback-lookup';

let h: ApiHub;
const tok: Record<string, string> = {};
const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0]!;

/** A GET with exactly these headers (fetch would set its own Sec-Fetch-Mode), as a browser's navigation sends them. */
function navigate(url: URL | string, headers: Record<string, string>): Promise<{ status: number; location: string | undefined; cookie: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers, lookup: loopbackLookup as never }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, location: res.headers.location, cookie: (res.headers['set-cookie'] ?? []).join('\n') });
    }).on('error', reject);
  });
}

/** What the workspace was sent (the fake web app logs each request with its query, as httpd -v does). */
async function workspaceLog(user: string): Promise<string> {
  let text = '';
  for await (const chunk of h.engine.logs({ user, name: 'nb' }, { tail: 1000 })) text += chunk;
  return text;
}

beforeAll(async () => {
  h = await startApiHub('origins');
  Object.assign(tok, await usersWithTokens(h, ['alice', 'bob']));
  for (const u of ['alice', 'bob']) {
    expect((await api(h.url, 'POST', '/workspaces?wait=1', tok[u]!, { name: 'nb', image: 'img:1' })).status).toBe(201);
  }
});
afterAll(() => h.stop());

/** A workspace session for `user` on its workspace nb, through the API's one-time sign-in. */
async function workspaceCookie(user: string, token = tok[user]!): Promise<{ cookie: string; url: string }> {
  const s = (await api(h.url, 'POST', `/workspaces/${user}/nb/sign-in`, token)).body as { code: string; url: string; signInUrl: string };
  const res = await wsFetch(s.signInUrl);
  expect(res.status).toBe(302);
  expect(res.headers.get('location')).toBe(`/user/${user}/nb/`);
  return { cookie: cookieOf(res), url: s.url };
}

describe('a workspace\'s own origin', () => {
  it('is in the API\'s view, hub info and sign-in', async () => {
    const view = (await api(h.url, 'GET', '/workspaces/alice/nb', tok.alice!)).body as { url: string };
    expect(view.url).toBe(addressOf(h.hub.web, 'alice', 'nb'));
    expect(view.url).toMatch(/^http:\/\/nb--alice\.localhost:\d+\/user\/alice\/nb\/$/);
    const info = (await api(h.url, 'GET', '/info', tok.alice!)).body as { web: unknown };
    expect(info.web).toEqual({ hub: h.url, workspaceHost: '*.localhost' });
    // bob may not get a sign-in to alice's workspace; nor may the admin while admin access is off
    expect((await api(h.url, 'POST', '/workspaces/alice/nb/sign-in', tok.bob!)).status).toBe(403);
    expect((await api(h.url, 'POST', '/workspaces/alice/nb/sign-in', h.adminToken)).status).toBe(403);
  });

  it('serves its own workspace only, to its own cookie only', async () => {
    const { cookie, url } = await workspaceCookie('alice');
    expect(cookie).toMatch(/^hubdeck-workspace=/);
    expect((await wsFetch(url, { headers: { cookie } })).status).toBe(200);
    // another workspace's path on this origin would share the origin: not here
    const other = await wsFetch(url.replace('/user/alice/nb/', '/user/bob/nb/'), { headers: { authorization: `Bearer ${tok.bob!}` } });
    expect(other.status).toBe(404);
    // nothing of the hub on a workspace's origin
    for (const p of ['/api/v1/info', '/hub/login', '/api/v1/health']) expect((await wsFetch(new URL(p, url).toString(), { headers: { cookie } })).status).toBe(404);
    // the workspace's cookie is no hub session
    expect((await fetch(`${h.url}/api/v1/info`, { headers: { cookie } })).status).toBe(401);
    // the root of a workspace's origin goes to the workspace
    expect((await wsFetch(new URL('/', url).toString())).headers.get('location')).toBe('/user/alice/nb/');
  });

  it('ignores cookies another workspace planted, and takes the one that is valid here', async () => {
    const bobs = await workspaceCookie('bob');
    const alices = await workspaceCookie('alice');
    // bob's own valid workspace session, tossed into alice's origin: worthless there
    expect((await wsFetch(alices.url, { headers: { cookie: bobs.cookie } })).status).toBe(302);
    // beside alice's own, in either order: alice's still works, as alice
    for (const cookie of [`${bobs.cookie}; ${alices.cookie}`, `${alices.cookie}; ${bobs.cookie}`]) {
      expect((await wsFetch(alices.url, { headers: { cookie } })).status).toBe(200);
    }
  });

  it('signs in through the hub with a code bound to this browser and this workspace', async () => {
    const url = addressOf(h.hub.web, 'alice', 'nb', 'tree');
    const first = await wsFetch(url);
    expect(first.status).toBe(302);
    const state = cookieOf(first);
    const hop = new URL(first.headers.get('location')!);
    // the hub side: alice signed in there
    const login = await fetch(`${h.url}/hub/login`, { method: 'POST', body: new URLSearchParams({ token: tok.alice!, next: '/' }), redirect: 'manual' });
    const hubCookie = cookieOf(login);
    // a browser following the redirect: a top-level navigation from the workspace's site
    const back = await navigate(hop, { cookie: hubCookie, 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'cross-site' });
    expect(back.status).toBe(302);
    const signIn = back.location!;
    expect(signIn).toMatch(/^http:\/\/nb--alice\.localhost:\d+\/\.hubdeck\/sign-in\?code=/);
    // another browser (without the state cookie) cannot use the code
    expect((await wsFetch(signIn)).status).toBe(401);
    // nor can the code open another workspace's origin
    expect((await wsFetch(signIn.replace('nb--alice', 'nb--bob'), { headers: { cookie: state } })).status).toBe(401);
    // the browser that asked can, once; it lands where it was going
    const done = await wsFetch(signIn, { headers: { cookie: state } });
    expect([done.status, done.headers.get('location')]).toEqual([302, '/user/alice/nb/tree']);
    const cookie = cookieOf(done);
    expect((await wsFetch(url, { headers: { cookie } })).status).toBe(200);
    expect((await wsFetch(signIn, { headers: { cookie: state } })).status).toBe(401);
    // bob signed in at the hub gets no code for alice's workspace
    const bobLogin = cookieOf(await fetch(`${h.url}/hub/login`, { method: 'POST', body: new URLSearchParams({ token: tok.bob!, next: '/' }), redirect: 'manual' }));
    expect((await navigate(hop, { cookie: bobLogin, 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    // a script's request (not a navigation) from another site gets nothing with the hub's cookie
    expect((await navigate(hop, { cookie: hubCookie, 'sec-fetch-mode': 'cors', 'sec-fetch-site': 'cross-site' })).location).toMatch(/^\/hub\/login\?next=/);
    // signing out of the hub ends the workspace sessions made from that hub session
    await fetch(`${h.url}/hub/logout`, { method: 'POST', headers: { cookie: hubCookie }, redirect: 'manual' });
    expect((await wsFetch(url, { headers: { cookie } })).status).toBe(302);
  });

  it('takes WebSockets from its own pages only', async () => {
    const { cookie, url } = await workspaceCookie('alice');
    const ws = url.replace('http', 'ws') + 'api/kernels/k1/channels';
    const outcome = (origin: string) => new Promise<string>((resolve) => {
      const s = wsSocket(ws, { cookie, origin });
      s.once('open', () => { s.close(); resolve('open'); });
      s.once('unexpected-response', (_q, r) => resolve(String(r.statusCode)));
    });
    expect(await outcome(new URL(url).origin)).toBe('open');
    expect(await outcome(h.url)).toBe('403');
    expect(await outcome(url.replace('nb--alice', 'nb--bob').replace(/\/user.*/, ''))).toBe('403');
  });

  it('sends the hub\'s /user/ paths on to the workspace\'s origin', async () => {
    const r = await fetch(`${h.url}/user/alice/nb/tree?x=1`, { redirect: 'manual' });
    expect([r.status, r.headers.get('location')]).toEqual([302, addressOf(h.hub.web, 'alice', 'nb', 'tree?x=1')]);
  });
});

// Issue 18 item 3: JupyterHub takes `?token=` on proxied URLs and kernel WebSockets; Hubdeck answered
// 302 to sign-in (HTTP) and 401 (WebSocket). A program may now carry its token there, request by
// request; a browser's page view trades it at once for the origin's cookie; the workspace never sees it.
describe('?token= in a workspace\'s address', () => {
  const socketOutcome = (url: string, headers: Record<string, string> = {}) => new Promise<string>((resolve) => {
    const s = wsSocket(url, headers);
    s.once('open', () => { s.close(); resolve('open'); });
    s.once('unexpected-response', (_q, r) => resolve(String(r.statusCode)));
  });

  const base = () => addressOf(h.hub.web, 'alice', 'nb');
  const channels = () => `${base().replace('http', 'ws')}api/kernels/k1/channels`;

  it('is a program\'s credential for that request only (REST)', async () => {
    const kernels = await wsFetch(`${base()}api/kernels?token=${tok.alice!}`);
    expect(kernels.status).toBe(200);
    expect(kernels.headers.get('set-cookie')).toBeNull(); // no session for a program
  });

  it('is taken for a WebSocket\'s upgrade (which cannot follow a redirect)', async () => {
    expect(await socketOutcome(`${channels()}?session_id=s1&token=${tok.alice!}`)).toBe('open');
  });

  it('never reaches the workspace, whatever signed the request in; a wrong one is refused', async () => {
    const base = addressOf(h.hub.web, 'alice', 'nb');
    const ws = channels();
    await wsFetch(`${base}api/kernels?token=${tok.alice!}`);
    await socketOutcome(`${ws}?session_id=s1&token=${tok.alice!}`);
    const { cookie } = await workspaceCookie('alice');
    expect((await wsFetch(`${base}tree?x=1&token=${tok.alice!}&y=2`, { headers: { cookie } })).status).toBe(200);
    const log = await workspaceLog('alice');
    expect(log).toContain('GET /user/alice/nb/api/kernels 200');
    expect(log).toContain('GET /user/alice/nb/api/kernels/k1/channels?session_id=s1 101');
    expect(log).toContain('GET /user/alice/nb/tree?x=1&y=2 200');
    expect(log).not.toContain(tok.alice!);
    // someone else's token, or no valid one: refused, over HTTP and WebSocket
    expect((await wsFetch(`${base}api/kernels?token=${tok.bob!}`)).status).toBe(403);
    expect((await wsFetch(`${base}api/kernels?token=hd_not-a-token`)).status).toBe(401);
    expect(await socketOutcome(`${ws}?token=hd_not-a-token`)).toBe('401');
    expect(await socketOutcome(`${ws}?token=${tok.bob!}`)).toBe('403');
  });

  it('is traded at once for the origin\'s cookie by a browser\'s page view, which goes on without it', async () => {
    const base = addressOf(h.hub.web, 'alice', 'nb');
    const browser = { 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'none', accept: 'text/html' };
    const traded = await navigate(`${base}tree?x=1&token=${tok.alice!}`, browser);
    expect([traded.status, traded.location]).toEqual([302, '/user/alice/nb/tree?x=1']);
    const cookie = traded.cookie.split(';')[0]!;
    expect(cookie).toMatch(/^hubdeck-workspace=./);
    expect((await wsFetch(`${base}tree?x=1`, { headers: { cookie } })).status).toBe(200);
    expect(await workspaceLog('alice')).not.toContain(tok.alice!);
    // an invalid token is dropped the same way (the usual sign-in follows); someone else's is refused
    const bad = await navigate(`${base}tree?token=hd_not-a-token`, browser);
    expect([bad.status, bad.location, bad.cookie]).toEqual([302, '/user/alice/nb/tree', '']);
    expect((await navigate(`${base}tree?token=${tok.bob!}`, browser)).status).toBe(403);
  });
});

describe('path modes', () => {
  it('for the app only (a LAN hub without DNS): a workspace session or token, never a browser holding the hub\'s session', async () => {
    const lan = createHubServer({ hub: h.hub });
    const at = `http://127.0.0.1:${(await lan.listen('0.0.0.0', 0)).port}`;
    try {
      // addresses handed out through this server are its own
      const s = (await api(at, 'POST', '/workspaces/alice/nb/sign-in', tok.alice!)).body as { url: string; signInUrl: string; code: string };
      expect(s.url).toBe(`${at}/user/alice/nb/`);
      expect(s.signInUrl).toMatch(new RegExp(`^${at}/\\.hubdeck/sign-in\\?code=`));
      expect((await api(at, 'GET', '/workspaces/alice/nb', tok.alice!)).body).toMatchObject({ url: `${at}/user/alice/nb/` });
      expect((await api(h.url, 'GET', '/workspaces/alice/nb', tok.alice!)).body).toMatchObject({ url: addressOf(h.hub.web, 'alice', 'nb') });
      // a link would put a workspace session where the hub's may be: refused, the app posts instead
      const link = await fetch(s.signInUrl, { redirect: 'manual' });
      expect(link.status).toBe(403);
      expect(await link.text()).toContain('Open this workspace in the Hubdeck app');
      const posted = await fetch(`${at}/.hubdeck/sign-in`, { method: 'POST', body: new URLSearchParams({ code: s.code }), redirect: 'manual' });
      expect(posted.status).toBe(302);
      const cookie = cookieOf(posted);
      expect(cookie).toMatch(/^hubdeck-workspace=/);
      expect((await fetch(s.url, { headers: { cookie } })).status).toBe(200);
      expect((await fetch(s.url, { headers: { authorization: `Bearer ${tok.alice!}` } })).status).toBe(200);
      // a browser signed in to the hub: its workspace pages would run with that session
      const hubCookie = cookieOf(await fetch(`${at}/hub/login`, { method: 'POST', body: new URLSearchParams({ token: tok.alice!, next: '/' }), redirect: 'manual' }));
      expect((await fetch(s.url, { headers: { cookie: hubCookie } })).status).toBe(403);
      expect((await fetch(s.url, { headers: { cookie: `${hubCookie}; ${cookie}` } })).status).toBe(403);
      expect((await fetch(`${at}/hub/workspace-sign-in?user=alice&name=nb&state=${'s'.repeat(24)}`, { headers: { cookie: hubCookie }, redirect: 'manual' })).status).toBe(403);
      // the workspace session is not the hub's
      expect((await fetch(`${at}/api/v1/info`, { headers: { cookie } })).status).toBe(401);
    } finally {
      await lan.close();
    }
  });

  it('for browsers too only when asked (--workspace-paths): the hub session opens the workspace on the hub\'s origin', async () => {
    const unsafe = createHubServer({ hub: h.hub, web: { workspacePaths: true } });
    const at = `http://127.0.0.1:${(await unsafe.listen('127.0.0.1', 0)).port}`;
    try {
      const hubCookie = cookieOf(await fetch(`${at}/hub/login`, { method: 'POST', body: new URLSearchParams({ token: tok.alice!, next: '/' }), redirect: 'manual' }));
      expect((await fetch(`${at}/user/alice/nb/`, { headers: { cookie: hubCookie } })).status).toBe(200);
      expect((await fetch(`${at}/user/bob/nb/`, { headers: { cookie: hubCookie } })).status).toBe(403);
      // a program's ?token= here too; a page view goes on without it (no cookie made from it here)
      expect((await fetch(`${at}/user/alice/nb/api/kernels?token=${tok.alice!}`)).status).toBe(200);
      const page = await navigate(`${at}/user/alice/nb/tree?token=${tok.alice!}`, { 'sec-fetch-mode': 'navigate' });
      expect([page.status, page.location, page.cookie]).toEqual([302, '/user/alice/nb/tree', '']);
    } finally {
      await unsafe.close();
    }
  });
});

/**
 * Issue 17, defect 1, replayed in a real browser: headless Chromium against a real hub on real
 * Docker, with workspaces (busybox httpd + CGI) serving an attacker's pages — one that plants a
 * session cookie, signs its visitor out and back in, and mints a token with whatever session the
 * browser then carries; one that an admin merely opens; and a CGI that answers with the hub's cookie
 * name and `Service-Worker-Allowed: /` to take over the hub's pages. No token, user, cookie or worker
 * of the workspace may reach the hub's origin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { api, startApiHub, type ApiHub } from '../../support/api-hub';
import { TEST_IMAGES } from '../../support/test-images';
import { launchChromium } from '../../support/chromium';

let h: ApiHub;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
const tok: Record<string, string> = {};

/** The attacker's page: every step it tries is recorded in window.results. */
const EVIL_HTML = (hub: string, plant: string) => `<!doctype html><title>evil</title><script>
const hub = ${JSON.stringify(hub)};
const step = new URLSearchParams(location.search).get('step') || '1';
const results = { step, origin: location.origin };
const post = async (url, body) => {
  try { const r = await fetch(url, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }); return r.status + ' ' + (await r.text()).slice(0, 200); }
  catch (e) { return 'blocked: ' + e.message; }
};
(async () => {
  if (step === '1') {
    // shadow the hub's session on this path, and sign the visitor out so they sign in again
    document.cookie = ${JSON.stringify(plant)};
    results.logout = (await fetch(hub + '/hub/logout', { method: 'POST', credentials: 'include' }).catch((e) => ({ status: 'blocked ' + e.message }))).status;
    results.logoutRel = (await fetch('/hub/logout', { method: 'POST' }).catch((e) => ({ status: 'blocked ' + e.message }))).status;
  }
  results.tokenRel = await post('/api/v1/users/alice/tokens', { note: 'stolen' });
  results.token = await post(hub + '/api/v1/users/alice/tokens', { note: 'stolen' });
  results.adminTokenRel = await post('/api/v1/users/admin/tokens', { note: 'stolen', scope: 'admin' });
  results.adminToken = await post(hub + '/api/v1/users/admin/tokens', { note: 'stolen', scope: 'admin' });
  results.userRel = await post('/api/v1/users', { name: 'evil', admin: true });
  results.user = await post(hub + '/api/v1/users', { name: 'evil', admin: true });
  results.cgi = (await fetch('evil.cgi').then((r) => r.status).catch((e) => 'blocked ' + e.message));
  try { await navigator.serviceWorker.register('sw.cgi', { scope: '/' }); results.sw = 'registered'; } catch (e) { results.sw = 'refused: ' + e.message; }
  window.results = results;
  document.title = 'done';
})();
</script>`;

/** A CGI that answers with the hub's cookie and a service worker scope over the whole origin. */
const CGI = (type: string, body: string) => `#!/bin/sh
echo "Content-Type: ${type}"
echo "Set-Cookie: hubdeck-session=evil; Path=/"
echo "Set-Cookie: __Host-hubdeck-session=evil; Path=/; Secure"
echo "Service-Worker-Allowed: /"
echo
echo '${body}'
`;
const SW = "self.addEventListener('fetch', (e) => e.respondWith(new Response('<h1>pwned</h1>', { headers: { 'content-type': 'text/html' } })));";

/** Writes the attacker's files into a workspace (as its owner would) and makes httpd run *.cgi. */
async function plant(user: string, name: string, files: Record<string, string>): Promise<void> {
  const dir = `/www/user/${user}/${name}`;
  const script = [`mkdir -p ${dir}`, 'echo "*.cgi:/bin/sh" > /etc/httpd.conf',
    ...Object.entries(files).map(([f, text]) => `printf '%s' '${Buffer.from(text).toString('base64')}' | base64 -d > ${dir}/${f}`),
    `(chmod +x ${dir}/*.cgi 2>/dev/null || true)`, 'kill -HUP $(pidof httpd)'].join(' && ');
  const exec = await h.hub.access.exec({ user, admin: false }, { user, name }, { cmd: ['sh', '-c', script] });
  expect(await exec.exitCode()).toBe(0);
  await exec.close();
}

async function signInForm(page: Page, token: string): Promise<void> {
  await page.waitForSelector('#token');
  await page.fill('#token', token);
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Sign in")')]);
}

const results = (page: Page) => page.waitForFunction(() => document.title === 'done', null, { timeout: 20_000 })
  .then(() => page.evaluate(() => (window as unknown as { results: Record<string, unknown> }).results));
const tokensOf = async (user: string) => ((await api(h.url, 'GET', `/users/${user}/tokens`, h.adminToken)).body as unknown[]).length;

async function hubCookies(ctx: BrowserContext): Promise<{ name: string; value: string; domain: string }[]> {
  return (await ctx.cookies()).filter((c) => c.domain === '127.0.0.1');
}

beforeAll(async () => {
  h = await startApiHub('trustb', { engine: 'docker' });
  await api(h.url, 'PATCH', '/settings', h.adminToken, { allowCustomImages: true, adminAccess: true });
  for (const u of ['alice', 'mallory']) {
    await api(h.url, 'POST', '/users', h.adminToken, { name: u, selfService: true });
    tok[u] = ((await api(h.url, 'POST', `/users/${u}/tokens`, h.adminToken, {})).body as { token: string }).token;
  }
  for (const [u, n] of [['mallory', 'mws'], ['alice', 'aws']] as const) {
    expect((await api(h.url, 'POST', '/workspaces?wait=1', tok[u]!, { name: n, image: TEST_IMAGES.busybox, volume: false })).status).toBe(201);
  }
  chromium = await launchChromium();
}, 240_000);
afterAll(async () => {
  await chromium?.close();
  await h?.stop();
});

describe('a workspace page cannot act as its visitor', () => {
  it('mallory\'s sign-in link, cookie planting and forced sign-out never get alice\'s token', async () => {
    // mallory's own session id (to plant) and a login code she made for herself
    const own = await fetch(`${h.url}/hub/login`, { method: 'POST', body: new URLSearchParams({ token: tok.mallory!, next: '/' }), redirect: 'manual' });
    const sid = (own.headers.get('set-cookie') ?? '').split(';')[0]!.split('=')[1]!;
    await plant('mallory', 'mws', { 'evil.html': EVIL_HTML(h.url, `hubdeck-session=${sid}; path=/user/mallory/mws/`), 'evil.cgi': CGI('text/plain', 'hi'), 'sw.cgi': CGI('text/javascript', SW) });
    const { code } = (await api(h.url, 'POST', '/login-codes', tok.mallory!)).body as { code: string };
    const before = await tokensOf('alice');

    const ctx = await chromium.browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${h.url}/hub/login?code=${encodeURIComponent(code)}&next=${encodeURIComponent('/user/mallory/mws/evil.html')}`);
    // The worst case: alice clicks through whatever the link shows.
    const ask = page.locator('button:has-text("Continue as mallory")');
    if (await ask.count()) await Promise.all([page.waitForNavigation(), ask.click()]);
    const first = await results(page);
    // alice signs in for real, then lands on the attacker's page again
    await page.goto(`${h.url}/hub/login?next=${encodeURIComponent('/user/mallory/mws/evil.html?step=2')}`);
    await signInForm(page, tok.alice!);
    const second = await results(page);
    expect(await tokensOf('alice')).toBe(before);
    for (const r of [first, second]) {
      expect(String(r.token)).not.toMatch(/^201/);
      expect(String(r.tokenRel)).not.toMatch(/^201/);
      expect(r.origin).not.toBe(h.url); // the page never ran on the hub's origin
    }
    // alice's browser holds her own hub session, untouched by anything the workspace sent
    expect((await hubCookies(ctx)).map((c) => c.value)).not.toContain('evil');
    await ctx.close();
  });

  it('an admin who opens a user\'s workspace runs its code without the admin\'s rights; no cookie or worker reaches the hub', async () => {
    await plant('alice', 'aws', { 'evil.html': EVIL_HTML(h.url, 'x=1'), 'evil.cgi': CGI('text/plain', 'hi'), 'sw.cgi': CGI('text/javascript', SW) });
    const adminTokens = await tokensOf('admin');
    const ctx = await chromium.browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${h.url}/hub/login?next=${encodeURIComponent('/user/alice/aws/evil.html?step=2')}`);
    await signInForm(page, h.adminToken);
    const r = await results(page);
    expect(await tokensOf('admin')).toBe(adminTokens);
    expect((await api(h.url, 'GET', '/users/evil', h.adminToken)).status).toBe(404);
    for (const k of ['adminToken', 'adminTokenRel', 'user', 'userRel']) expect(String(r[k])).not.toMatch(/^201/);
    expect(r.origin).not.toBe(h.url);
    expect(String(r.sw)).toMatch(/^refused/);
    // The CGI's cookies and worker scope never reach the hub's origin.
    const cookies = await hubCookies(ctx);
    expect(cookies.map((c) => c.value)).not.toContain('evil');
    expect(cookies.some((c) => /hubdeck-session$/.test(c.name))).toBe(true);
    const hubPage = await ctx.newPage();
    await hubPage.goto(`${h.url}/api/v1/health`);
    expect(await hubPage.content()).not.toContain('pwned');
    expect(await hubPage.evaluate(() => navigator.serviceWorker?.controller === null || navigator.serviceWorker === undefined)).toBe(true);
    // and the admin's session still works on the hub
    expect(await hubPage.evaluate(async (u) => (await fetch(`${u}/api/v1/info`)).status, h.url)).toBe(200);
    await ctx.close();
  });
});

// Issue 18 item 3: a link with `?token=` (JupyterHub's way, shared notebooks) in a real browser.
describe('a link with ?token=', () => {
  it('signs Chromium in to that workspace and lands on the address without the token, which the page never sees', async () => {
    await plant('alice', 'aws', { 'where.html': '<!doctype html><title>where</title><script>document.title = "at " + location.href</script>' });
    const own = ((await api(h.url, 'GET', '/workspaces/alice/aws', tok.alice!)).body as { url: string }).url;
    const ctx = await chromium.browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${own}where.html?x=1&token=${tok.alice!}`);
    await page.waitForFunction(() => document.title.startsWith('at '));
    expect([page.url(), await page.title()]).toEqual([`${own}where.html?x=1`, `at ${own}where.html?x=1`]);
    // the origin's own cookie signs the next page in: no token, no hop through the hub
    const next = await page.goto(`${own}where.html?y=2`);
    expect([next?.status(), page.url()]).toEqual([200, `${own}where.html?y=2`]);
    expect((await ctx.cookies(own)).map((c) => c.name)).toEqual(['hubdeck-workspace']);
    await ctx.close();
  });
});

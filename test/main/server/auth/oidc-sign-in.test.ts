/**
 * `hub serve --auth oidc` against a real OpenID provider (oidc-provider, in this process), driven
 * through its login and consent pages in headless Chromium: authorization code + PKCE, discovery,
 * state/nonce, the groups claim → groups and admin, allowed groups, a provider that is down.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../../../support/hub-process';
import { freePort, startProvider, type TestProvider } from '../../../support/oidc-provider-fixture';
import { expectAccessible, launchChromium, shot } from '../../../support/chromium';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-oidc-test-'));
let provider: TestProvider;
let hub: ServeProcess;
let browser: Browser;
let closeBrowser: () => Promise<void>;
const hubs: ServeProcess[] = [];

const PEOPLE = {
  alice: { preferred_username: 'alice', groups: ['hub-users', 'ml-team'] },
  bob: { preferred_username: 'bob', groups: ['hub-users', 'hub-admins'] },
  carol: { preferred_username: 'carol', groups: ['outsiders'] },
  dave: { preferred_username: 'Dave@Example.org', groups: ['hub-users'] },
};

async function serve(name: string, port: number, issuer: string, extra: string[] = []): Promise<ServeProcess> {
  const secretFile = path.join(tmp, `${name}-secret`);
  fs.writeFileSync(secretFile, `${provider.clientSecret}\n`, { mode: 0o600 });
  const h = await startServe(['--data', path.join(tmp, name), '--engine', 'fake', '--listen', `127.0.0.1:${port}`, '--auth', 'oidc', '--oidc-issuer', issuer,
    '--oidc-client-id', provider.clientId, '--oidc-client-secret-file', secretFile, '--oidc-scope', 'openid profile groups', '--oidc-name', 'Test IdP', ...extra]);
  hubs.push(h);
  return h;
}

async function api(page: Page, p: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await page.context().request.get(`${hub.url}/api/v1${p}`);
  return { status: res.status(), body: (await res.json()) as Record<string, unknown> };
}

/** The provider's own login and consent pages, as a person goes through them. */
async function providerLogin(page: Page, login: string): Promise<void> {
  await page.waitForURL((u) => u.href.startsWith(provider.issuer));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.locator('button[type="submit"]').click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

beforeAll(async () => {
  const port = await freePort();
  provider = await startProvider(PEOPLE, [`http://127.0.0.1:${port}/hub/login/oidc/callback`]);
  hub = await serve('main', port, provider.issuer, ['--oidc-allowed-group', 'hub-users', '--oidc-admin-group', 'hub-admins', '--auth-self-service-group', 'ml-team']);
  const res = await fetch(`${hub.url}/api/v1/groups`, { method: 'POST', headers: { authorization: `Bearer ${hub.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'ml-team' }) });
  expect(res.status).toBe(201);
  ({ browser, close: closeBrowser } = await launchChromium());
}, 60_000);

afterAll(async () => {
  await closeBrowser?.();
  for (const h of hubs) await h.stop();
  await provider?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('hub serve --auth oidc (real OpenID provider, headless Chromium)', () => {
  it('signs in from the web UI with "Sign in with Test IdP": a session, the groups claim as groups, self-service', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${hub.url}/`);
    await expect.poll(() => page.getByRole('link', { name: 'Sign in with Test IdP' }).count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByLabel('Token').count()).toBe(1);
    await shot(page, 'oidc-sign-in-page');
    await expectAccessible(page, 'sign-in page with OIDC');
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await providerLogin(page, 'alice');
    await page.waitForURL(`${hub.url}/`);
    const info = await api(page, '/info');
    expect(info.status).toBe(200);
    expect(info.body.user).toMatchObject({ name: 'alice', admin: false });
    const user = await (await fetch(`${hub.url}/api/v1/users/alice`, { headers: { authorization: `Bearer ${hub.adminToken}` } })).json();
    expect(user).toMatchObject({ admin: false, selfService: true, groups: ['ml-team'] });
    await shot(page, 'oidc-signed-in');
    await context.close();
  }, 90_000);

  it('makes members of the admin group admins (from the server\'s own sign-in page, which keeps the Token field)', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${hub.url}/hub/login?next=/api/v1/info`);
    expect(await page.getByLabel('Token').count()).toBe(1);
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await providerLogin(page, 'bob');
    await page.waitForURL(`${hub.url}/api/v1/info`);
    expect((await api(page, '/info')).body.user).toMatchObject({ name: 'bob', admin: true });
    expect((await api(page, '/users')).status).toBe(200);
    await context.close();
  }, 90_000);

  it('keeps out someone the provider knows who is not in an allowed group', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${hub.url}/hub/login`);
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await providerLogin(page, 'carol');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('carol is not in a group allowed on this hub (hub-users)');
    expect((await page.context().request.get(`${hub.url}/api/v1/info`)).status()).toBe(401);
    await context.close();
  }, 90_000);

  it('refuses a provider user name that is not a Hubdeck user name, saying which claim', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${hub.url}/hub/login`);
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await providerLogin(page, 'dave');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('The identity provider\'s preferred_username "Dave@Example.org" cannot be a Hubdeck user name');
    expect((await page.context().request.get(`${hub.url}/api/v1/info`)).status()).toBe(401);
    await context.close();
  }, 90_000);

  it('checks state and the browser the login started in: a forged or replayed callback signs nobody in', async () => {
    const start = await fetch(`${hub.url}/hub/login/oidc?next=/`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const location = new URL(start.headers.get('location')!);
    expect(location.origin).toBe(provider.issuer);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('nonce')).toBeTruthy();
    const flow = start.headers.get('set-cookie')!.split(';')[0]!;
    // No flow cookie: someone else's callback URL.
    const foreign = await fetch(`${hub.url}/hub/login/oidc/callback?code=x&state=${location.searchParams.get('state')}`, { redirect: 'manual' });
    expect(foreign.status).toBe(401);
    expect(await foreign.text()).toContain('not started in this browser');
    // The right browser, a wrong state.
    const forged = await fetch(`${hub.url}/hub/login/oidc/callback?code=x&state=wrong&iss=${encodeURIComponent(provider.issuer)}`, { redirect: 'manual', headers: { cookie: flow } });
    const forgedText = await forged.text();
    expect(forged.status, forgedText).toBe(401);
    expect(forged.headers.get('set-cookie') ?? '').not.toMatch(/hubdeck-session|hubdeck_session/);
    expect(forgedText).toMatch(/could not be completed: .*state/i);
    // The flow is used up: the same cookie again is refused.
    const replay = await fetch(`${hub.url}/hub/login/oidc/callback?code=x&state=${location.searchParams.get('state')}`, { redirect: 'manual', headers: { cookie: flow } });
    expect(await replay.text()).toContain('not started in this browser');
  });

  it('a provider that cannot be reached: a clear error, and token holders still get in', async () => {
    const deadIssuer = `http://127.0.0.1:${await freePort()}`;
    const h = await serve('down', await freePort(), deadIssuer);
    const r = await fetch(`${h.url}/hub/login/oidc?next=/`, { redirect: 'manual' });
    expect(r.status).toBe(503);
    const text = await r.text();
    expect(text).toContain(`The identity provider (${deadIssuer}) cannot be reached`);
    expect(text).toContain('Token holders can still sign in with their token.');
    const t = await fetch(`${h.url}/hub/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: h.adminToken!, next: '/' }) });
    expect(t.status).toBe(302);
    expect((h.stdout() + h.stderr())).not.toContain(provider.clientSecret);
  });
});

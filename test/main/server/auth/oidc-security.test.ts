/**
 * OpenID Connect sign-in security against a real provider (oidc-provider) in headless Chromium: the
 * user name claim is only a label (issuer + sub decide whose account it is), so renaming oneself at
 * the provider takes nobody's account, not even the first admin's; `next=` cannot leave the hub.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../../../support/hub-process';
import { freePort, startProvider, type TestProvider } from '../../../support/oidc-provider-fixture';
import { launchChromium } from '../../../support/chromium';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-oidc-sec-'));
let provider: TestProvider;
let hub: ServeProcess;
let browser: Browser;
let closeBrowser: () => Promise<void>;

/** Login (the provider's sub) → claims; changed during the tests, as people rename themselves. */
const PEOPLE: Record<string, { preferred_username: string; groups: string[] }> = {
  alice: { preferred_username: 'alice', groups: ['hub-users'] },
  mallory: { preferred_username: 'mallory', groups: ['hub-users', 'hub-admins'] },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API answers are checked field by field
async function admin(p: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${hub.url}/api/v1${p}`, { headers: { authorization: `Bearer ${hub.adminToken}` } });
  return { status: res.status, body: await res.json() };
}

/** A browser sent to the provider's login page from `start`. */
async function startAtProvider(start = `${hub.url}/hub/login/oidc?next=/`): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(start);
  await page.waitForURL((u) => u.href.startsWith(provider.issuer));
  return page;
}

/** Signs `login` in through the provider's own pages, starting at `start`; the page where it ends. */
async function providerSignIn(login: string, start?: string, started?: Page): Promise<Page> {
  const page = started ?? await startAtProvider(start);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.locator('button[type="submit"]').click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((u) => !u.href.startsWith(provider.issuer));
  return page;
}

async function whoAmI(page: Page): Promise<number> {
  return (await page.context().request.get(`${hub.url}/api/v1/info`)).status();
}

beforeAll(async () => {
  const port = await freePort();
  provider = await startProvider(PEOPLE, [`http://127.0.0.1:${port}/hub/login/oidc/callback`]);
  const secretFile = path.join(tmp, 'secret');
  fs.writeFileSync(secretFile, `${provider.clientSecret}\n`, { mode: 0o600 });
  hub = await startServe(['--data', path.join(tmp, 'hub'), '--engine', 'fake', '--listen', `127.0.0.1:${port}`, '--auth', 'oidc', '--oidc-issuer', provider.issuer,
    '--oidc-client-id', provider.clientId, '--oidc-client-secret-file', secretFile, '--oidc-scope', 'openid profile groups', '--oidc-name', 'Test IdP',
    '--oidc-allowed-group', 'hub-users', '--oidc-admin-group', 'hub-admins', '--trusted-proxy', '127.0.0.1']);
  ({ browser, close: closeBrowser } = await launchChromium());
}, 60_000);

afterAll(async () => {
  await closeBrowser?.();
  await hub?.stop();
  await provider?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('OIDC sign-in security (real OpenID provider, headless Chromium)', () => {
  it('ties the account to issuer + sub: someone renaming themselves to another\'s preferred_username is refused', async () => {
    const alice = await providerSignIn('alice');
    expect(await whoAmI(alice)).toBe(200);
    // The used-up login's cookie is cleared with the sign-in.
    expect((await alice.context().cookies(`${hub.url}/hub/login/oidc/callback`)).map((k) => k.name)).not.toContain('hubdeck-oidc');
    expect((await admin('/users/alice')).body).toMatchObject({ admin: false, directory: { source: 'oidc', subject: `${provider.issuer} alice` } });
    await alice.context().close();
    PEOPLE.mallory!.preferred_username = 'alice';
    const mallory = await providerSignIn('mallory');
    await expect.poll(() => mallory.getByRole('alert').textContent()).toContain('alice on this hub belongs to another OpenID Connect account (the name was reused or changed there); ask a hub admin');
    expect(await whoAmI(mallory)).toBe(401);
    // Mallory is in the admin group: alice's account must not have been made admin on the way.
    expect((await admin('/users/alice')).body).toMatchObject({ admin: false });
    await mallory.context().close();
  }, 90_000);

  it('a provider user named like the hub\'s first admin is refused, and the first admin stays admin', async () => {
    const first = (await admin('/info')).body.user.name as string;
    PEOPLE.mallory!.preferred_username = first;
    const page = await providerSignIn('mallory');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain(`${first} is an account made on this hub, not by OpenID Connect sign-in`);
    expect(await whoAmI(page)).toBe(401);
    expect((await admin(`/users/${first}`)).body).toMatchObject({ admin: true });
    await page.context().close();
  }, 90_000);

  it('after signing in, goes only to a path on this hub: next= with a tab before //host stays here', async () => {
    const page = await providerSignIn('alice', `${hub.url}/hub/login/oidc?next=${encodeURIComponent('/\t/evil.example/')}`);
    expect(new URL(page.url()).origin).toBe(hub.url);
    expect(await whoAmI(page)).toBe(200);
    await page.context().close();
  }, 90_000);

  it('a flood of started logins from one address is neither refused nor pushes out someone else\'s login in progress', async () => {
    const page = await startAtProvider();
    const statuses = new Map<number, number>();
    const flood = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const r = await fetch(`${hub.url}/hub/login/oidc?next=/`, { redirect: 'manual', headers: { 'x-forwarded-for': '203.0.113.9' } });
        await r.arrayBuffer();
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      }
    };
    // More than the hub's 10,000 logins in progress, 40 at a time.
    await Promise.all(Array.from({ length: 40 }, () => flood(251)));
    expect(Object.fromEntries(statuses)).toEqual({ 302: 10_040 });
    await providerSignIn('alice', undefined, page);
    expect(new URL(page.url()).origin).toBe(hub.url);
    expect(await whoAmI(page)).toBe(200);
    await page.context().close();
  }, 180_000);

  it('checks the issuer: a provider whose discovery names another issuer is not used, and tokens still work', async () => {
    // The same provider under another name (localhost): its discovery document says 127.0.0.1.
    const other = provider.issuer.replace('127.0.0.1', 'localhost');
    const secretFile = path.join(tmp, 'secret');
    const h = await startServe(['--data', path.join(tmp, 'wrong-issuer'), '--engine', 'fake', '--listen', '127.0.0.1:0', '--auth', 'oidc', '--oidc-issuer', other,
      '--oidc-client-id', provider.clientId, '--oidc-client-secret-file', secretFile]);
    try {
      const r = await fetch(`${h.url}/hub/login/oidc?next=/`, { redirect: 'manual' });
      expect(r.status).toBe(503);
      const text = await r.text();
      expect(text).toContain(`The identity provider (${other}) cannot be reached`);
      expect(text).toMatch(/issuer/i);
      expect(r.headers.get('location')).toBeNull();
      expect(text).not.toContain(provider.clientSecret);
      const t = await fetch(`${h.url}/hub/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: h.adminToken!, next: '/' }) });
      expect(t.status).toBe(302);
    } finally {
      await h.stop();
    }
  }, 60_000);
});

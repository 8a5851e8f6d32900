/**
 * `hub serve --auth ldap` against Debian's real slapd: password sign-in opens a normal session,
 * groups and admin come from the directory, allowed groups, blocked and deleted users, StartTLS and
 * LDAPS, search-then-bind, the throttle, and a directory that is down (token holders still get in).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../../../support/hub-process';
import { expectAccessible, launchChromium, shot } from '../../../support/chromium';
import { groupLdif, personLdif, ROOT_DN, ROOT_PW, startSlapd, SUFFIX, type Slapd } from '../../../support/slapd-fixture';

let slapd: Slapd;
const hubs: ServeProcess[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-ldap-test-'));
const PEOPLE = `ou=people,${SUFFIX}`;
const GROUPS = `ou=groups,${SUFFIX}`;

async function serve(name: string, extra: string[], url = slapd.url): Promise<ServeProcess> {
  const hub = await startServe(['--data', path.join(tmp, name), '--engine', 'fake', '--listen', '127.0.0.1:0', '--trusted-proxy', '127.0.0.1', '--auth', 'ldap', '--ldap-url', url, ...extra]);
  hubs.push(hub);
  return hub;
}

/** POSTs the sign-in form; `from` is the client address the trusted proxy (us) vouches for. */
async function signIn(hub: ServeProcess, fields: Record<string, string>, from = '198.51.100.1'): Promise<{ status: number; cookie: string | null; text: string }> {
  const res = await fetch(`${hub.url}/hub/login`, {
    method: 'POST', redirect: 'manual', body: new URLSearchParams({ next: '/', ...fields }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': from },
  });
  return { status: res.status, cookie: res.headers.get('set-cookie')?.split(';')[0] ?? null, text: await res.text() };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API answers are checked field by field
async function api(hub: ServeProcess, p: string, auth: { cookie?: string; token?: string }, init: RequestInit = {}): Promise<{ status: number; body: Record<string, any> }> {
  const headers: Record<string, string> = { ...(init.body ? { 'content-type': 'application/json' } : {}) };
  if (auth.cookie) headers.cookie = auth.cookie;
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  const res = await fetch(`${hub.url}/api/v1${p}`, { ...init, headers });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

let hub: ServeProcess;

beforeAll(async () => {
  slapd = await startSlapd();
  await slapd.add([
    personLdif('alice', 'alice-pw'), personLdif('bob', 'bob-pw'), personLdif('carol', 'carol-pw'),
    personLdif('dave', 'dave-pw'), personLdif('erin', 'erin-pw'),
    groupLdif('hub-users', ['alice', 'bob', 'dave', 'erin']), groupLdif('hub-admins', ['bob']), groupLdif('ml-team', ['alice']),
    groupLdif('outsiders', ['carol']),
  ].join('\n'));
  hub = await serve('main', ['--ldap-user-dn-template', `uid={username},${PEOPLE}`, '--ldap-group-base', GROUPS,
    '--ldap-admin-group', 'hub-admins', '--ldap-allowed-group', 'hub-users', '--auth-self-service-group', 'ml-team']);
  // Directory groups become Hubdeck groups only where the hub has them.
  expect((await api(hub, '/groups', { token: hub.adminToken! }, { method: 'POST', body: JSON.stringify({ name: 'ml-team' }) })).status).toBe(201);
}, 60_000);

afterAll(async () => {
  for (const h of hubs) await h.stop();
  await slapd?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('hub serve --auth ldap (real slapd)', () => {
  it('shows user name and password fields beside the Token field', async () => {
    const html = await (await fetch(`${hub.url}/hub/login`)).text();
    expect(html).toContain('<label for="username">User name</label>');
    expect(html).toContain('<label for="password">Password</label>');
    expect(html).toContain('<label for="token">Token</label>');
    expect(await (await fetch(`${hub.url}/hub/login/methods`)).json()).toEqual({ password: true, oidc: null });
    expect(hub.stdout()).toContain(`sign-in: LDAP ${slapd.url}, and tokens`);
  });

  it('refuses flags that cannot work before the hub starts', async () => {
    await expect(startServe(['--data', path.join(tmp, 'bad1'), '--engine', 'fake', '--listen', '127.0.0.1:0', '--auth', 'kerberos'])).rejects.toThrow('"kerberos" is not a sign-in kind (ldap or oidc)');
    await expect(startServe(['--data', path.join(tmp, 'bad2'), '--engine', 'fake', '--listen', '127.0.0.1:0', '--auth', 'ldap', '--ldap-url', slapd.url])).rejects.toThrow('or --ldap-search-base is required with --auth ldap');
    await expect(startServe(['--data', path.join(tmp, 'bad3'), '--engine', 'fake', '--listen', '127.0.0.1:0', '--auth', 'ldap', '--ldap-url', 'http://x', '--ldap-user-dn-template', 'uid={username}'])).rejects.toThrow('must start with ldap:// or ldaps://');
  });

  it('signs in from the web UI\'s sign-in page with user name and password (headless Chromium)', async () => {
    const { browser, close } = await launchChromium();
    try {
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${hub.url}/`);
      await page.getByLabel('User name').waitFor();
      await expectAccessible(page, 'sign-in page with LDAP');
      await page.getByLabel('User name').fill('alice');
      await page.getByLabel('Password').fill('wrong');
      await page.getByRole('button', { name: 'Sign in with password' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('Wrong user name or password.');
      expect(await page.getByLabel('Token').count()).toBe(1);
      await page.getByLabel('Password').fill('alice-pw');
      await page.getByRole('button', { name: 'Sign in with password' }).click();
      await expect.poll(async () => (await page.context().request.get(`${hub.url}/api/v1/info`)).status()).toBe(200);
      await expect.poll(() => page.getByLabel('User name').count()).toBe(0);
      await shot(page, 'ldap-signed-in');
    } finally {
      await close();
    }
  }, 60_000);

  it('signs a person in with their directory password: a session, their groups, self-service, not admin', async () => {
    const r = await signIn(hub, { username: 'alice', password: 'alice-pw' });
    expect(r.status).toBe(302);
    expect(r.cookie).toMatch(/^hubdeck[^=]*=/);
    const info = await api(hub, '/info', { cookie: r.cookie! });
    expect(info.status).toBe(200);
    expect(info.body.user.name).toBe('alice');
    expect(info.body.user.admin).toBe(false);
    const user = (await api(hub, '/users/alice', { token: hub.adminToken! })).body;
    expect(user).toMatchObject({ name: 'alice', admin: false, selfService: true, groups: ['ml-team'], blocked: false });
  });

  it('refuses a wrong password, an empty one and a filter-injection name alike, and never logs the password', async () => {
    for (const fields of [{ username: 'alice', password: 'nope' }, { username: 'alice', password: '' }, { username: 'alice)(uid=*', password: 'x' }, { username: '*', password: 'alice-pw' }]) {
      const r = await signIn(hub, fields, '198.51.100.2');
      expect(r.status).toBe(401);
      expect(r.cookie).toBeNull();
      expect(r.text).toContain('Wrong user name or password.');
    }
    expect(hub.stdout() + hub.stderr()).not.toContain('alice-pw');
    expect(hub.stdout() + hub.stderr()).not.toContain('nope');
  });

  it('keeps out someone the directory knows but who is not in an allowed group', async () => {
    const r = await signIn(hub, { username: 'carol', password: 'carol-pw' });
    expect(r.status).toBe(401);
    expect(r.text).toContain('carol is not in a group allowed on this hub (hub-users)');
    expect((await api(hub, '/users/carol', { token: hub.adminToken! })).status).toBe(404);
  });

  it('makes members of the admin group hub admins', async () => {
    const r = await signIn(hub, { username: ' Bob ', password: 'bob-pw' });
    expect(r.status).toBe(302);
    const info = await api(hub, '/info', { cookie: r.cookie! });
    expect(info.body.user).toMatchObject({ name: 'bob', admin: true });
    expect((await api(hub, '/users', { cookie: r.cookie! })).status).toBe(200);
    expect((await api(hub, '/users/bob', { token: hub.adminToken! })).body).toMatchObject({ admin: true, selfService: false, groups: [] });
  });

  it('keeps blocked and deleted users out although the directory still takes their password', async () => {
    const first = await signIn(hub, { username: 'dave', password: 'dave-pw' });
    expect(first.status).toBe(302);
    expect((await api(hub, '/users/dave', { token: hub.adminToken! }, { method: 'PATCH', body: JSON.stringify({ blocked: true }) })).status).toBe(200);
    const blocked = await signIn(hub, { username: 'dave', password: 'dave-pw' });
    expect(blocked.status).toBe(401);
    expect(blocked.text).toContain('dave is blocked on this hub');
    // The session dave had is gone too.
    expect((await api(hub, '/info', { cookie: first.cookie! })).status).toBe(401);

    expect((await signIn(hub, { username: 'erin', password: 'erin-pw' })).status).toBe(302);
    expect((await api(hub, '/users/erin', { token: hub.adminToken! }, { method: 'DELETE' })).status).toBe(204);
    const removed = await signIn(hub, { username: 'erin', password: 'erin-pw' });
    expect(removed.status).toBe(401);
    expect(removed.text).toContain('erin was removed from this hub');
    expect((await api(hub, '/users/erin', { token: hub.adminToken! })).status).toBe(404);
    // An admin adding the name again lets the person back in.
    expect((await api(hub, '/users', { token: hub.adminToken! }, { method: 'POST', body: JSON.stringify({ name: 'erin' }) })).status).toBe(201);
    expect((await signIn(hub, { username: 'erin', password: 'erin-pw' })).status).toBe(302);
  });

  it('puts wrong passwords through the auth throttle (429 after 15 in a minute)', async () => {
    const from = '203.0.113.77';
    const statuses: number[] = [];
    for (let i = 0; i < 16; i++) statuses.push((await signIn(hub, { username: 'alice', password: `guess-${i}` }, from)).status);
    expect(statuses.slice(0, 15).every((s) => s === 401)).toBe(true);
    expect(statuses[15]).toBe(429);
    // The right password from that address is refused too until the minute is over: no free guesses.
    expect((await signIn(hub, { username: 'alice', password: 'alice-pw' }, from)).status).toBe(429);
    // Other addresses are not affected.
    expect((await signIn(hub, { username: 'alice', password: 'alice-pw' }, '198.51.100.9')).status).toBe(302);
  }, 60_000);

  it('search-then-bind over StartTLS with the directory\'s CA', async () => {
    const pwFile = path.join(tmp, 'bind-pw');
    fs.writeFileSync(pwFile, `${ROOT_PW}\n`, { mode: 0o600 });
    const h = await serve('starttls', ['--ldap-starttls', '--ldap-ca-file', slapd.caFile, '--ldap-bind-dn', ROOT_DN, '--ldap-bind-password-file', pwFile,
      '--ldap-search-base', PEOPLE, '--ldap-group-base', GROUPS, '--ldap-admin-group', 'hub-admins']);
    const ok = await signIn(h, { username: 'bob', password: 'bob-pw' });
    expect(ok.status, ok.text).toBe(302);
    expect((await api(h, '/users/bob', { token: h.adminToken! })).body).toMatchObject({ admin: true });
    expect((await signIn(h, { username: 'bob', password: 'wrong' })).status).toBe(401);
    expect((await signIn(h, { username: 'nobody', password: 'x' })).text).toContain('Wrong user name or password.');
    expect(h.stdout() + h.stderr()).not.toContain(ROOT_PW);
  }, 60_000);

  it('LDAPS with the CA works; StartTLS against an untrusted certificate refuses to send the password', async () => {
    const h = await serve('ldaps', ['--ldap-ca-file', slapd.caFile, '--ldap-user-dn-template', `uid={username},${PEOPLE}`], slapd.ldapsUrl);
    expect((await signIn(h, { username: 'alice', password: 'alice-pw' })).status).toBe(302);
    const untrusted = await serve('untrusted', ['--ldap-starttls', '--ldap-user-dn-template', `uid={username},${PEOPLE}`]);
    const r = await signIn(untrusted, { username: 'alice', password: 'alice-pw' });
    expect(r.status).toBe(503);
    expect(r.text).toContain('cannot be reached securely (StartTLS)');
    expect(r.text).toMatch(/self[- ]signed certificate/);
  }, 60_000);

  it('a directory that is down: a clear error on the sign-in page, and token holders still get in', async () => {
    await slapd.stop();
    try {
      const r = await signIn(hub, { username: 'alice', password: 'alice-pw' });
      expect(r.status).toBe(503);
      expect(r.text).toContain(`The directory (${slapd.url}) cannot be used right now`);
      expect(r.text).toContain('Token holders can still sign in with their token.');
      expect(r.text).toContain('<label for="token">Token</label>');
      const t = await signIn(hub, { token: hub.adminToken! });
      expect(t.status).toBe(302);
      expect((await api(hub, '/info', { cookie: t.cookie! })).status).toBe(200);
      expect((await api(hub, '/users', { token: hub.adminToken! })).status).toBe(200);
    } finally {
      await slapd.start();
    }
    expect((await signIn(hub, { username: 'alice', password: 'alice-pw' })).status).toBe(302);
  }, 60_000);
});

/**
 * Team sign-in security against Debian's real slapd and a real `hub serve`: a directory person never
 * takes over an account the directory did not make (the first admin, a token-only teammate, a name
 * reused in the directory), password guesses sent all at once still go through the throttle,
 * `next=` never leaves the hub, and passwords reach neither the hub's log nor an answer.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../../../support/hub-process';
import { launchChromium } from '../../../support/chromium';
import { groupLdif, personLdif, ROOT_DN, ROOT_PW, startSlapd, SUFFIX, type Slapd } from '../../../support/slapd-fixture';

let slapd: Slapd;
let hub: ServeProcess;
let firstAdmin: string;
const hubs: ServeProcess[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-ldap-sec-'));
const PEOPLE = `ou=people,${SUFFIX}`;
const GROUPS = `ou=groups,${SUFFIX}`;

async function serve(name: string, extra: string[], url = slapd.url): Promise<ServeProcess> {
  const h = await startServe(['--data', path.join(tmp, name), '--engine', 'fake', '--listen', '127.0.0.1:0', '--trusted-proxy', '127.0.0.1',
    '--auth', 'ldap', '--ldap-url', url, '--ldap-group-base', GROUPS, '--ldap-admin-group', 'hub-admins', ...extra]);
  hubs.push(h);
  return h;
}

async function post(h: ServeProcess, body: string, type: string, from: string): Promise<{ status: number; cookie: string | null; location: string | null; text: string }> {
  const res = await fetch(`${h.url}/hub/login`, { method: 'POST', redirect: 'manual', body, headers: { 'content-type': type, 'x-forwarded-for': from } });
  return { status: res.status, cookie: res.headers.get('set-cookie')?.split(';')[0] ?? null, location: res.headers.get('location'), text: await res.text() };
}

/** POSTs many sign-in forms at the same instant: every socket is connected before any request is written. */
async function signInAtOnce(h: ServeProcess, forms: Record<string, string>[], from: string): Promise<{ status: number; cookie: boolean }[]> {
  const { port } = new URL(h.url);
  const sockets = await Promise.all(forms.map(() => new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect(Number(port), '127.0.0.1', () => resolve(s)).on('error', reject);
  })));
  const answers = sockets.map((s) => new Promise<string>((resolve) => {
    let text = '';
    s.on('data', (d: Buffer) => (text += d.toString('latin1'))).on('close', () => resolve(text));
  }));
  sockets.forEach((s, i) => {
    const body = new URLSearchParams({ next: '/', ...forms[i] }).toString();
    s.write(`POST /hub/login HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-type: application/x-www-form-urlencoded\r\nx-forwarded-for: ${from}\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
  });
  return (await Promise.all(answers)).map((t) => ({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(t)?.[1]), cookie: /^set-cookie: hubdeck/im.test(t) }));
}

const signIn = (h: ServeProcess, fields: Record<string, string>, from = '198.51.100.1') =>
  post(h, new URLSearchParams({ next: '/', ...fields }).toString(), 'application/x-www-form-urlencoded', from);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API answers are checked field by field
async function api(h: ServeProcess, p: string, init: RequestInit = {}, auth: Record<string, string> = { authorization: `Bearer ${h.adminToken}` }): Promise<{ status: number; body: any }> {
  const res = await fetch(`${h.url}/api/v1${p}`, { ...init, headers: { ...auth, ...(init.body ? { 'content-type': 'application/json' } : {}) } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

beforeAll(async () => {
  slapd = await startSlapd();
  hub = await serve('main', ['--ldap-user-dn-template', `uid={username},${PEOPLE}`]);
  firstAdmin = (await api(hub, '/info')).body.user.name;
  await slapd.add([
    personLdif(firstAdmin, 'first-admin-dir-pw'), personLdif('gina', 'gina-pw'), personLdif('hank', 'hank-pw'), personLdif('ivan', 'ivan-pw'),
    groupLdif('hub-admins', ['gina', 'hank']),
    `dn: ou=contractors,${SUFFIX}\nobjectClass: organizationalUnit\nou: contractors\n`,
  ].join('\n'));
}, 60_000);

afterAll(async () => {
  for (const h of hubs) await h.stop();
  await slapd?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('team sign-in security (real slapd, real hub serve)', () => {
  it('a directory person named like the hub\'s first admin is refused, and the first admin keeps admin rights', async () => {
    const r = await signIn(hub, { username: firstAdmin, password: 'first-admin-dir-pw' });
    expect(r.status).toBe(401);
    expect(r.cookie).toBeNull();
    expect(r.text).toContain(`${firstAdmin} is an account made on this hub, not by LDAP sign-in`);
    expect((await api(hub, `/users/${firstAdmin}`)).body).toMatchObject({ admin: true });
    expect((await api(hub, `/users/${firstAdmin}`)).body.directory).toBeUndefined();
  });

  it('a token-only teammate\'s account is not signed into nor made admin by a directory person of that name', async () => {
    expect((await api(hub, '/users', { method: 'POST', body: JSON.stringify({ name: 'gina' }) })).status).toBe(201);
    const r = await signIn(hub, { username: 'gina', password: 'gina-pw' });
    expect(r.status).toBe(401);
    expect(r.text).toContain('gina is an account made on this hub, not by LDAP sign-in; sign in with its token, or ask a hub admin');
    expect((await api(hub, '/users/gina')).body).toMatchObject({ admin: false });
  });

  it('an account the directory made stays with that entry: a name reused in the directory gets a clear refusal', async () => {
    const pw = path.join(tmp, 'bind-pw');
    fs.writeFileSync(pw, `${ROOT_PW}\n`, { mode: 0o600 });
    const h = await serve('search', ['--ldap-bind-dn', ROOT_DN, '--ldap-bind-password-file', pw, '--ldap-search-base', SUFFIX]);
    expect((await signIn(h, { username: 'ivan', password: 'ivan-pw' })).status).toBe(302);
    expect((await api(h, '/users/ivan')).body.directory).toEqual({ source: 'ldap', subject: `uid=ivan,${PEOPLE}` });
    // Ivan leaves; a new person gets the uid "ivan" elsewhere in the directory.
    await slapd.remove(`uid=ivan,${PEOPLE}`);
    await slapd.add(`dn: uid=ivan,ou=contractors,${SUFFIX}\nobjectClass: inetOrgPerson\nuid: ivan\ncn: ivan\nsn: ivan\nuserPassword: new-ivan-pw\n`);
    const r = await signIn(h, { username: 'ivan', password: 'new-ivan-pw' });
    expect(r.status).toBe(401);
    expect(r.text).toContain('ivan on this hub belongs to another LDAP account (the name was reused or changed there); ask a hub admin');
    // An admin removing the old account and adding the name again hands it back to the old entry only.
    expect((await api(h, '/users/ivan', { method: 'DELETE' })).status).toBe(204);
    expect((await api(h, '/users', { method: 'POST', body: JSON.stringify({ name: 'ivan' }) })).body.directory).toEqual({ source: 'ldap', subject: `uid=ivan,${PEOPLE}` });
    expect((await signIn(h, { username: 'ivan', password: 'new-ivan-pw' })).status).toBe(401);
  }, 60_000);

  it('directory admin rights follow the group on accounts the directory made', async () => {
    const r = await signIn(hub, { username: 'hank', password: 'hank-pw' });
    expect(r.status).toBe(302);
    expect((await api(hub, '/users/hank')).body).toMatchObject({ admin: true, directory: { source: 'ldap', subject: `uid=hank,${PEOPLE}` } });
  });

  it('guesses sent all at once go through the throttle one by one: the directory sees 15, not 39', async () => {
    const from = '203.0.113.50';
    // 39 wrong guesses and the right password, sent together: without one-at-a-time checks all 40
    // pass the throttle before the first failure is counted, and the 40th signs in.
    const guesses = [...Array.from({ length: 39 }, (_, i) => `guess-${i}`), 'hank-pw'];
    const failedBinds = () => slapd.log().match(/RESULT tag=97 err=49/g)?.length ?? 0;
    const before = failedBinds();
    const answers = await signInAtOnce(hub, guesses.map((password) => ({ username: 'hank', password })), from);
    await new Promise((r) => setTimeout(r, 200));
    // The directory saw exactly the 15 guesses the throttle allows, no more.
    expect(failedBinds() - before).toBe(15);
    expect(answers.filter((r) => r.status === 401).length).toBe(15);
    expect(answers.filter((r) => r.status === 429).length).toBe(25);
    expect(answers.some((r) => r.cookie)).toBe(false);
    expect((await signIn(hub, { username: 'hank', password: 'hank-pw' }, from)).status).toBe(429);
    expect((await signIn(hub, { username: 'hank', password: 'hank-pw' }, '198.51.100.60')).status).toBe(302);
  }, 60_000);

  it('follows next= only to paths on this hub (no //host, \\host, tab or newline tricks)', async () => {
    const bad = ['//evil.example/', '/\\evil.example', '/\t/evil.example', '/\n/evil.example', '/.//evil.example', '/%09/evil.example', 'https://evil.example/', '/\\\\evil.example'];
    for (const next of bad) {
      const r = await signIn(hub, { token: hub.adminToken!, next }, '198.51.100.70');
      expect(r.status, next).toBe(302);
      const target = new URL(r.location!, hub.url);
      expect(target.origin, next).toBe(hub.url);
      expect(r.location!.startsWith('//'), next).toBe(false);
    }
    expect((await signIn(hub, { token: hub.adminToken!, next: '/\t/evil.example' }, '198.51.100.70')).location).toBe('/');
    expect((await signIn(hub, { token: hub.adminToken!, next: '/api/v1/info?x=1#top' }, '198.51.100.70')).location).toBe('/api/v1/info?x=1#top');
  });

  it('never puts a password in the hub\'s log or an answer: wrong, right, and in a malformed JSON form', async () => {
    const from = '198.51.100.80';
    const wrong = await post(hub, JSON.stringify({ username: 'hank', password: 'Wr0ng-Secret-1' }), 'application/json', from);
    expect(wrong.status).toBe(401);
    const right = await post(hub, JSON.stringify({ username: 'hank', password: 'hank-pw' }), 'application/json', from);
    expect(right.status).toBe(302);
    const broken = await post(hub, '{"username":"hank","password":"Br0ken-Secret-2"', 'application/json', from);
    expect(broken.status).toBe(400);
    expect(broken.text).toContain('the sign-in form is not valid JSON');
    const notObject = await post(hub, '["Arr4y-Secret-3"]', 'application/json', from);
    expect(notObject.status).toBe(400);
    const answers = [wrong.text, right.text, broken.text, notObject.text, right.location ?? ''].join('\n');
    const logs = hub.stdout() + hub.stderr();
    for (const secret of ['Wr0ng-Secret-1', 'hank-pw', 'Br0ken-Secret-2', 'Arr4y-Secret-3', 'first-admin-dir-pw', 'gina-pw']) {
      expect(answers).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
  });

  it('refuses very long inputs before the directory is asked: a 5,000-character name alike, a form over 8 KB as too large', async () => {
    const failedBinds = () => slapd.log().match(/RESULT tag=97/g)?.length ?? 0;
    const before = failedBinds();
    const long = await signIn(hub, { username: 'a'.repeat(5000), password: 'x' }, '198.51.100.90');
    expect(long.status).toBe(401);
    expect(long.text).toContain('Wrong user name or password.');
    const huge = await signIn(hub, { username: 'hank', password: 'p'.repeat(9000) }, '198.51.100.90');
    expect(huge.status).toBe(400);
    expect(huge.text).toContain('the form is too large');
    expect(huge.text).not.toContain('ppppp');
    await new Promise((r) => setTimeout(r, 200));
    expect(failedBinds() - before).toBe(0);
  });

  it('StartTLS checks the directory\'s certificate against its host name (127.0.0.1), not "localhost"', async () => {
    const results: Record<string, { status: number; text: string }> = {};
    for (const names of ['IP:127.0.0.1', 'DNS:localhost']) {
      const d = await startSlapd(names);
      try {
        await d.add(personLdif('kim', 'kim-pw'));
        const h = await serve(`tls-${names.replace(/\W/g, '-')}`, ['--ldap-starttls', '--ldap-ca-file', d.caFile, '--ldap-user-dn-template', `uid={username},${PEOPLE}`], d.url);
        results[names] = await signIn(h, { username: 'kim', password: 'kim-pw' });
      } finally {
        await d.close();
      }
    }
    // A certificate for the address the hub dials is accepted…
    expect(results['IP:127.0.0.1']!.status, results['IP:127.0.0.1']!.text).toBe(302);
    // …one for another name (here "localhost", from the same trusted CA) is not: the password is never sent.
    expect(results['DNS:localhost']!.status).toBe(503);
    expect(results['DNS:localhost']!.text).toContain('cannot be reached securely (StartTLS)');
    expect(results['DNS:localhost']!.text).toContain('IP: 127.0.0.1 is not in the cert');
  }, 60_000);

  it('refuses a sign-in form posted from another site (login CSRF): the visitor is not signed in as the attacker', async () => {
    // The attacker's page, on another site (localhost is not the same site as 127.0.0.1).
    const attacker = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<form method="post" action="${hub.url}/hub/login"><input name="username" value="hank"><input name="password" value="hank-pw"><input name="next" value="/api/v1/info"></form><script>document.forms[0].submit()</script>`);
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    const { browser, close } = await launchChromium();
    try {
      const page = await (await browser.newContext()).newPage();
      const answer = page.waitForResponse((r) => r.url() === `${hub.url}/hub/login`);
      await page.goto(`http://localhost:${(attacker.address() as { port: number }).port}/`);
      const res = await answer;
      expect(res.status()).toBe(403);
      expect(await res.text()).toContain('Sign-in forms from other sites are refused');
      expect((await page.context().request.get(`${hub.url}/api/v1/info`)).status()).toBe(401);
      // The hub's own page still signs in, in the same browser.
      await page.goto(`${hub.url}/hub/login`);
      await page.getByLabel('User name').fill('hank');
      await page.getByLabel('Password').fill('hank-pw');
      await page.getByRole('button', { name: 'Sign in with password' }).click();
      await expect.poll(async () => (await page.context().request.get(`${hub.url}/api/v1/info`)).status()).toBe(200);
    } finally {
      await close();
      attacker.close();
    }
  }, 60_000);
});

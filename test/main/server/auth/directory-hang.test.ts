/**
 * A directory that hangs must not hang sign-in: against a real hub server (in-memory engine) and
 * directories that accept connections and then say nothing, or accept StartTLS and never do the TLS
 * handshake, every password sign-in is answered (503, the directory named) within the configured
 * timeout, the next sign-in from the same address is not stuck behind it, and tokens still work.
 */
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { api, startApiHub, type ApiHub } from '../../../support/api-hub';
import { startHangingServer, type HangingServer } from '../../../support/hanging-directory';
import { LdapAuthenticator, LDAP_DEFAULTS } from '../../../../main/server/auth/ldap-auth';
import type { TeamSignIn } from '../../../../main/server/auth/team-sign-in';

const TIMEOUT_MS = 300;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

async function hubWith(dir: HangingServer, startTls: boolean): Promise<ApiHub> {
  const ldap = new LdapAuthenticator({ ...LDAP_DEFAULTS, url: dir.url, startTls, userDnTemplate: 'uid={username},ou=people,dc=example,dc=org', timeoutMs: TIMEOUT_MS });
  const policy = { allowedGroups: [], adminGroup: null, selfServiceGroups: [] };
  const teamSignIn: TeamSignIn = { ldap, oidc: null, ldapPolicy: policy, oidcPolicy: policy };
  const h = await startApiHub('dir-hang', { server: { teamSignIn } });
  cleanup.push(() => h.stop(), () => dir.close());
  return h;
}

/** A sign-in form POST from `from` (a loopback address of its own); gives up after `ms`. */
function signIn(h: ApiHub, from: string, ms: number): Promise<{ status: number; text: string; ms: number }> {
  const body = new URLSearchParams({ username: 'alice', password: 'pw', next: '/' }).toString();
  const started = Date.now();
  return new Promise((resolve) => {
    const req = http.request(`${h.url}/hub/login`, { method: 'POST', localAddress: from, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': body.length } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString())).on('end', () => resolve({ status: res.statusCode ?? 0, text, ms: Date.now() - started }));
    });
    req.setTimeout(ms, () => {
      req.destroy();
      resolve({ status: 0, text: `no answer in ${ms} ms`, ms: Date.now() - started });
    });
    req.on('error', () => undefined);
    req.end(body);
  });
}

describe('sign-in against a directory that hangs', () => {
  it('a silent directory: answered 503 within the timeout, the same address not held, tokens unaffected', async () => {
    const dir = await startHangingServer('silent');
    const h = await hubWith(dir, false);
    const first = await signIn(h, '127.0.0.21', 5000);
    expect(first.status, first.text).toBe(503);
    expect(first.text).toContain('Token holders can still sign in with their token');
    const again = await signIn(h, '127.0.0.21', 5000);
    expect(again.status, again.text).toBe(503);
    expect((await api(h.url, 'GET', '/info', h.adminToken)).status).toBe(200);
  });

  it('StartTLS accepted, then no TLS handshake: answered 503 within the timeout, not held for ever', async () => {
    const dir = await startHangingServer('starttls');
    const h = await hubWith(dir, true);
    const first = await signIn(h, '127.0.0.22', 5000);
    expect(first.status, first.text).toBe(503);
    expect(first.text).toContain('cannot be reached securely (StartTLS)');
    expect(first.ms).toBeLessThan(20 * TIMEOUT_MS);
    // The address's queue is free again, and the directory's connection was let go.
    const again = await signIn(h, '127.0.0.22', 5000);
    expect(again.status, again.text).toBe(503);
    await new Promise((r) => setTimeout(r, 100));
    expect(dir.open()).toBe(0);
  });

  it('sign-ins abandoned while they wait their turn never reach the directory nor delay the next one', async () => {
    const dir = await startHangingServer('silent');
    const h = await hubWith(dir, false);
    // 20 sign-ins from one address, each given up by its client after 100 ms
    await Promise.all(Array.from({ length: 20 }, () => signIn(h, '127.0.0.23', 100)));
    // The hub learns a client left only when it reads the end of that connection: a moment for it.
    // Short of what kept places would hold the line for (20 in turn × the 300 ms directory timeout).
    await new Promise((r) => setTimeout(r, 200));
    const next = await signIn(h, '127.0.0.23', 5000);
    expect(next.status, next.text).toBe(503);
    expect(next.ms).toBeLessThan(6 * TIMEOUT_MS);
    // the one that was running when they left, and this one
    expect(dir.connections()).toBeLessThanOrEqual(3);
  });

  it('one address gets at most 16 sign-ins in line: the rest are refused (429) at once, not queued', async () => {
    const dir = await startHangingServer('silent');
    const h = await hubWith(dir, false);
    const answers = await Promise.all(Array.from({ length: 30 }, () => signIn(h, '127.0.0.24', 20_000)));
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBe(14);
    expect(Math.max(...refused.map((a) => a.ms))).toBeLessThan(6 * TIMEOUT_MS);
    expect(refused[0]!.text).toContain('sign-ins in progress from your address');
    expect(answers.filter((a) => a.status === 503).length).toBe(16);
    expect(dir.connections()).toBe(16);
    // another address is not held up by them
    expect((await signIn(h, '127.0.0.25', 5000)).status).toBe(503);
  }, 30_000);
});

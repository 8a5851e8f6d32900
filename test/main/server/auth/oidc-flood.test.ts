/**
 * OpenID Connect sign-in under a flood, against a real hub server (in-memory engine) and a minimal
 * provider (its discovery document only: nothing here reaches its token endpoint): logins started
 * by strangers from many addresses never push out a login someone else has in progress, bogus
 * callbacks are refused at once, and a provider that hangs is asked once, not once per visitor.
 */
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startApiHub, type ApiHub } from '../../../support/api-hub';
import { startHangingServer } from '../../../support/hanging-directory';
import { OidcAuthenticator } from '../../../../main/server/auth/oidc-auth';
import type { TeamSignIn } from '../../../../main/server/auth/team-sign-in';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

/** Serves only /.well-known/openid-configuration; counts requests. */
async function discoveryOnly(): Promise<{ issuer: string; requests: () => number }> {
  let n = 0;
  const server = http.createServer((req, res) => {
    n += 1;
    const issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    if (req.url !== '/.well-known/openid-configuration') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`, response_types_supported: ['code'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { issuer: `http://127.0.0.1:${(server.address() as { port: number }).port}`, requests: () => n };
}

async function hubWith(issuer: string, timeoutMs?: number): Promise<ApiHub> {
  const oidc = new OidcAuthenticator({ issuer, clientId: 'hub', scope: 'openid', usernameClaim: 'preferred_username', groupsClaim: 'groups', name: 'Test SSO', ...(timeoutMs ? { timeoutMs } : {}) });
  const policy = { allowedGroups: [], adminGroup: null, selfServiceGroups: [] };
  const teamSignIn: TeamSignIn = { ldap: null, oidc, ldapPolicy: policy, oidcPolicy: policy };
  const h = await startApiHub('oidc-flood', { server: { teamSignIn } });
  oidc.defaultRedirect(h.url);
  cleanup.push(() => h.stop());
  return h;
}

const agents = new Map<string, http.Agent>();
/** A GET from loopback address `from`: status, location, and the flow cookie it set. */
function get(url: string, from = '127.0.0.1', cookie?: string): Promise<{ status: number; location: string; flow: string | null; text: string }> {
  let agent = agents.get(from);
  if (!agent) agents.set(from, (agent = new http.Agent({ keepAlive: true, localAddress: from })));
  return new Promise((resolve, reject) => {
    http.get(url, { agent, headers: cookie ? { cookie } : {} }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString())).on('end', () => resolve({
        status: res.statusCode ?? 0, location: res.headers.location ?? '', text,
        flow: /hubdeck-oidc=([^;]*)/.exec(String(res.headers['set-cookie'] ?? ''))?.[1] ?? null,
      }));
    }).on('error', reject);
  });
}

describe('OpenID Connect sign-in under a flood', () => {
  it('12,000 logins started from 240 addresses do not push out the login someone else has in progress', async () => {
    const provider = await discoveryOnly();
    const h = await hubWith(provider.issuer);
    const mine = await get(`${h.url}/hub/login/oidc?next=/`, '127.0.0.2');
    expect(mine.status).toBe(302);
    const state = new URL(mine.location).searchParams.get('state')!;
    for (let a = 0; a < 240; a += 40) {
      await Promise.all(Array.from({ length: 40 }, async (_, k) => {
        for (let i = 0; i < 50; i++) expect((await get(`${h.url}/hub/login/oidc?next=/`, `127.0.1.${a + k + 1}`)).status).toBe(302);
      }));
    }
    // Still this browser's login: the callback gets as far as the provider's token endpoint (which
    // this provider does not have), not "not started in this browser".
    const back = await get(`${h.url}/hub/login/oidc/callback?code=x&state=${state}`, '127.0.0.2', `hubdeck-oidc=${mine.flow}`);
    expect(back.text).not.toContain('was not started in this browser');
    expect(back.text).toMatch(/could not be completed|cannot be reached/);
  }, 120_000);

  it('bogus callbacks (no login started, forged state, a flow cookie of nothing) are refused at once', async () => {
    const provider = await discoveryOnly();
    const h = await hubWith(provider.issuer);
    const started = Date.now();
    // Spread over ten addresses: one address is held to 64 unauthenticated connections anyway (connection-limits.ts).
    const answers = await Promise.all(Array.from({ length: 500 }, (_, i) => get(`${h.url}/hub/login/oidc/callback?code=c${i}&state=s${i}`, `127.0.3.${i % 10}`, i % 2 ? `hubdeck-oidc=forged${i}` : undefined)));
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([401]));
    expect(answers[1]!.text).toContain('was not started in this browser');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(provider.requests()).toBe(0);
  }, 30_000);

  it('a provider that hangs: 30 visitors at once cost one discovery, and each is answered 503 within the timeout', async () => {
    const hanging = await startHangingServer('silent', 'http');
    cleanup.push(() => hanging.close());
    const h = await hubWith(hanging.url, 500);
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 30 }, () => get(`${h.url}/hub/login/oidc?next=/`, '127.0.0.4')));
    expect(answers.map((a) => a.status)).toEqual(Array(30).fill(503));
    expect(answers[0]!.text).toContain('cannot be reached');
    expect(hanging.connections()).toBe(1);
    expect(Date.now() - started).toBeLessThan(5000);
  }, 30_000);
});

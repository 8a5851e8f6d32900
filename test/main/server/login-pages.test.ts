/**
 * Sign-ins through the hub's sign-in pages end up in the audit log, done or refused, with the
 * client's address; and a flood of requests without credentials to a state-changing route does not
 * grow the log past its per-client bound.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../main/api/audit-dto';
import { REFUSALS_PER_CLIENT } from '../../../main/hub/audit-budget';
import { api, startApiHub, type ApiHub } from '../../support/api-hub';

let h: ApiHub;

beforeAll(async () => {
  h = await startApiHub('login-audit');
});
afterAll(() => h.stop());

const signIns = async (): Promise<AuditEntry[]> => (await h.hub.audit.page({ action: 'session.sign-in' }, undefined, 50)).entries;
const post = (body: string) => fetch(`${h.url}/hub/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual' });

describe('sign-ins in the audit log', () => {
  it('records a token sign-in as done, a wrong token and a wrong code as refused', async () => {
    expect((await post(`token=${encodeURIComponent(h.adminToken)}`)).status).toBe(302);
    expect((await post('token=hdk_not_a_token')).status).toBe(401);
    expect((await fetch(`${h.url}/hub/login?code=not-a-code`, { redirect: 'manual' })).status).toBe(401);
    expect((await post('code=not-a-code')).status).toBe(401);
    const [code, link, form, ok] = await signIns();
    expect(ok).toMatchObject({ user: 'admin', address: '127.0.0.1', outcome: 'ok', reason: 'with a token', objectType: 'user', objectName: 'admin' });
    expect(ok!.tokenId).toMatch(/\S/);
    expect(form).toMatchObject({ user: null, tokenId: null, address: '127.0.0.1', outcome: 'refused', code: 'unauthorized', reason: 'a token that is not valid' });
    expect(link).toMatchObject({ user: null, outcome: 'refused', code: 'unauthorized' });
    expect(code).toMatchObject({ user: null, outcome: 'refused', code: 'unauthorized' });
  });

  it('records a one-time code redeemed for a session as a sign-in with it', async () => {
    const { code } = (await api(h.url, 'POST', '/login-codes', h.adminToken)).body as { code: string };
    expect((await post(`code=${encodeURIComponent(code)}`)).status).toBe(302);
    expect((await signIns())[0]).toMatchObject({ user: 'admin', outcome: 'ok', reason: 'with a one-time code' });
  });
});

describe('a flood of refused requests', () => {
  it('adds at most the per-client bound of entries a minute', async () => {
    for (let i = 0; i < 100; i++) expect((await api(h.url, 'POST', '/users', null, { name: 'x' })).status).toBe(401);
    // This client's refusals this minute, the sign-ins above included: the bound, not 100 more.
    const refused = (await h.hub.audit.page({ outcome: 'refused' }, undefined, 500)).entries;
    expect(refused).toHaveLength(REFUSALS_PER_CLIENT);
    expect(refused.filter((e) => e.action === 'user.create').length).toBeGreaterThan(10);
    expect(refused.every((e) => e.user === null && e.code === 'unauthorized' && e.address === '127.0.0.1')).toBe(true);
  });
});

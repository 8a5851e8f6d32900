/**
 * Many concurrent creates from one user on the real Docker engine (where a create takes a while):
 * 30 at once never exceed the user's quota nor make a name twice, and creates whose client
 * disconnects mid-way leave only whole workspaces, within quota.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startApiHub, type ApiHub } from '../../support/api-hub';
import { TEST_IMAGES } from '../../support/test-images';

let h: ApiHub;

async function user(name: string, quota: Record<string, unknown>): Promise<string> {
  expect((await api(h.url, 'POST', '/users', h.adminToken, { name, selfService: true, quota })).status).toBe(201);
  return ((await api(h.url, 'POST', `/users/${name}/tokens`, h.adminToken, {})).body as { token: string }).token;
}

const statuses = (rs: { status: number }[]) => rs.reduce<Record<number, number>>((m, r) => ({ ...m, [r.status]: (m[r.status] ?? 0) + 1 }), {});

beforeAll(async () => {
  h = await startApiHub('create-flood-d', { engine: 'docker' });
  await api(h.url, 'PATCH', '/settings', h.adminToken, { allowCustomImages: true });
}, 60_000);
afterAll(() => h?.stop(), 120_000);

describe('concurrent creates on Docker', () => {
  it('30 at once under quotas of 2 workspaces / 2 cpus, and 10 with one name: the quota and the name hold', async () => {
    const t = await user('dq', { maxWorkspaces: 2, cpus: 2, memory: '1g' });
    const rs = await Promise.all(Array.from({ length: 30 }, (_, i) => api(h.url, 'POST', '/workspaces?wait=0', t, { name: `w${i}`, image: TEST_IMAGES.busybox, cpus: 1, memory: '256m' })));
    expect(statuses(rs)).toEqual({ 201: 2, 403: 28 });
    expect((await h.engine.list({ user: 'dq' })).length).toBe(2);
    const d = await user('dd', {});
    const same = await Promise.all(Array.from({ length: 10 }, () => api(h.url, 'POST', '/workspaces?wait=0', d, { name: 'same', image: TEST_IMAGES.busybox })));
    expect(statuses(same)).toEqual({ 201: 1, 409: 9 });
    expect((await h.engine.list({ user: 'dd' })).map((w) => w.name)).toEqual(['same']);
  }, 120_000);

  it('creates whose client leaves mid-way: only whole workspaces, within quota', async () => {
    const t = await user('dg', { maxWorkspaces: 3 });
    const rs = await Promise.all(Array.from({ length: 12 }, (_, i) => fetch(`${h.url}/api/v1/workspaces?wait=1`, {
      method: 'POST', signal: AbortSignal.timeout(50 + 40 * i), headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `g${i}`, image: TEST_IMAGES.busybox }),
    }).then((r) => r.status, () => 'left')));
    expect(rs.filter((r) => r === 'left').length).toBeGreaterThan(6);
    await new Promise((r) => setTimeout(r, 3000));
    const made = await h.engine.list({ user: 'dg' });
    expect(made.length).toBeLessThanOrEqual(3);
    for (const w of made) expect(w.spec, w.name).toBeTruthy();
    // the user's lock is free
    expect((await api(h.url, 'POST', '/workspaces?wait=0', t, { name: 'after', image: TEST_IMAGES.busybox })).status).toBe(made.length < 3 ? 201 : 403);
  }, 120_000);
});

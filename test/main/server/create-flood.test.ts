/**
 * Many concurrent creates from one user, against a real hub server (in-memory engine, a little
 * engine latency so requests really overlap): hundreds of POST /workspaces at once never exceed
 * the user's workspace, CPU or memory quota nor make a name twice, and creates whose client
 * disconnects leave nothing half-made and nothing locked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startApiHub, until, type ApiHub } from '../../support/api-hub';
import type { FakeEngine } from '../../../main/engine/fake/fake-engine';

let h: ApiHub;
const tok: Record<string, string> = {};

async function user(name: string, quota: Record<string, unknown>): Promise<string> {
  expect((await api(h.url, 'POST', '/users', h.adminToken, { name, selfService: true, quota })).status).toBe(201);
  tok[name] = ((await api(h.url, 'POST', `/users/${name}/tokens`, h.adminToken, {})).body as { token: string }).token;
  return tok[name]!;
}

const statuses = (rs: { status: number }[]) => rs.reduce<Record<number, number>>((m, r) => ({ ...m, [r.status]: (m[r.status] ?? 0) + 1 }), {});
const mine = async (u: string) => (await h.engine.list({ user: u })).filter((w) => w.state !== 'removed' as never);

beforeAll(async () => {
  h = await startApiHub('create-flood');
  await api(h.url, 'PATCH', '/settings', h.adminToken, { allowCustomImages: true });
  (h.engine as FakeEngine).faults.delays.create = 5;
  (h.engine as FakeEngine).faults.delays.list = 2;
});
afterAll(() => h.stop());

describe('hundreds of concurrent creates from one user', () => {
  it('200 at once with 3 workspaces allowed: exactly 3 made, 197 refused by quota', async () => {
    const t = await user('wsq', { maxWorkspaces: 3 });
    const rs = await Promise.all(Array.from({ length: 200 }, (_, i) => api(h.url, 'POST', '/workspaces?wait=0', t, { name: `w${i}`, image: 'img:1', cpus: 1, memory: '1g' })));
    expect(statuses(rs)).toEqual({ 201: 3, 403: 197 });
    expect((await mine('wsq')).length).toBe(3);
  }, 60_000);

  it('200 at once under a CPU and a memory quota: never more in use than allowed', async () => {
    const cpu = await user('cpuq', { cpus: 4, memory: '64g' });
    const mem = await user('memq', { cpus: 64, memory: '5g' });
    const [a, b] = await Promise.all([cpu, mem].map((t) => Promise.all(Array.from({ length: 200 }, (_, i) => api(h.url, 'POST', '/workspaces?wait=0', t, { name: `c${i}`, image: 'img:1', cpus: 1, memory: '1g' })))));
    expect(statuses(a!)).toEqual({ 201: 4, 403: 196 });
    expect(statuses(b!)).toEqual({ 201: 5, 403: 195 });
    expect((await mine('cpuq')).length).toBe(4);
    expect((await mine('memq')).length).toBe(5);
  }, 60_000);

  it('100 at once with the same name: one made, 99 told it exists', async () => {
    const t = await user('dup', {});
    const rs = await Promise.all(Array.from({ length: 100 }, () => api(h.url, 'POST', '/workspaces?wait=0', t, { name: 'same', image: 'img:1' })));
    expect(statuses(rs)).toEqual({ 201: 1, 409: 99 });
    expect((await mine('dup')).map((w) => w.name)).toEqual(['same']);
  }, 60_000);

  it('creates whose client leaves: nothing half-made, nothing over quota, the user not locked out', async () => {
    const t = await user('gone', { maxWorkspaces: 2 });
    const engine = h.engine as FakeEngine;
    engine.faults.delays.create = 40;
    try {
      const rs = await Promise.all(Array.from({ length: 50 }, (_, i) => fetch(`${h.url}/api/v1/workspaces?wait=1`, {
        method: 'POST', signal: AbortSignal.timeout(10 + i), headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `g${i}`, image: 'img:1' }),
      }).then((r) => r.status, () => 'left')));
      expect(rs.filter((r) => r === 'left').length).toBeGreaterThan(40);
      await new Promise((r) => setTimeout(r, 500));
      const left = await mine('gone');
      expect(left.length).toBeLessThanOrEqual(2);
      // each one that exists is whole: running, with its spec
      for (const w of left) expect([w.state, Boolean(w.spec)]).toEqual(['running', true]);
    } finally {
      engine.faults.delays.create = 5;
    }
    // the user's lock is free: a create now is answered at once
    for (const w of await mine('gone')) await api(h.url, 'DELETE', `/workspaces/gone/${w.name}`, t);
    await until(async () => (await mine('gone')).length === 0, 5000, 'removed');
    const started = Date.now();
    expect((await api(h.url, 'POST', '/workspaces?wait=1', t, { name: 'after', image: 'img:1' })).status).toBe(201);
    expect(Date.now() - started).toBeLessThan(2000);
  }, 60_000);
});

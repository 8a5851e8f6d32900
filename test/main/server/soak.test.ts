/**
 * A soak on the in-memory engine: 50 clients × 20 mixed operations while one more user holds the
 * maximum of open streams and keeps asking for more, and an admin works throughout. Zero errors,
 * an exact final state. (The admin's latency under this load is printed with SOAK_REPORT=1;
 * `npm run bench:streams` is the benchmark for it.)
 */
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { api, startApiHub } from '../../support/api-hub';

const CLIENTS = 50;
const OPS = 20;

describe('soak', () => {
  it(`${CLIENTS} clients × ${OPS} operations with a stream hog: no errors, exact final state`, async () => {
    const h = await startApiHub('soak');
    const held: http.ClientRequest[] = [];
    try {
      await api(h.url, 'PATCH', '/settings', h.adminToken, { allowCustomImages: true });
      const users = Array.from({ length: CLIENTS }, (_, i) => `s${i}`);
      const tok: Record<string, string> = {};
      for (const u of [...users, 'hog']) {
        expect((await api(h.url, 'POST', '/users', h.adminToken, { name: u, selfService: true, quota: { maxWorkspaces: 5 } })).status).toBe(201);
        tok[u] = ((await api(h.url, 'POST', `/users/${u}/tokens`, h.adminToken, {})).body as { token: string }).token;
      }
      const openStream = () => new Promise<number>((resolve) => {
        const req = http.get(`${h.url}/api/v1/events`, { headers: { authorization: `Bearer ${tok.hog}` } }, (res) => { resolve(res.statusCode ?? 0); if (res.statusCode !== 200) res.resume(); });
        req.on('error', () => resolve(0));
        held.push(req);
      });
      for (let i = 0; i < 16; i++) expect(await openStream()).toBe(200);
      let done = false;
      let hogRefused = 0;
      const hog = (async () => { while (!done) if ((await openStream()) === 429) hogRefused++; })();
      const adminTimes: number[] = [];
      const adminWork = (async () => {
        while (!done) {
          const t0 = performance.now();
          expect((await api(h.url, 'GET', '/workspaces?all=1', h.adminToken)).status).toBe(200);
          adminTimes.push(performance.now() - t0);
        }
      })();
      const failures: string[] = [];
      const check = (what: string, r: { status: number; text: string }, ok: number) => { if (r.status !== ok) failures.push(`${what}: ${r.status} ${r.text.slice(0, 160)}`); };
      await Promise.all(users.map(async (u) => {
        const t = tok[u]!;
        const ws = (n: string) => `/workspaces/${u}/${n}`;
        const body = (name: string) => ({ name, image: 'img:1', volume: false, cpus: 0.05, days: 3 });
        check('create a', await api(h.url, 'POST', '/workspaces?wait=1', t, body('a')), 201);
        check('create b', await api(h.url, 'POST', '/workspaces?wait=0', t, body('b')), 201);
        check('list', await api(h.url, 'GET', '/workspaces', t), 200);
        check('get', await api(h.url, 'GET', ws('a'), t), 200);
        check('stats', await api(h.url, 'GET', `${ws('a')}/stats`, t), 200);
        check('logs', await api(h.url, 'GET', `${ws('a')}/logs?tail=5`, t), 200);
        check('stop', await api(h.url, 'POST', `${ws('a')}/stop`, t), 200);
        check('extend', await api(h.url, 'POST', `${ws('b')}/extend`, t, { days: 1 }), 200);
        check('start', await api(h.url, 'POST', `${ws('a')}/start`, t), 200);
        check('restart', await api(h.url, 'POST', `${ws('b')}/restart`, t), 200);
        check('token', await api(h.url, 'POST', `/users/${u}/tokens`, t, { note: 'soak' }), 201);
        check('tokens', await api(h.url, 'GET', `/users/${u}/tokens`, t), 200);
        check('images', await api(h.url, 'GET', '/images', t), 200);
        check('info', await api(h.url, 'GET', '/info', t), 200);
        check('capacity', await api(h.url, 'GET', '/capacity', t), 200);
        check('create c', await api(h.url, 'POST', '/workspaces?wait=0', t, body('c')), 201);
        check('remove c', await api(h.url, 'DELETE', `${ws('c')}?deleteData=1`, t), 204);
        check('remove b', await api(h.url, 'DELETE', ws('b'), t), 204);
        check('others\' refused', await api(h.url, 'GET', '/workspaces?user=hog', t), 403);
        check('me', await api(h.url, 'GET', `/users/${u}`, t), 200);
      }));
      done = true;
      await Promise.all([hog, adminWork]);
      expect(failures).toEqual([]);
      expect(hogRefused).toBeGreaterThan(0);
      const all = (await api(h.url, 'GET', '/workspaces?all=1', h.adminToken)).body as { user: string; name: string; state: string }[];
      expect(all.map((w) => `${w.user}/${w.name}/${w.state}`).sort()).toEqual(users.map((u) => `${u}/a/running`).sort());
      if (process.env.SOAK_REPORT) {
        adminTimes.sort((a, b) => a - b);
        const p = (q: number) => adminTimes[Math.floor(q * (adminTimes.length - 1))]!.toFixed(1);
        console.log(`admin during the soak: ${adminTimes.length} lists, median ${p(0.5)} ms, p99 ${p(0.99)} ms, max ${adminTimes.at(-1)!.toFixed(1)} ms; hog refused ${hogRefused} times`);
      }
    } finally {
      for (const r of held) r.destroy();
      await h.stop();
    }
  }, 120_000);
});

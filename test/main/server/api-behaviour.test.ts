import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startApiHub, until, type ApiHub } from '../../support/api-hub';
import { TEST_IMAGES } from '../../support/test-images';
import { damageStore, readStoredState } from '../../support/stored-state';

let h: ApiHub;
let alice = '';

beforeAll(async () => {
  h = await startApiHub('apib');
  await api(h.url, 'POST', '/images', h.adminToken, { name: 'busybox', ref: TEST_IMAGES.busybox });
  await api(h.url, 'POST', '/users', h.adminToken, { name: 'alice', selfService: true });
  alice = ((await api(h.url, 'POST', '/users/alice/tokens', h.adminToken, {})).body as { token: string }).token;
});
afterAll(() => h.stop());

const errorOf = (r: { body: unknown }) => (r.body as { error: { code: string; message: string; field?: string } }).error;

describe('bad requests get a clear 4xx and change nothing', () => {
  it.each([
    ['invalid JSON', '{"name": "x",', {}, 400, /^request body is not valid JSON/],
    ['a non-JSON media type', 'name=x', { 'content-type': 'text/plain' }, 415, /must be application\/json/],
    ['an unknown field', { name: 'x', colour: 'red' }, {}, 400, /^colour: unknown field$/],
    ['a wrong type', { name: 42 }, {}, 400, /^name: must be a name$/],
    ['a bad size', { name: 'x', memory: '12x' }, {}, 400, /^memory: "12x" is not a size \(use 512m, 2g, …\)$/],
    ['a missing name', { image: TEST_IMAGES.busybox }, {}, 400, /^name: is required$/],
    ['an array body', [1, 2], {}, 400, /^request: must be a JSON object$/],
  ])('POST /workspaces with %s', async (_what, body, headers, status, message) => {
    const r = await api(h.url, 'POST', '/workspaces', alice, body, headers as Record<string, string>);
    expect(r.status).toBe(status);
    expect(errorOf(r).message).toMatch(message);
    expect((await api(h.url, 'GET', '/workspaces', alice)).body).toEqual([]);
  });

  it('names the field of a bad user body and refuses unknown fields there too', async () => {
    const r = await api(h.url, 'POST', '/users', h.adminToken, { name: 'carol', admin: 'yes' });
    expect(r.status).toBe(400);
    expect(errorOf(r)).toEqual({ code: 'invalid', message: 'admin: must be true or false', field: 'admin' });
    expect(errorOf(await api(h.url, 'POST', '/users', h.adminToken, { name: 'carol', isAdmin: true })).message).toBe('isAdmin: unknown field');
    expect(errorOf(await api(h.url, 'PATCH', '/settings', h.adminToken, { expiryAction: 'explode' })).message).toBe('expiryAction: must be "stop" or "remove"');
    expect(errorOf(await api(h.url, 'POST', '/users/alice/keys', alice, { key: 'ssh-ed25519 bm90IGEga2V5' })).message).toBe('key: the key data is not a ssh-ed25519 key');
    expect((await api(h.url, 'GET', '/users/carol', h.adminToken)).status).toBe(404);
  });

  it('refuses oversized bodies with 413 and bodies on routes that take none', async () => {
    const big = { name: 'x', env: { BIG: 'y'.repeat(70 * 1024) } };
    const r = await api(h.url, 'POST', '/workspaces', alice, big);
    expect(r.status).toBe(413);
    expect(errorOf(r).message).toBe('request body is larger than 64 KiB');
    expect(errorOf(await api(h.url, 'POST', '/workspaces/alice/x/start', alice, { force: true })).message).toBe('this request takes no body');
  });

  it('answers unknown paths 404 and wrong methods 405, as JSON', async () => {
    expect((await api(h.url, 'GET', '/nope', alice)).status).toBe(404);
    const r = await api(h.url, 'PUT', '/users', h.adminToken);
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET, POST');
    expect(errorOf(await api(h.url, 'GET', '/workspaces/alice/ghost', alice))).toEqual({ code: 'not_found', message: 'workspace "ghost" of alice does not exist' });
  });
});

describe('robustness', () => {
  it('answers absurd numbers and malformed paths with 400, never 500', async () => {
    await api(h.url, 'POST', '/workspaces?wait=0', alice, { name: 'r1', image: TEST_IMAGES.busybox, volume: false });
    const r = await api(h.url, 'POST', '/workspaces/alice/r1/extend', alice, { days: 1e300 });
    expect(r.status).toBe(400);
    expect(errorOf(r).message).toBe('days: must be at most 3650');
    const raw = await new Promise<string>((resolve) => {
      const sock = net.connect(Number(new URL(h.url).port), '127.0.0.1', () => sock.end('GET //[ HTTP/1.1\r\nHost: x\r\n\r\n'));
      let text = '';
      sock.on('data', (d: Buffer) => (text += d.toString()));
      sock.on('close', () => resolve(text));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(raw).toContain('malformed request path');
  });

  it('starts a followed log stream at once and does not hold up shutdown', async () => {
    const g = await startApiHub('logs');
    await api(g.url, 'POST', '/images', g.adminToken, { name: 'busybox', ref: TEST_IMAGES.busybox });
    await api(g.url, 'POST', '/workspaces?wait=1', g.adminToken, { name: 'quiet', image: TEST_IMAGES.busybox, volume: false });
    const status = await new Promise<number>((resolve) => {
      http.get(`${g.url}/api/v1/workspaces/admin/quiet/logs?follow=1&tail=0`, { headers: { authorization: `Bearer ${g.adminToken}` } }, (res) => resolve(res.statusCode ?? 0)).on('error', () => undefined);
    });
    expect(status).toBe(200); // headers came before any log line did
    const missing = await api(g.url, 'GET', '/workspaces/admin/ghost/logs?follow=1', g.adminToken);
    expect(missing.status).toBe(404);
    const t0 = Date.now();
    await g.stop(); // with the follow still open
    expect(Date.now() - t0).toBeLessThan(8000);
  });
});

describe('a store damaged while the hub runs', () => {
  it('answers 503 without paths, to anyone, and keeps one copy of the damage', async () => {
    const g = await startApiHub('dmg');
    const logged: string[] = [];
    try {
      damageStore(g.dataDir, '{"name": 1}');
      for (let i = 0; i < 20; i++) {
        const r = await api(g.url, 'GET', '/info', i % 2 ? g.adminToken : `hdk_0000000000_${'x'.repeat(43)}`);
        expect(r.status).toBe(503);
        expect(errorOf(r).message).toBe("the hub's data is damaged; its operator must fix or restore it (see the hub log)");
        expect(r.text).not.toContain(g.dataDir);
      }
      expect((await import('node:fs')).readdirSync(g.dataDir).filter((f) => f.startsWith('hub.db.corrupt-'))).toHaveLength(1);
    } finally {
      await g.stop().catch((e: Error) => logged.push(e.message));
    }
  });
});

describe('authentication failures', () => {
  it('are slowed down per address, then refused with 429 (on the throttle clock, not real time)', async () => {
    let now = 1_000_000;
    const waits: number[] = [];
    // The throttle's clock and sleep are injected: the penalties are recorded, not waited out.
    const g = await startApiHub('thr', { server: { now: () => now, sleep: async (ms) => { waits.push(ms); } } });
    try {
      const good = g.adminToken;
      for (let i = 0; i < 7; i++) {
        const r = await api(g.url, 'GET', '/info', `hdk_bad${i}`);
        expect(r.status).toBe(401);
        expect(r.headers.get('www-authenticate')).toBe('Bearer');
      }
      // four failures cost nothing extra; after that each waits twice as long (100 ms, 200 ms, …)
      expect(waits).toEqual([100, 200]);
      let last = 0;
      for (let i = 0; i < 30 && last !== 429; i++) last = (await api(g.url, 'GET', '/info', 'nope')).status;
      expect(last).toBe(429);
      expect(waits.every((w) => w <= 1000)).toBe(true);
      // a valid token is never blocked: guessing from an address must not lock out the people behind it
      expect((await api(g.url, 'GET', '/info', good)).status).toBe(200);
      // health needs no token and is never throttled
      expect((await fetch(`${g.url}/api/v1/health`)).status).toBe(200);
      now += 61_000; // a minute later the address may try again
      expect((await api(g.url, 'GET', '/info', 'nope')).status).toBe(401);
    } finally {
      await g.stop();
    }
  });
});

describe('authentication failures, continued', () => {
  it('are not wiped out by a success: four bad and one good, repeated, still earns the penalty', async () => {
    const waits: number[] = [];
    const g = await startApiHub('thr2', { server: { now: () => 1_000_000, sleep: async (ms) => { waits.push(ms); } } });
    try {
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 4; i++) expect((await api(g.url, 'GET', '/info', `hdk_bad${round}${i}`)).status).toBe(401);
        expect((await api(g.url, 'GET', '/info', g.adminToken)).status).toBe(200);
      }
      for (let i = 0; i < 3; i++) expect((await api(g.url, 'GET', '/info', `hdk_more${i}`)).status).toBe(401);
      expect(waits.length).toBeGreaterThan(0);
      expect((await api(g.url, 'GET', '/info', 'nope')).status).toBe(429);
    } finally {
      await g.stop();
    }
  });

  it('count per client behind a trusted proxy (X-Forwarded-For), and per proxy otherwise', async () => {
    const g = await startApiHub('thr3', { server: { now: () => 1_000_000, sleep: async () => undefined, trustedProxies: ['127.0.0.1'] } });
    try {
      const bad = (client: string) => api(g.url, 'GET', '/info', 'nope', undefined, { 'x-forwarded-for': `203.0.113.9, ${client}` });
      let last = 0;
      for (let i = 0; i < 30 && last !== 429; i++) last = (await bad('198.51.100.1')).status;
      expect(last).toBe(429);
      // another client behind the same proxy is not blocked; a forged leftmost hop changes nothing
      expect((await bad('198.51.100.2')).status).toBe(401);
    } finally {
      await g.stop();
    }
  });
});

describe('event stream', () => {
  it("delivers a user's own events and none of anyone else's", async () => {
    // A fresh hub: the throttle above blocked this address on the shared one.
    const g = await startApiHub('sse');
    try {
      await api(g.url, 'POST', '/images', g.adminToken, { name: 'busybox', ref: TEST_IMAGES.busybox });
      const tok: Record<string, string> = {};
      for (const u of ['amy', 'ben']) {
        await api(g.url, 'POST', '/users', g.adminToken, { name: u, selfService: true });
        tok[u] = ((await api(g.url, 'POST', `/users/${u}/tokens`, g.adminToken, {})).body as { token: string }).token;
      }
      const seen: Record<string, { event: string; data: { user: string; name?: string } }[]> = { amy: [], ben: [] };
      const streams = await Promise.all(['amy', 'ben'].map((u) => openSse(`${g.url}/api/v1/events`, tok[u]!, (e) => seen[u]!.push(e))));
      const mk = (u: string, name: string) => api(g.url, 'POST', '/workspaces?wait=0', tok[u]!, { name, image: TEST_IMAGES.busybox, volume: false });
      expect((await mk('amy', 'a1')).status).toBe(201);
      expect((await mk('ben', 'b1')).status).toBe(201);
      await api(g.url, 'POST', '/workspaces/amy/a1/stop', tok.amy!);
      // Wait for the events themselves, not for a fixed time.
      await until(() => seen.amy!.some((e) => e.event === 'workspace.state' && (e.data as { state?: string }).state === 'stopped'), 5000, "amy's stop event");
      await until(() => seen.ben!.some((e) => e.data.name === 'b1'), 5000, "ben's create event");
      for (const s of streams) s.destroy();
      expect(seen.amy!.map((e) => `${e.event} ${e.data.name}`)).toEqual(expect.arrayContaining(['workspace.state a1', 'workspace.progress a1']));
      expect(seen.amy!.filter((e) => e.event === 'workspace.state').map((e) => (e.data as { state?: string }).state)).toEqual(['running', 'stopped']);
      expect(seen.amy!.every((e) => e.data.user === 'amy')).toBe(true);
      expect(seen.ben!.every((e) => e.data.user === 'ben')).toBe(true);
      expect(seen.ben!.some((e) => e.data.name === 'b1')).toBe(true);
      expect((await api(g.url, 'GET', '/events', null)).status).toBe(401);
    } finally {
      await g.stop();
    }
  });
});

describe('concurrency', () => {
  it('20 clients × 10 mixed operations: no errors and a consistent final state', async () => {
    const g = await startApiHub('conc');
    try {
      await api(g.url, 'POST', '/images', g.adminToken, { name: 'busybox', ref: TEST_IMAGES.busybox });
      const users = Array.from({ length: 20 }, (_, i) => `c${i}`);
      const tok: Record<string, string> = {};
      await Promise.all(users.map(async (u) => {
        const c = await api(g.url, 'POST', '/users', g.adminToken, { name: u, selfService: true, quota: { maxWorkspaces: 5 } });
        expect(c.status).toBe(201);
        tok[u] = ((await api(g.url, 'POST', `/users/${u}/tokens`, g.adminToken, { note: 'load' })).body as { token: string }).token;
      }));
      const failures: string[] = [];
      const check = (what: string, r: { status: number; text: string }, ok: number) => { if (r.status !== ok) failures.push(`${what}: ${r.status} ${r.text.slice(0, 200)}`); };
      await Promise.all(users.map(async (u) => {
        const t = tok[u]!;
        const body = (name: string) => ({ name, image: TEST_IMAGES.busybox, volume: false, cpus: 0.05, days: 3 });
        check(`${u} create w1`, await api(g.url, 'POST', '/workspaces?wait=0', t, body('w1')), 201);
        check(`${u} create w2`, await api(g.url, 'POST', '/workspaces?wait=0', t, body('w2')), 201);
        check(`${u} list`, await api(g.url, 'GET', '/workspaces', t), 200);
        check(`${u} get`, await api(g.url, 'GET', `/workspaces/${u}/w1`, t), 200);
        check(`${u} stop`, await api(g.url, 'POST', `/workspaces/${u}/w1/stop`, t), 200);
        check(`${u} extend`, await api(g.url, 'POST', `/workspaces/${u}/w2/extend`, t, { days: 2 }), 200);
        check(`${u} key`, await api(g.url, 'POST', `/users/${u}/tokens`, t, { note: 'second' }), 201);
        check(`${u} start`, await api(g.url, 'POST', `/workspaces/${u}/w1/start`, t), 200);
        check(`${u} remove`, await api(g.url, 'DELETE', `/workspaces/${u}/w2`, t), 204);
        check(`${u} info`, await api(g.url, 'GET', '/info', t), 200);
      }));
      expect(failures).toEqual([]);
      const all = (await api(g.url, 'GET', '/workspaces?all=1', g.adminToken)).body as { user: string; name: string; state: string }[];
      expect(all.map((w) => `${w.user}/${w.name}/${w.state}`).sort()).toEqual(users.map((u) => `${u}/w1/running`).sort());
      const state = readStoredState(g.dataDir);
      expect(state.users).toHaveLength(21);
      expect(state.tokens).toHaveLength(1 + 20 * 2); // admin's + two per user: no write lost
      expect(state.expiry).toEqual([]); // extensions live on the engine, not in the store
    } finally {
      await g.stop();
    }
  }, 240_000);
});

function openSse(url: string, token: string, onEvent: (e: { event: string; data: { user: string; name?: string } }) => void): Promise<http.ClientRequest> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`SSE ${res.statusCode}`));
      let buf = '';
      res.on('data', (d: Buffer) => {
        buf += d.toString();
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = /^data: (.*)$/m.exec(block)?.[1];
          // The event's type travels in its data (no `event:` field, for browsers' EventSource).
          if (data) onEvent({ event: (JSON.parse(data) as { type: string }).type, data: JSON.parse(data) });
        }
      });
      resolve(req);
    });
    req.on('error', () => undefined);
  });
}

/**
 * Open streams keep the right to them only while their token does: revoking the token, blocking or
 * demoting the user ends the stream or narrows it at once (hardening issue, defect 1).
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startApiHub, until, type ApiHub } from '../../support/api-hub';

let h: ApiHub;
const tok: Record<string, { id: string; token: string }> = {};

beforeAll(async () => {
  h = await startApiHub('rights');
  await api(h.url, 'PATCH', '/settings', h.adminToken, { allowCustomImages: true });
  for (const [name, admin] of [['alice', false], ['bob', true]] as const) {
    await api(h.url, 'POST', '/users', h.adminToken, { name, selfService: true, admin });
    tok[name] = (await api(h.url, 'POST', `/users/${name}/tokens`, h.adminToken, { scope: admin ? 'admin' : 'user' })).body as { id: string; token: string };
  }
});
afterAll(() => h.stop());

interface Open { events: { type: string; user: string }[]; text: string; ended: boolean; req: http.ClientRequest }

function openStream(path: string, token: string): Promise<Open> {
  return new Promise((resolve, reject) => {
    const o: Open = { events: [], text: '', ended: false, req: undefined as unknown as http.ClientRequest };
    o.req = http.get(`${h.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`status ${res.statusCode}`));
      res.on('data', (d: Buffer) => {
        o.text += d.toString();
        for (const m of o.text.matchAll(/^data: (.*)$/gm)) if (!o.events.some((e) => JSON.stringify(e) === m[1])) o.events.push(JSON.parse(m[1]!));
      });
      const end = () => { o.ended = true; };
      res.on('end', end);
      res.on('close', end);
      res.on('error', end);
      resolve(o);
    });
    o.req.on('error', () => { o.ended = true; });
  });
}

describe('streams outlive no right', () => {
  it('ends an event stream when its token is revoked', async () => {
    const t = (await api(h.url, 'POST', '/users/alice/tokens', h.adminToken, {})).body as { id: string; token: string };
    const s = await openStream('/events', t.token);
    expect((await api(h.url, 'DELETE', `/users/alice/tokens/${t.id}`, h.adminToken)).status).toBe(204);
    await until(() => s.ended, 5000, 'the stream to end');
  });

  it('ends a followed log when its user is blocked', async () => {
    await api(h.url, 'POST', '/workspaces?wait=1', tok.alice!.token, { name: 'logs', image: 'img:1' });
    const s = await openStream('/workspaces/alice/logs/logs?follow=1', tok.alice!.token);
    await api(h.url, 'PATCH', '/users/alice', h.adminToken, { blocked: true });
    await until(() => s.ended, 5000, 'the log stream to end');
    await api(h.url, 'PATCH', '/users/alice', h.adminToken, { blocked: false });
  });

  it("stops showing a demoted admin other users' events at once", async () => {
    const s = await openStream('/events', tok.bob!.token);
    await api(h.url, 'POST', '/workspaces?wait=0', tok.alice!.token, { name: 'seen', image: 'img:1' });
    await until(() => s.events.some((e) => e.user === 'alice'), 5000, "bob to see alice's event while admin");
    await api(h.url, 'PATCH', '/users/bob', h.adminToken, { admin: false });
    const before = s.events.length;
    await api(h.url, 'POST', '/workspaces?wait=0', tok.alice!.token, { name: 'unseen', image: 'img:1' });
    await api(h.url, 'POST', '/workspaces?wait=0', tok.bob!.token, { name: 'own', image: 'img:1' });
    // bob's own create arrives after alice's: once it is here, alice's would have been too
    await until(() => s.events.some((e) => e.user === 'bob' && e.type === 'workspace.state'), 5000, "bob's own event");
    expect(s.events.slice(before).filter((e) => e.user === 'alice')).toEqual([]);
    expect(s.ended).toBe(false); // still his own stream
    s.req.destroy();
  });

  it('ends a followed log of another user\'s workspace when an admin is demoted', async () => {
    await api(h.url, 'PATCH', '/users/bob', h.adminToken, { admin: true });
    const s = await openStream('/workspaces/alice/logs/logs?follow=1', tok.bob!.token);
    await api(h.url, 'PATCH', '/users/bob', h.adminToken, { admin: false });
    await until(() => s.ended, 5000, 'the log stream to end');
  });

  it("ends an admin's stats stream of every workspace when the admin is demoted", async () => {
    await api(h.url, 'PATCH', '/users/bob', h.adminToken, { admin: true });
    const s = await openStream('/stats/watch?all=1&intervalMs=1000', tok.bob!.token);
    await until(() => /"user":"alice"/.test(s.text), 5000, "bob to see alice's stats while admin");
    await api(h.url, 'PATCH', '/users/bob', h.adminToken, { admin: false });
    await until(() => s.ended, 5000, 'the stats stream to end');
  });
});

describe('stream limits', () => {
  it('refuse streams past the per-user and total limits with 429, while others are still served', async () => {
    const g = await startApiHub('lim', { server: { streamLimits: { perUser: 3, total: 5 } } });
    const held: http.ClientRequest[] = [];
    try {
      const t: Record<string, string> = {};
      // The first /info makes the hub's SSH host keys (RSA 3072 among them): done before the clock
      // below, which times the answer under held streams, not a key generation.
      expect((await api(g.url, 'GET', '/info', g.adminToken)).status).toBe(200);
      for (const u of ['amy', 'ben']) {
        await api(g.url, 'POST', '/users', g.adminToken, { name: u, selfService: true });
        t[u] = ((await api(g.url, 'POST', `/users/${u}/tokens`, g.adminToken, {})).body as { token: string }).token;
      }
      const open = async (token: string) => {
        const res = await new Promise<http.IncomingMessage>((resolve) => { held.push(http.get(`${g.url}/api/v1/events`, { headers: { authorization: `Bearer ${token}` } }, resolve)); });
        return res.statusCode;
      };
      for (let i = 0; i < 3; i++) expect(await open(t.amy!)).toBe(200);
      const over = await api(g.url, 'GET', '/events', t.amy!);
      expect(over.status).toBe(429);
      expect((over.body as { error: { message: string } }).error.message).toBe('amy has 3 open streams, the limit per user; close some first');
      // the limit covers followed logs too
      expect((await api(g.url, 'GET', '/workspaces/amy/x/logs?follow=1', t.amy!)).status).toBe(429);
      // ben is not held up by amy, up to the hub's total
      expect(await open(t.ben!)).toBe(200);
      expect(await open(t.ben!)).toBe(200);
      expect((await api(g.url, 'GET', '/events', t.ben!)).body).toMatchObject({ error: { code: 'throttled', message: 'the hub has 5 open streams, its limit; try again later' } });
      // and the hub keeps answering an admin at once
      const t0 = performance.now();
      expect((await api(g.url, 'GET', '/info', g.adminToken)).status).toBe(200);
      expect(performance.now() - t0).toBeLessThan(1000);
      // closing a stream frees its slot
      held.shift()!.destroy();
      await until(async () => (await open(t.amy!)) === 200, 5000, 'a freed slot');
    } finally {
      for (const r of held) r.destroy();
      await g.stop();
    }
  });
});

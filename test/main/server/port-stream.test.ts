/**
 * The port stream (`/api/v1/workspaces/<user>/<name>/ports/<port>/stream`) on a real hub server
 * over the in-memory engine, reached with the client's remoteDialer as tunnels reach it: each
 * refusal comes back as the API's error before any upgrade (401, 403, 404, 409, 400), a granted
 * stream carries HTTP both ways, and one user's open streams are bounded and counted back down.
 */
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { remoteDialer } from '../../../main/client/port-dialer';
import { PortStreams } from '../../../main/server/port-stream';
import { api, startApiHub, until, type ApiHub } from '../../support/api-hub';

let h: ApiHub;
const tok: Record<string, string> = {};
let webPort = 0;

beforeAll(async () => {
  h = await startApiHub('pstream');
  await api(h.url, 'PATCH', '/settings', h.adminToken, { allowCustomImages: true });
  for (const name of ['alice', 'bob']) {
    await api(h.url, 'POST', '/users', h.adminToken, { name, selfService: true });
    tok[name] = ((await api(h.url, 'POST', `/users/${name}/tokens`, h.adminToken, {})).body as { token: string }).token;
  }
  const nb = await api(h.url, 'POST', '/workspaces?wait=1', tok.alice!, { name: 'nb', image: 'img:1' });
  expect(nb.status).toBe(201);
  webPort = (nb.body as { spec: { webPort: number } }).spec.webPort;
  expect((await api(h.url, 'POST', '/workspaces?wait=1', tok.alice!, { name: 'off', image: 'img:1' })).status).toBe(201);
  expect((await api(h.url, 'POST', '/workspaces/alice/off/stop', tok.alice!)).status).toBe(200);
});
afterAll(() => h.stop());

/** One HTTP/1.1 GET written on a raw stream, read until the server ends its side; then ours ends. */
function getOver(stream: Duplex, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.on('data', (d: Buffer) => (text += d.toString()));
    stream.once('end', () => {
      stream.end();
      resolve(text);
    });
    stream.once('error', reject);
    stream.write(`GET ${path} HTTP/1.1\r\nhost: ws\r\nconnection: close\r\n\r\n`);
  });
}

function status(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => reject(new Error('opened')));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('error', () => undefined);
  });
}

describe('port streams', () => {
  it('carries a request to the workspace port and its answer back', async () => {
    const dialer = remoteDialer({ url: h.url, token: tok.alice! });
    const stream = await dialer.dial({ user: 'alice', name: 'nb' }, webPort);
    const answer = await getOver(stream, '/user/alice/nb/');
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer).toContain('hubdeck fake workspace alice/nb');
    dialer.close();
  });

  it('refuses with the API error before any upgrade: another user, a missing or stopped workspace', async () => {
    const asBob = remoteDialer({ url: h.url, token: tok.bob! });
    await expect(asBob.dial({ user: 'alice', name: 'nb' }, webPort)).rejects.toMatchObject({ code: 'forbidden', message: 'bob may not open the workspaces of alice' });
    const asAlice = remoteDialer({ url: h.url, token: tok.alice! });
    await expect(asAlice.dial({ user: 'alice', name: 'nope' }, webPort)).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/workspace "nope" of alice does not exist/) });
    await expect(asAlice.dial({ user: 'alice', name: 'off' }, webPort)).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/"off" of alice is stopped; start it \(hubdeck workspace start off\) and connect again/) });
    await expect(remoteDialer({ url: h.url, token: 'hd_wrong' }).dial({ user: 'alice', name: 'nb' }, webPort)).rejects.toMatchObject({ code: 'unauthorized' });
    asBob.close();
    asAlice.close();
  });

  it('answers 401 without credentials and 400 for a port that is not one', async () => {
    const base = `${h.url.replace('http', 'ws')}/api/v1/workspaces/alice/nb/ports`;
    const anonymous = await status(`${base}/${webPort}/stream`);
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body)).toEqual({ error: { code: 'unauthorized', message: expect.stringMatching(/authentication required/) } });
    for (const bad of ['0', '65536', 'http', '-1', '1e3']) {
      const r = await status(`${base}/${bad}/stream`, { authorization: `Bearer ${tok.alice!}` });
      expect(r.status, bad).toBe(400);
      expect(JSON.parse(r.body).error).toMatchObject({ code: 'invalid', field: 'port', message: expect.stringMatching(/is not a port \(1-65535\)/) });
    }
    const badName = await status(`${h.url.replace('http', 'ws')}/api/v1/workspaces/alice/..%2Fx/ports/80/stream`, { authorization: `Bearer ${tok.alice!}` });
    expect(badName.status).toBe(400);
  });

  it("bounds one user's open streams (429) and counts them back down when they close", async () => {
    const streams = new PortStreams(h.hub, (req) => (req.headers.authorization ? h.hub.tokens.authenticate(req.headers.authorization.slice(7)) : null), 2);
    const server = http.createServer((_req, res) => res.end());
    server.on('upgrade', (req, socket: Duplex, head: Buffer) => void streams.upgrade(req, socket, head));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    const ref = { user: 'alice', name: 'nb' };
    const alice = remoteDialer({ url, token: tok.alice! });
    const held = [await alice.dial(ref, webPort), await alice.dial(ref, webPort)];
    expect(streams.size).toBe(2);
    await expect(alice.dial(ref, webPort)).rejects.toMatchObject({ message: expect.stringMatching(/alice has 2 port streams open, the limit per user/) });
    // Another user's streams are theirs to count: bob is refused for the workspace, not the limit.
    await expect(remoteDialer({ url, token: tok.bob! }).dial(ref, webPort)).rejects.toMatchObject({ code: 'forbidden' });
    held[0]!.destroy();
    await until(() => streams.size === 1, 5000, 'a closed stream to be uncounted');
    const again = await alice.dial(ref, webPort);
    expect(await getOver(again, '/user/alice/nb/')).toMatch(/^HTTP\/1\.1 200/);
    held[1]!.destroy();
    await until(() => streams.size === 0 && h.hub.access.holds.size === 0, 5000, 'every stream and hold to be let go');
    alice.close();
    streams.close();
    await new Promise((r) => server.close(r));
  });

  it('ends a stream whose client stopped answering pings (gone without a FIN), and keeps one that answers', async () => {
    const streams = new PortStreams(h.hub, (req) => (req.headers.authorization ? h.hub.tokens.authenticate(req.headers.authorization.slice(7)) : null), 256, 50);
    const server = http.createServer((_req, res) => res.end());
    server.on('upgrade', (req, socket: Duplex, head: Buffer) => void streams.upgrade(req, socket, head));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `ws://127.0.0.1:${(server.address() as net.AddressInfo).port}/api/v1/workspaces/alice/nb/ports/${webPort}/stream`;
    const open = (autoPong: boolean) => new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url, { headers: { authorization: `Bearer ${tok.alice!}` }, autoPong });
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
    const silent = await open(false);
    const lively = await open(true);
    expect(streams.size).toBe(2);
    await new Promise<void>((resolve) => silent.once('close', () => resolve()));
    await until(() => streams.size === 1, 2000, 'the silent stream to be uncounted');
    await new Promise((r) => setTimeout(r, 200));
    expect(lively.readyState).toBe(WebSocket.OPEN);
    lively.close();
    await until(() => streams.size === 0, 2000, 'the lively one to close');
    streams.close();
    await new Promise((r) => server.close(r));
  });
});

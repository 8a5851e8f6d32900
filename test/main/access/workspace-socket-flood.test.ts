/**
 * WebSocket floods through the workspace proxy, against a real hub server (in-memory engine, its
 * workspaces' echo socket): one user's 64-connection cap holds, and gives places back whether the
 * client closes properly, drops the TCP connection without a close frame, or leaves before the
 * proxy has even reached the workspace; a client that never reads does not make the hub buffer.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { api, startApiHub, until, type ApiHub } from '../../support/api-hub';
import { addressOf, wsSocket } from '../../support/workspace-fetch';
import type { FakeEngine } from '../../../main/engine/fake/fake-engine';
import { MAX_HOLDS_PER_USER } from '../../../main/hub/access-holds';

let h: ApiHub;
let alice: string;

beforeAll(async () => {
  h = await startApiHub('ws-flood');
  await api(h.url, 'PATCH', '/settings', h.adminToken, { allowCustomImages: true });
  await api(h.url, 'POST', '/users', h.adminToken, { name: 'alice', selfService: true });
  alice = ((await api(h.url, 'POST', '/users/alice/tokens', h.adminToken, {})).body as { token: string }).token;
  expect((await api(h.url, 'POST', '/workspaces?wait=1', alice, { name: 'nb', image: 'img:1' })).status).toBe(201);
});
afterAll(() => h.stop());

const socketUrl = (name = 'nb', kernel = 'k') => addressOf(h.hub.web, 'alice', name, `api/kernels/${kernel}/channels`).replace('http', 'ws');

/** Opens a workspace WebSocket; resolves to it, or to the status of the refusal. */
function open(name = 'nb'): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = wsSocket(socketUrl(name), { authorization: `Bearer ${alice}` });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
}

async function openMany(n: number): Promise<{ open: WebSocket[]; refused: number[] }> {
  const all = await Promise.all(Array.from({ length: n }, () => open()));
  return { open: all.filter((x): x is WebSocket => typeof x !== 'number'), refused: all.filter((x): x is number => typeof x === 'number') };
}

const closed = (ws: WebSocket) => new Promise<void>((resolve) => (ws.readyState === WebSocket.CLOSED ? resolve() : ws.once('close', () => resolve())));

describe('WebSocket floods through the workspace proxy', () => {
  it('holds the per-user cap of 64, and gives places back on close, on a dropped connection, and on a reset', async () => {
    const first = await openMany(MAX_HOLDS_PER_USER + 16);
    expect(first.open.length).toBe(MAX_HOLDS_PER_USER);
    expect(first.refused).toEqual(Array(16).fill(403));
    expect(h.hub.access.holds.size).toBe(MAX_HOLDS_PER_USER);
    // 8 close properly, 8 drop TCP without a close frame, 8 are reset (RST)
    const gone = first.open.splice(0, 24);
    gone.slice(0, 8).forEach((ws) => ws.close());
    gone.slice(8, 16).forEach((ws) => ws.terminate());
    gone.slice(16).forEach((ws) => (ws as unknown as { _socket: net.Socket })._socket.resetAndDestroy());
    await Promise.all(gone.map(closed));
    await until(() => h.hub.access.holds.size === MAX_HOLDS_PER_USER - 24, 5000, 'places given back');
    const second = await openMany(30);
    expect(second.open.length).toBe(24);
    expect(second.refused.length).toBe(6);
    const rest = [...first.open, ...second.open];
    rest.forEach((ws) => ws.terminate());
    await Promise.all(rest.map(closed));
    await until(() => h.hub.access.holds.size === 0, 5000, 'every place given back');
  }, 30_000);

  /** An upgrade request for `url`, reset (RST) by the client 100 ms in, while the hub still asks the engine. */
  async function resetMidUpgrade(url: URL): Promise<void> {
    const s = net.connect(Number(url.port), '127.0.0.1');
    await new Promise((r) => s.once('connect', r));
    s.write(`GET ${url.pathname} HTTP/1.1\r\nhost: ${url.host}\r\nauthorization: Bearer ${alice}\r\nconnection: upgrade\r\nupgrade: websocket\r\nsec-websocket-version: 13\r\nsec-websocket-key: ${Buffer.alloc(16, 1).toString('base64')}\r\n\r\n`);
    await new Promise((r) => setTimeout(r, 100));
    s.resetAndDestroy();
  }

  it('a client that resets its socket while the hub reaches the workspace: no crash, no hold, no place left behind', async () => {
    const engine = h.engine as FakeEngine;
    // The hub's side of each upgrade, to see that it has an 'error' handler before any engine call:
    // without one, the reset is an unhandled 'error' event, which ends a hub process.
    const serverSockets: net.Socket[] = [];
    const watch = (_req: unknown, socket: net.Socket) => void serverSockets.push(socket);
    h.server.server.prependListener('upgrade', watch);
    engine.faults.delays.webToken = 300;
    engine.faults.delays.get = 300;
    try {
      for (const name of ['slow1', 'slow2']) {
        expect((await api(h.url, 'POST', '/workspaces?wait=1', alice, { name, image: 'img:1' })).status).toBe(201);
        await resetMidUpgrade(new URL(socketUrl(name)));
      }
      await resetMidUpgrade(new URL(`${h.url}/api/v1/workspaces/alice/nb/ports/8888/stream`));
      await resetMidUpgrade(new URL(`${h.url}/api/v1/workspaces/alice/nb/terminal`));
      await new Promise((r) => setTimeout(r, 800));
      expect(serverSockets.length).toBe(4);
      for (const s of serverSockets) expect(s.destroyed).toBe(true);
      expect(h.hub.access.holds.size).toBe(0);
    } finally {
      h.server.server.removeListener('upgrade', watch);
      engine.faults.delays.webToken = 0;
      engine.faults.delays.get = 0;
    }
    expect((await api(h.url, 'GET', '/health', null)).status).toBe(200);
    // and every place is still there to take
    const all = await openMany(MAX_HOLDS_PER_USER);
    expect(all.open.length).toBe(MAX_HOLDS_PER_USER);
    all.open.forEach((ws) => ws.terminate());
    await Promise.all(all.open.map(closed));
    await until(() => h.hub.access.holds.size === 0, 5000, 'every place given back');
  }, 30_000);
});

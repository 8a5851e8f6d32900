/**
 * Denial of service by slow anonymous clients (issue 17, defect 2), against a real hub server with
 * test-shortened limits: slow sign-in bodies must not starve an admin, bodies and heads have
 * deadlines, one address holds a bounded number of unauthenticated connections, and authenticated
 * long-lived streams are exempt from all of it.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startApiHub, until, type ApiHub } from '../../support/api-hub';
import { openSlowClients, timeRequests, type SlowClients } from '../../bench/abuse/http-abuse';
import { selfSignedTls } from '../../../main/server/tls-cert';

let h: ApiHub | undefined;
let slow: SlowClients | undefined;
afterEach(async () => {
  await slow?.close();
  await h?.stop();
  slow = h = undefined;
});

/** Limits that leave everything but the thing under test far away. */
const RELAXED = { perAddress: 10_000, headersMs: 30_000, bodyMs: 30_000, minBodyBytesPerSecond: 0, anonymousRequestMs: 30_000 };

interface Raw {
  sock: net.Socket;
  text: () => string;
  /** Milliseconds from connecting until the hub closed the socket. */
  closed: Promise<number>;
}

/** A raw connection that sends `head` and then one byte of body every `dribbleMs` (never stops by itself). */
function raw(url: string, head: string | null, dribbleMs = 0, localAddress?: string): Raw {
  const sock = net.connect({ port: Number(new URL(url).port), host: '127.0.0.1', localAddress });
  let text = '';
  let drip: NodeJS.Timeout | undefined;
  const start = Date.now();
  sock.on('connect', () => {
    if (head !== null) sock.write(head);
    if (dribbleMs) drip = setInterval(() => sock.write('a'), dribbleMs);
  });
  sock.on('data', (d: Buffer) => (text += d.toString()));
  sock.on('error', () => undefined);
  const closed = new Promise<number>((r) => sock.on('close', () => {
    clearInterval(drip);
    r(Date.now() - start);
  }));
  return { sock, text: () => text, closed };
}

/** How long until `r` was closed, or null if it was still open after `ms` (then it is closed here). */
async function closedWithin(r: Raw, ms: number): Promise<number | null> {
  const t = await Promise.race([r.closed, new Promise<null>((res) => setTimeout(() => res(null), ms))]);
  if (t === null) r.sock.destroy();
  return t;
}

const postHead = (path: string, type: string, extra = '') =>
  `POST ${path} HTTP/1.1\r\nHost: hub\r\ncontent-type: ${type}\r\ncontent-length: 8000\r\n${extra}\r\n`;

describe('slow anonymous clients do not take the hub down', () => {
  it('an admin still gets answers while more slow sign-in clients than the hub has connections hold on', async () => {
    // Spread over 20 addresses (3 each): the per-address cap does not help, the global one must.
    h = await startApiHub('dos', { server: { maxConnections: 40, limits: { ...RELAXED, perAddress: 64, reservedForAuthenticated: 10 } } });
    slow = await openSlowClients(h.url, 60, { byteEveryMs: 1000, durationMs: 20_000, sourceAddresses: 20 });
    await until(() => slow!.open() >= 30, 5000, 'the slow clients to hold connections');
    const times = await timeRequests(h.url, h.adminToken, 10, 3000);
    expect(times).toHaveLength(10);
    // The anonymous share (40 - 10) is all they get; the rest stays for authenticated clients.
    expect(slow.open()).toBeLessThanOrEqual(30);
  });

  it('holds one slow address to its cap (64 by default) while the admin at another gets answers', async () => {
    h = await startApiHub('dosone', { server: { maxConnections: 100, limits: { ...RELAXED, perAddress: 64, reservedForAuthenticated: 10 } } });
    slow = await openSlowClients(h.url, 150, { byteEveryMs: 1000, durationMs: 20_000 });
    await until(() => slow!.open() >= 60, 5000, 'the slow clients to hold connections');
    expect(await timeRequests(h.url, h.adminToken, 10, 3000)).toHaveLength(10);
    expect(slow.open()).toBeLessThanOrEqual(64);
  });

  it('closes new unauthenticated connections from an address past its cap at once, not other addresses', async () => {
    h = await startApiHub('dosaddr', { server: { limits: { ...RELAXED, perAddress: 8 } } });
    const first = Array.from({ length: 8 }, () => raw(h!.url, null));
    await Promise.all(first.map((r) => new Promise((ok) => r.sock.once('connect', ok))));
    // Accepted by the hub, not only by the kernel, before the next ones come.
    const accepted = () => new Promise<number>((ok) => h!.server.server.getConnections((_e, n) => ok(n)));
    await until(async () => (await accepted()) === 8, 2000, 'the hub to accept 8 connections');
    const over = Array.from({ length: 4 }, () => raw(h!.url, null));
    for (const r of over) expect(await closedWithin(r, 2000)).not.toBeNull();
    // Another address is another client.
    const other = raw(h.url, 'GET /api/v1/health HTTP/1.1\r\nHost: hub\r\n\r\n', 0, '127.0.0.2');
    await until(() => other.text().startsWith('HTTP/1.1 200'), 2000, 'an answer to another address');
    other.sock.destroy();
    // A connection that authenticates leaves the unauthenticated count: room for one more.
    first[0]!.sock.write(`GET /api/v1/info HTTP/1.1\r\nHost: hub\r\nauthorization: Bearer ${h.adminToken}\r\n\r\n`);
    await until(() => first[0]!.text().startsWith('HTTP/1.1 200'), 2000, 'the authenticated answer');
    const again = raw(h.url, 'GET /api/v1/health HTTP/1.1\r\nHost: hub\r\n\r\n');
    await until(() => again.text().startsWith('HTTP/1.1 200'), 2000, 'a new connection after one authenticated');
    for (const r of [...first, again]) r.sock.destroy();
  });
});

describe('a full anonymous share', () => {
  it('makes room for a newcomer at the expense of the busiest address, and closes the flood\'s own new connections', async () => {
    h = await startApiHub('dosfair', { server: { maxConnections: 20, limits: { ...RELAXED, perAddress: 64, reservedForAuthenticated: 10 } } });
    const accepted = () => new Promise<number>((ok) => h!.server.server.getConnections((_e, n) => ok(n)));
    // The share (20 - 10) filled by two addresses
    const flood = [...Array.from({ length: 5 }, () => raw(h!.url, null, 0, '127.0.0.2')), ...Array.from({ length: 5 }, () => raw(h!.url, null, 0, '127.0.0.3'))];
    await until(async () => (await accepted()) === 10, 2000, 'the hub to accept the flood');
    // the flood's own next connection is closed at once, and pushes nobody out
    const more = raw(h.url, null, 0, '127.0.0.3');
    expect(await closedWithin(more, 2000)).not.toBeNull();
    expect(flood.filter((r) => r.sock.destroyed)).toHaveLength(0);
    // someone with nothing open gets in; the busiest address's oldest connection made the room
    const person = raw(h.url, 'GET /api/v1/health HTTP/1.1\r\nHost: hub\r\n\r\n', 0, '127.0.0.9');
    await until(() => person.text().startsWith('HTTP/1.1 200'), 2000, 'an answer to the newcomer');
    expect(await closedWithin(flood[0]!, 2000)).not.toBeNull();
    expect(flood.slice(5).every((r) => !r.sock.destroyed)).toBe(true);
    for (const r of [...flood, person]) r.sock.destroy();
  });
});

describe('behind a trusted proxy', () => {
  it('counts unauthenticated requests by the address the proxy forwards for', async () => {
    h = await startApiHub('dosproxy', { server: { trustedProxies: ['127.0.0.1'], limits: { ...RELAXED, perAddress: 2 } } });
    const form = (client: string) => raw(h!.url, postHead('/hub/login', 'application/x-www-form-urlencoded', `x-forwarded-for: ${client}\r\n`), 1000);
    const held = [form('203.0.113.5'), form('203.0.113.5')];
    await new Promise((r) => setTimeout(r, 300));
    const third = form('203.0.113.5');
    expect(await closedWithin(third, 2000)).not.toBeNull();
    expect(third.text()).toMatch(/^HTTP\/1\.1 429 /);
    const other = form('203.0.113.6');
    expect(await closedWithin(other, 500)).toBeNull();
    for (const r of held) r.sock.destroy();
  });
});

describe('under TLS', () => {
  it('closes a connection that never does its handshake, and keeps an authenticated event stream', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dos-tls-'));
    try {
      const id = await selfSignedTls(dir, ['127.0.0.1']);
      h = await startApiHub('dostls', { server: { tls: { cert: id.cert, key: id.key }, limits: { ...RELAXED, headersMs: 300, anonymousRequestMs: 500 } } });
      const silent = raw(h.url, null);
      expect(await closedWithin(silent, 3000)).not.toBeNull();
      let pings = 0;
      const sse = await new Promise<http.IncomingMessage>((resolve, reject) => {
        https.get(`${h!.url}/api/v1/events`, { ca: id.cert, headers: { authorization: `Bearer ${h!.adminToken}` } }, resolve).on('error', reject);
      });
      sse.on('data', (d: Buffer) => (pings += (d.toString().match(/: ping/g) ?? []).length));
      let ended = false;
      sse.on('close', () => (ended = true));
      await until(() => pings >= 2, 6000, 'two heartbeats over TLS');
      expect(ended).toBe(false);
      sse.destroy();
      expect(await timeRequests(h.url, h.adminToken, 3)).toHaveLength(3);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('deadlines for bodies and heads', () => {
  it.each([
    ['the sign-in form', '/hub/login', 'application/x-www-form-urlencoded', false],
    ['the public invite redemption', '/api/v1/invites/redeem', 'application/json', false],
    ['an authenticated JSON body', '/api/v1/users', 'application/json', true],
  ])('cuts off %s sent slowly with a 408 after the body deadline', async (_what, path, type, authed) => {
    h = await startApiHub('dosbody', { server: { limits: { ...RELAXED, bodyMs: 600 } } });
    const r = raw(h.url, postHead(path, type, authed ? `authorization: Bearer ${h.adminToken}\r\n` : ''), 100);
    const after = await closedWithin(r, 3000);
    expect(r.text()).toMatch(/^HTTP\/1\.1 408 /);
    expect(after).not.toBeNull();
    expect(after!).toBeGreaterThanOrEqual(550);
  });

  it('cuts off a body slower than the minimum rate long before the body deadline', async () => {
    h = await startApiHub('dosrate', { server: { limits: { ...RELAXED, bodyMs: 20_000, minBodyBytesPerSecond: 100 } } });
    const r = raw(h.url, postHead('/hub/login', 'application/x-www-form-urlencoded'), 200);
    expect(await closedWithin(r, 5000)).not.toBeNull();
    expect(r.text()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes silent connections after the head deadline and unread anonymous bodies after the request deadline', async () => {
    h = await startApiHub('doshead', { server: { limits: { ...RELAXED, headersMs: 500, anonymousRequestMs: 1000 } } });
    const silent = raw(h.url, null);
    const slowHead = raw(h.url, 'GET /api/v1/health HTTP/1.1\r\nHost: hub\r\n');
    // An unauthenticated API POST is answered (401) without its body being read; the rest of that
    // body must not keep the connection for ever.
    const unread = raw(h.url, postHead('/api/v1/workspaces', 'application/json', 'accept: application/json\r\n'), 100);
    expect(await closedWithin(silent, 3000)).not.toBeNull();
    expect(await closedWithin(slowHead, 3000)).not.toBeNull();
    expect(await closedWithin(unread, 4000)).not.toBeNull();
    expect(unread.text()).toMatch(/^HTTP\/1\.1 401 /);
  });

  it('keeps an authenticated event stream open past every deadline while anonymous requests are cut', async () => {
    h = await startApiHub('dossse', { server: { limits: { ...RELAXED, headersMs: 300, bodyMs: 300, anonymousRequestMs: 500 } } });
    let pings = 0;
    const sse = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get(`${h!.url}/api/v1/events`, { headers: { authorization: `Bearer ${h!.adminToken}` } }, resolve).on('error', reject);
    });
    sse.on('data', (d: Buffer) => (pings += (d.toString().match(/: ping/g) ?? []).length));
    let ended = false;
    sse.on('close', () => (ended = true));
    const anon = raw(h.url, postHead('/hub/login', 'application/x-www-form-urlencoded'), 100);
    expect(await closedWithin(anon, 3000)).not.toBeNull();
    // Heartbeats every second (startApiHub): three of them is three times the longest deadline.
    await until(() => pings >= 3, 6000, 'three heartbeats');
    expect(ended).toBe(false);
    sse.destroy();
  });
});

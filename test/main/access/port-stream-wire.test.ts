/**
 * The port stream's wire form between a real WebSocket server and client: bytes both ways intact,
 * each direction's end kept (a client that has said all it will still gets the whole answer),
 * the socket closed once both have ended, and a cut link an error rather than a clean end.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { PORT_STREAM_PROTOCOL, portStreamDuplex } from '../../../main/access/port-stream-wire';

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

/** A server whose every port stream is handed to `serve`, and a connected client stream. */
async function pair(serve: (s: Duplex, ws: WebSocket) => void): Promise<{ client: Duplex; ws: WebSocket }> {
  const server = http.createServer();
  const wss = new WebSocketServer({ server, perMessageDeflate: false, handleProtocols: (p) => (p.has(PORT_STREAM_PROTOCOL) ? PORT_STREAM_PROTOCOL : false) });
  wss.on('connection', (ws) => serve(portStreamDuplex(ws), ws));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanup = async () => {
    for (const c of wss.clients) c.terminate();
    await new Promise((r) => wss.close(r));
    await new Promise((r) => server.close(r));
  };
  const ws = new WebSocket(`ws://127.0.0.1:${(server.address() as net.AddressInfo).port}`, [PORT_STREAM_PROTOCOL], { perMessageDeflate: false });
  // Made in the open handler itself, as the dialer does: messages may follow in the same tick.
  const client = await new Promise<Duplex>((resolve, reject) => {
    ws.once('open', () => resolve(portStreamDuplex(ws)));
    ws.once('error', reject);
  });
  expect(ws.protocol).toBe(PORT_STREAM_PROTOCOL);
  return { client, ws };
}

function readAll(s: Duplex): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    s.on('data', (d: Buffer) => parts.push(d));
    s.once('end', () => resolve(Buffer.concat(parts)));
    s.once('error', reject);
  });
}

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

describe('port stream wire', () => {
  it('keeps the answer whole after the client has ended its side, then closes the socket', async () => {
    // The server answers only once the request has ended, as `cat`, `nc -e` or a batch job would.
    const { client, ws } = await pair((s) => {
      const parts: Buffer[] = [];
      s.on('data', (d: Buffer) => parts.push(d));
      s.once('end', () => s.end(Buffer.concat(parts)));
    });
    const request = crypto.randomBytes(3 * 1024 * 1024);
    const answer = readAll(client);
    client.end(request);
    expect(sha(await answer)).toBe(sha(request));
    await new Promise((r) => (ws.readyState === ws.CLOSED ? r(null) : ws.once('close', r)));
  });

  it('keeps the request flowing after the server has ended its side', async () => {
    let received: Promise<Buffer> = Promise.resolve(Buffer.alloc(0));
    const { client } = await pair((s) => {
      received = readAll(s);
      s.end('hello, and goodbye');
    });
    const greeting = await readAll(client);
    expect(greeting.toString()).toBe('hello, and goodbye');
    const more = crypto.randomBytes(1024 * 1024);
    client.end(more);
    await new Promise((r) => client.once('finish', r));
    await new Promise((r) => setTimeout(r, 50));
    expect(sha(await received)).toBe(sha(more));
  });

  it('makes a cut link an error, not a clean end', async () => {
    const { client } = await pair((s, ws) => {
      s.on('error', () => undefined);
      setTimeout(() => ws.terminate(), 20);
    });
    const ended = new Promise<string>((resolve) => {
      client.on('data', () => undefined);
      client.once('end', () => resolve('end'));
      client.once('error', (e) => resolve(`error: ${e.message}`));
    });
    expect(await ended).toMatch(/^error: the port stream was cut off/);
  });

  it('refuses data after the end and stray control messages', async () => {
    const { client } = await pair((s, ws) => {
      s.on('error', () => undefined);
      setTimeout(() => {
        ws.send('eof', { binary: false });
        ws.send(Buffer.from('late'), { binary: true });
      }, 20);
    });
    const outcome = new Promise<string>((resolve) => {
      client.on('data', () => undefined);
      client.once('error', (e) => resolve(e.message));
    });
    expect(await outcome).toMatch(/data after its end/);
  });
});

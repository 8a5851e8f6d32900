// The Node remote client against a real HTTPS server on 127.0.0.1 with a self-signed certificate. Each
// test plays the hub with a few hand-written answers and counts what reached it.
import https from 'node:https';
import net from 'node:net';
import { X509Certificate } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generate } from 'selfsigned';
import { HubdeckError } from '../../../main/core/errors';
import { remoteHubClient } from '../../../main/client/remote-hub-client';
import type { HubClient } from '../../../main/client/hub-client';
import type { HubEvent } from '../../../main/client/hub-client';
import type { ProgressEvent } from '../../../main/engine/engine';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}
type Handler = (req: IncomingMessage, res: ServerResponse, seen: Seen) => void;

interface FakeHub {
  url: string;
  requests: Seen[];
  /** TCP connections the server accepted, request or not. */
  connections: () => number;
  close: () => Promise<void>;
}

let cert = { key: '', cert: '', fingerprint: '' };
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const pems = await generate([{ name: 'commonName', value: 'hubdeck-test' }], {
    keyType: 'ec',
    notAfterDate: new Date(Date.now() + 86_400_000),
    // Names the address, so the only thing wrong without pinning is who signed it.
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  cert = { key: pems.private, cert: pems.cert, fingerprint: new X509Certificate(pems.cert).fingerprint256 };
});

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startHub(handle: Handler): Promise<FakeHub> {
  const requests: Seen[] = [];
  let connections = 0;
  const server = https.createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(seen);
      handle(req, res, seen);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const hub: FakeHub = {
    url: `https://127.0.0.1:${port}`,
    requests,
    connections: () => connections,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
  cleanups.push(hub.close);
  return hub;
}

function client(hub: FakeHub, opts: { fingerprint?: string | null; timeoutMs?: number } = {}): HubClient {
  const fingerprint = opts.fingerprint === null ? undefined : opts.fingerprint ?? cert.fingerprint;
  const c = remoteHubClient({ url: hub.url, token: 'hd_secret', fingerprint, timeoutMs: opts.timeoutMs });
  cleanups.push(() => c.close());
  return c;
}

function json(res: ServerResponse, status: number, body?: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

const INFO = { hubId: 'h1', version: '0.1.0', engine: { kind: 'docker', description: 'test' }, user: { name: 'alice', admin: false } };

async function caught(p: Promise<unknown>): Promise<HubdeckError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(HubdeckError);
  return e as HubdeckError;
}

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function sseHead(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
  res.flushHeaders();
}

const sse = (e: HubEvent, id: string) => `id: ${id}\ndata: ${JSON.stringify(e)}\n\n`;
const state = (name: string): HubEvent => ({ type: 'workspace.state', user: 'alice', name, state: 'running', at: '2025-01-01T00:00:00Z' });

describe('RemoteHubClient TLS', () => {
  it('connects when the pinned fingerprint matches, in any spelling', async () => {
    const hub = await startHub((_req, res) => json(res, 200, INFO));
    expect(await client(hub).info()).toEqual(INFO);
    const bare = cert.fingerprint.replace(/:/g, '').toLowerCase();
    expect(await client(hub, { fingerprint: bare }).info()).toEqual(INFO);
    expect(hub.requests).toHaveLength(2);
    expect(hub.requests[0]).toMatchObject({ method: 'GET', url: '/api/v1/info' });
    expect(hub.requests[0]?.headers.authorization).toBe('Bearer hd_secret');
  });

  it('refuses a certificate with another fingerprint before sending anything', async () => {
    const hub = await startHub((_req, res) => json(res, 200, INFO));
    const wrong = (cert.fingerprint.startsWith('AA') ? 'BB' : 'AA') + cert.fingerprint.slice(2);
    const e = await caught(client(hub, { fingerprint: wrong }).info());
    expect(e.code).toBe('unavailable');
    expect(e.message).toBe(`the hub's TLS certificate has fingerprint ${cert.fingerprint}, expected ${wrong}; refusing to connect`);
    // The client did reach this server (so the check was made on its certificate), yet sent no request.
    expect(hub.connections()).toBeGreaterThan(0);
    expect(hub.requests).toHaveLength(0);
  });

  it('refuses the self-signed certificate without a fingerprint', async () => {
    const hub = await startHub((_req, res) => json(res, 200, INFO));
    const e = await caught(client(hub, { fingerprint: null }).info());
    expect(e.code).toBe('unavailable');
    expect(e.message).toMatch(/^cannot reach the hub at https:\/\/127\.0\.0\.1:\d+: self[- ]signed certificate/);
    expect(e.message).toContain('fingerprint');
    expect(hub.requests).toHaveLength(0);
  });

  it('rejects a malformed fingerprint up front', () => {
    expect(() => remoteHubClient({ url: 'https://127.0.0.1:1', token: 't', fingerprint: 'AB:CD' })).toThrow(/fingerprint: "AB:CD" is not a SHA-256 fingerprint/);
  });
});

describe('RemoteHubClient requests and errors', () => {
  it('turns error bodies into HubdeckErrors with code and field', async () => {
    const answers: Record<string, [number, string]> = {
      '/api/v1/users/bad': [400, JSON.stringify({ error: { code: 'invalid', message: 'memory: "12x" is not a size', field: 'memory' } })],
      '/api/v1/users/gone': [404, JSON.stringify({ error: { code: 'not_found', message: 'user gone does not exist' } })],
      '/api/v1/users/big': [413, JSON.stringify({ error: { code: 'too_large', message: 'request body is larger than 64 KiB' } })],
      '/api/v1/users/slow': [429, JSON.stringify({ error: { code: 'throttled', message: 'too many failed logins' } })],
      '/api/v1/users/oops': [500, JSON.stringify({ error: { code: 'internal', message: 'internal error (see the hub log)' } })],
      '/api/v1/users/novel': [409, JSON.stringify({ error: { code: 'some_future_code', message: 'newer hub' } })],
      '/api/v1/users/proxy': [502, `<html>${'x'.repeat(300)}</html>`],
    };
    const hub = await startHub((req, res) => {
      const [status, body] = answers[req.url ?? ''] ?? [500, 'no answer'];
      res.writeHead(status, { 'content-type': body.startsWith('{') ? 'application/json' : 'text/html' });
      res.end(body);
    });
    const c = client(hub);
    const bad = await caught(c.getUser({ user: 'bad' }));
    expect([bad.code, bad.message, bad.field]).toEqual(['invalid', 'memory: "12x" is not a size', 'memory']);
    const gone = await caught(c.getUser({ user: 'gone' }));
    expect([gone.code, gone.field]).toEqual(['not_found', undefined]);
    expect((await caught(c.getUser({ user: 'big' }))).code).toBe('invalid');
    expect((await caught(c.getUser({ user: 'slow' }))).code).toBe('unavailable');
    expect((await caught(c.getUser({ user: 'oops' }))).code).toBe('engine');
    expect((await caught(c.getUser({ user: 'novel' }))).code).toBe('conflict');
    const proxy = await caught(c.getUser({ user: 'proxy' }));
    expect(proxy.code).toBe('engine');
    expect(proxy.message).toBe(`hub answered 502: <html>${'x'.repeat(194)}`);
  });

  it('sends methods, encoded paths, queries and JSON bodies as the routes expect', async () => {
    const hub = await startHub((req, res) => {
      if (req.method === 'DELETE') return json(res, 204);
      json(res, req.method === 'POST' && req.url?.startsWith('/api/v1/workspaces?') ? 201 : 200, { ok: req.url });
    });
    const c = client(hub);
    const ref = { user: 'al ice', name: 'a/b' };
    expect(await c.removeWorkspace({ ...ref, deleteData: true })).toBeUndefined();
    await c.extendWorkspace({ ...ref, body: { days: 3 } });
    await c.listWorkspaces({ user: 'bob', all: true });
    await c.cleanup({ body: { dryRun: true } });
    await c.createWorkspace({ body: { name: 'ws' }, wait: false, timeout: 2 });
    await c.revokeToken({ user: 'alice', id: 'tok#1' });
    expect(hub.requests.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual([
      'DELETE /api/v1/workspaces/al%20ice/a%2Fb?deleteData=1 ',
      'POST /api/v1/workspaces/al%20ice/a%2Fb/extend {"days":3}',
      'GET /api/v1/workspaces?user=bob&all=1 ',
      'POST /api/v1/cleanup {"dryRun":true}',
      'POST /api/v1/workspaces?wait=0&timeout=2 {"name":"ws"}',
      'DELETE /api/v1/users/alice/tokens/tok%231 ',
    ]);
    expect(hub.requests[1]?.headers['content-type']).toBe('application/json');
    expect(hub.requests[0]?.headers['content-type']).toBeUndefined();
  });

  it('reports a hub that does not listen as unavailable', async () => {
    const free = net.createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const { port } = free.address() as net.AddressInfo;
    await new Promise((resolve) => free.close(resolve));
    const c = remoteHubClient({ url: `https://127.0.0.1:${port}/`, token: 't', fingerprint: cert.fingerprint });
    cleanups.push(() => c.close());
    const e = await caught(c.info());
    expect(e.code).toBe('unavailable');
    expect(e.message).toMatch(new RegExp(`^cannot reach the hub at https://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
  });

  it('gives up on a silent hub after timeoutMs', async () => {
    const hub = await startHub(() => undefined);
    const started = Date.now();
    const e = await caught(client(hub, { timeoutMs: 300 }).info());
    expect(e.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('RemoteHubClient streams', () => {
  it('delivers events in order and reconnects, with Last-Event-ID, after the hub drops the stream', async () => {
    const streams: IncomingMessage[] = [];
    const hub = await startHub((req, res) => {
      if (req.url !== '/api/v1/events') return json(res, 404, { error: { code: 'not_found', message: 'no' } });
      streams.push(req);
      sseHead(res);
      if (streams.length === 1) {
        // Cut mid-line and mid-event, with a heartbeat between, then drop the stream.
        const text = `: hi\n\n${sse(state('one'), '1')}${sse(state('two'), '2')}`;
        res.write(text.slice(0, 17));
        setTimeout(() => { res.write(text.slice(17)); res.end(); }, 50);
      } else {
        res.write(sse(state('three'), '3').replace(/\n/g, '\r\n'));
      }
    });
    const c = client(hub);
    const got: HubEvent[] = [];
    const unsubscribe = await c.subscribe((e) => got.push(e));
    await until(() => got.length >= 3, 'three events');
    expect(got.map((e) => (e.type === 'workspace.state' ? e.name : e.type))).toEqual(['one', 'two', 'three']);
    expect(got[0]).toEqual(state('one'));
    expect(streams).toHaveLength(2);
    expect(streams[0]?.headers['last-event-id']).toBeUndefined();
    expect(streams[1]?.headers['last-event-id']).toBe('2');

    const closed = new Promise((resolve) => streams[1]?.socket.once('close', resolve));
    unsubscribe();
    await closed;
    await new Promise((r) => setTimeout(r, 800)); // longer than the first backoff
    expect(streams).toHaveLength(2);
  });

  it('rejects subscribe with the hub error', async () => {
    const hub = await startHub((_req, res) => json(res, 401, { error: { code: 'unauthorized', message: 'invalid or expired token' } }));
    const e = await caught(client(hub).subscribe(() => undefined));
    expect([e.code, e.message]).toEqual(['unauthorized', 'invalid or expired token']);
  });

  it('close() ends open event streams', async () => {
    let stream: IncomingMessage | undefined;
    const hub = await startHub((req, res) => { stream = req; sseHead(res); });
    const c = client(hub);
    await c.subscribe(() => undefined);
    const closed = new Promise((resolve) => stream?.socket.once('close', resolve));
    await c.close();
    await closed;
    expect(hub.requests).toHaveLength(1);
  });

  it('streams logs and stops quietly when aborted', async () => {
    let logReq: IncomingMessage | undefined;
    const hub = await startHub((req, res) => {
      logReq = req;
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.write('line 1\n');
      // '✓' split across writes: the client must not break the character.
      const check = Buffer.from('✓ line 2\n');
      setTimeout(() => res.write(check.subarray(0, 1)), 30);
      setTimeout(() => res.write(check.subarray(1)), 60);
    });
    const ac = new AbortController();
    let text = '';
    for await (const chunk of client(hub).workspaceLogs({ user: 'alice', name: 'ws', tail: 5, follow: true }, { signal: ac.signal })) {
      text += chunk;
      if (text.includes('line 2')) ac.abort();
    }
    expect(text).toBe('line 1\n✓ line 2\n');
    expect(hub.requests[0]?.url).toBe('/api/v1/workspaces/alice/ws/logs?tail=5&follow=1');
    await until(() => logReq?.socket.destroyed === true, 'the log request to close');
  });

  it('forwards only its own operation\'s progress while creating, then unsubscribes', async () => {
    let events: ServerResponse | undefined;
    let eventsReq: IncomingMessage | undefined;
    const progress = (opId: string, percent: number): HubEvent => ({
      type: 'workspace.progress', user: 'alice', name: 'ws', opId, at: '2025-01-01T00:00:00Z', progress: { phase: 'create', percent, message: `${percent}%` },
    });
    const hub = await startHub((req, res) => {
      if (req.url === '/api/v1/events') { events = res; eventsReq = req; return sseHead(res); }
      // The hub tags progress with the id the request carries; another request's progress is not ours.
      const opId = new URL(req.url ?? '/', 'http://x').searchParams.get('opId') ?? '';
      events?.write(sse(progress(opId, 10), '1') + sse(progress('someone-else', 20), '2') + sse({ ...progress(opId, 30), name: 'other' } as HubEvent, '3'));
      events?.write(sse(progress(opId, 100), '4'));
      setTimeout(() => json(res, 201, { name: 'ws' }), 200);
    });
    const seen: ProgressEvent[] = [];
    const c = client(hub);
    expect(await c.createWorkspace({ body: { name: 'ws' } }, { onProgress: (p) => seen.push(p) })).toEqual({ name: 'ws' });
    expect(seen.map((p) => p.percent)).toEqual([10, 30, 100]);
    expect(hub.requests.map((r) => `${r.method} ${r.url.replace(/\?.*/, '')}`)).toEqual(['GET /api/v1/events', 'POST /api/v1/workspaces']);
    expect(hub.requests[1]!.url).toMatch(/^\/api\/v1\/workspaces\?opId=[0-9a-f]{24}$/);
    await until(() => eventsReq?.socket.destroyed === true, 'the event stream to close');
  });
});

/**
 * The hub's HTTP(S) server: authenticates every /api/v1 request (Bearer token), slows down
 * guessing, limits and validates bodies, dispatches to the route table, answers errors as JSON,
 * streams events (SSE), and shuts down gracefully.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Hub } from '../hub/hub';
import type { Actor } from '../hub/actor';
import { visibleTo } from '../hub/hub-events';
import { InProcessHubClient } from '../client/in-process-hub-client';
import { AuthThrottle } from './auth-throttle';
import { HttpError, sendError, sendJson } from './http-errors';
import { readJsonBody } from './request-body';
import { ROUTES, compile, type RouteContext } from './routes';

export interface HubServerOptions {
  hub: Hub;
  tls?: { cert: string | Buffer; key: string | Buffer };
  log?: (message: string) => void;
  /** Seconds between SSE heartbeats (comments that keep proxies from closing idle streams). */
  heartbeatSeconds?: number;
}

export interface HubServer {
  server: http.Server;
  listen(host: string, port: number): Promise<AddressInfo>;
  /** Stops accepting, ends event streams, waits for requests in flight. */
  close(): Promise<void>;
}

const compiled = compile(ROUTES);
/** Bytes an event stream may have queued for a client that is not reading. */
const MAX_SSE_BACKLOG = 1024 * 1024;

export function createHubServer(o: HubServerOptions): HubServer {
  const log = o.log ?? (() => undefined);
  const throttle = new AuthThrottle();
  const streams = new Set<http.ServerResponse>();
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res).catch((e) => sendError(res, e, log));
  };
  const server = o.tls ? https.createServer({ cert: o.tls.cert, key: o.tls.key }, handler) : http.createServer(handler);
  server.headersTimeout = 20_000;
  server.requestTimeout = 0; // log follows and event streams are long-lived on purpose

  async function authenticate(req: http.IncomingMessage): Promise<Actor> {
    const addr = req.socket.remoteAddress ?? 'unknown';
    const wait = throttle.penalty(addr);
    if (wait === Infinity) throw new HttpError('throttled', 'too many failed authentications; try again in a minute', { 'retry-after': '60' });
    const header = req.headers.authorization ?? '';
    const m = /^(?:Bearer|token)\s+(\S+)$/i.exec(header);
    const actor = m ? o.hub.tokens.authenticate(m[1]!) : null;
    if (actor) {
      throttle.succeed(addr);
      return actor;
    }
    throttle.fail(addr);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    throw new HttpError('unauthorized', header ? 'invalid, expired or revoked token' : 'authentication required (Authorization: Bearer <token>)', { 'www-authenticate': 'Bearer' });
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    res.setHeader('x-content-type-options', 'nosniff');
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://hub');
    } catch {
      throw new HttpError('invalid', 'malformed request path');
    }
    if (url.pathname === '/api/v1/health') return sendJson(res, 200, { ok: true });
    if (!url.pathname.startsWith('/api/v1/')) throw new HttpError('not_found', `no such path ${url.pathname}`);
    const actor = await authenticate(req);
    if (url.pathname === '/api/v1/events' && req.method === 'GET') return events(req, res, actor);
    const match = route(req.method ?? 'GET', url.pathname);
    const body = match.route.body ? await readJsonBody(req) : await refuseBody(req);
    const client = new InProcessHubClient(o.hub, actor);
    const ctx: RouteContext = { actor, params: match.params, query: url.searchParams, body, req, res, hub: o.hub, client, track };
    const result = await match.route.handler(ctx);
    if (result !== 'stream') sendJson(res, result.status, result.body);
  }

  function route(method: string, path: string) {
    let pathMatched = false;
    for (const c of compiled) {
      const m = c.re.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (c.route.method !== method) continue;
      const params: Record<string, string> = {};
      c.names.forEach((n, i) => {
        try {
          params[n] = decodeURIComponent(m[i + 1]!);
        } catch {
          throw new HttpError('invalid', `${n}: not a valid path segment`);
        }
      });
      return { route: c.route, params };
    }
    if (pathMatched) throw new HttpError('method_not_allowed', `${method} is not allowed on ${path}`, { allow: allowed(path) });
    throw new HttpError('not_found', `no such path ${path}`);
  }

  function allowed(path: string): string {
    return compiled.filter((c) => c.re.test(path)).map((c) => c.route.method).join(', ');
  }

  function track(res: http.ServerResponse): void {
    streams.add(res);
    res.on('close', () => streams.delete(res));
  }

  function events(req: http.IncomingMessage, res: http.ServerResponse, actor: Actor): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(': hubdeck events\n\n');
    // Hub-wide ids: a client reconnecting with Last-Event-ID gets what it missed meanwhile.
    const last = Number(req.headers['last-event-id']);
    const off = o.hub.bus.subscribe((e, id) => {
      if (!visibleTo(e, actor.user, actor.admin)) return;
      // A client that stopped reading must not make the hub buffer without end: drop it; it will
      // reconnect with Last-Event-ID and get what the replay buffer still holds.
      if (res.writableLength > MAX_SSE_BACKLOG) return void res.destroy();
      res.write(`id: ${id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
    }, Number.isSafeInteger(last) && last >= 0 ? last : undefined);
    const beat = setInterval(() => res.write(': ping\n\n'), (o.heartbeatSeconds ?? 15) * 1000);
    track(res);
    const end = () => {
      off();
      clearInterval(beat);
    };
    req.on('close', end);
    res.on('close', end);
  }

  return {
    server,
    listen: (host, port) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve(server.address() as AddressInfo));
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of streams) s.end();
        server.close(() => resolve());
        server.closeIdleConnections();
        // Requests still running after a grace period (a slow engine call) do not hold shutdown.
        setTimeout(() => server.closeAllConnections(), 3000).unref();
      }),
  };
}

/** Routes that take no body refuse one, so a misplaced field is not silently ignored. */
async function refuseBody(req: http.IncomingMessage): Promise<undefined> {
  const body = await readJsonBody(req).catch((e: unknown) => {
    if (e instanceof HttpError && e.code === 'unsupported_media') throw new HttpError('invalid', 'this request takes no body');
    throw e;
  });
  if (body !== undefined) throw new HttpError('invalid', 'this request takes no body');
  return undefined;
}

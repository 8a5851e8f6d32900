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
import { visibleTo } from '../api/events';
import { API_PREFIX, ENDPOINTS, EVENTS_PATH, HEALTH_PATH } from '../api/endpoints';
import { inputFromRequest, matchRoute } from '../api/http-wire';
import { hubOperations } from '../hub/hub-operations';
import { AuthThrottle } from './auth-throttle';
import { HttpError, sendError, sendJson } from './http-errors';
import { readJsonBody } from './request-body';
import { dispatch } from './dispatch';

export interface HubServerOptions {
  hub: Hub;
  tls?: { cert: string | Buffer; key: string | Buffer };
  log?: (message: string) => void;
  /** Seconds between SSE heartbeats (comments that keep proxies from closing idle streams). */
  heartbeatSeconds?: number;
  /** The clock of the authentication throttle and how it waits (tests drive both instead of waiting). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface HubServer {
  server: http.Server;
  listen(host: string, port: number): Promise<AddressInfo>;
  /** Stops accepting, ends event streams, waits for requests in flight. */
  close(): Promise<void>;
}

/** Bytes an event stream may have queued for a client that is not reading. */
const MAX_SSE_BACKLOG = 1024 * 1024;

export function createHubServer(o: HubServerOptions): HubServer {
  const log = o.log ?? (() => undefined);
  const throttle = new AuthThrottle(o.now);
  const ops = hubOperations(o.hub);
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
    if (wait > 0) await (o.sleep ?? realSleep)(wait);
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
    if (url.pathname === `${API_PREFIX}${HEALTH_PATH}`) return sendJson(res, 200, { ok: true });
    if (!url.pathname.startsWith(`${API_PREFIX}/`)) throw new HttpError('not_found', `no such path ${url.pathname}`);
    const actor = await authenticate(req);
    if (url.pathname === `${API_PREFIX}${EVENTS_PATH}` && req.method === 'GET') return events(req, res, actor);
    const method = req.method ?? 'GET';
    const match = matchRoute(method, url.pathname);
    if (!match) throw new HttpError('not_found', `no such path ${url.pathname}`);
    if ('allowed' in match) throw new HttpError('method_not_allowed', `${method} is not allowed on ${url.pathname}`, { allow: match.allowed.join(', ') });
    const body = 'body' in ENDPOINTS[match.op] ? await readJsonBody(req) : await refuseBody(req);
    const input = inputFromRequest(match.op, match.params, url.searchParams, body);
    await dispatch({ ops, actor, op: match.op, input, req, res, track });
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
      // No `event:` field: a browser's EventSource hands only unnamed events to onmessage, and
      // the type travels in the data anyway.
      res.write(`id: ${id}\ndata: ${JSON.stringify(e)}\n\n`);
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

/**
 * The hub's HTTP(S) server: authenticates every /api/v1 request (Bearer token), slows down
 * guessing, limits and validates bodies, dispatches to the route table, answers errors as JSON,
 * streams events (SSE), and shuts down gracefully.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Hub } from '../hub/hub';
import type { Actor } from '../hub/actor';
import { visibleTo } from '../api/events';
import { API_PREFIX, ENDPOINTS, EVENTS_PATH, HEALTH_PATH, isChangeOperation, isStreamOperation, type Operation } from '../api/endpoints';
import { isHubdeckError } from '../core/errors';
import { inputFromRequest, matchRoute, type RouteMatch } from '../api/http-wire';
import { recordRefusedRequest } from '../hub/audit-operations';
import { hubOperations } from '../hub/hub-operations';
import { AuthThrottle } from './auth-throttle';
import { HSTS, HttpError, sendError, sendJson } from './http-errors';
import { readJsonBody } from './request-body';
import { dispatch } from './dispatch';
import { StreamGuard, type Guarded, type StreamLimits } from './stream-guard';
import { WorkspaceProxy } from '../access/workspace-proxy';
import { PortStreams } from './port-stream';
import { TerminalStreams } from './terminal-stream';
import type { Duplex } from 'node:stream';
import { handleLogin, LOGIN_PATH, type LoginGate } from './login-pages';
import type { TeamSignIn } from './auth/team-sign-in';
import { sessionIdOf } from '../access/hub-cookies';
import { WORKSPACE_SIGN_IN_PATH, type WebAccess } from '../core/workspace-origin';
import { checkWebAccessOptions, resolveWebAccess, type WebAccessOptions } from './web-access';
import { WorkspaceSite } from './workspace-site';
import { guardUpgradeSocket } from '../access/upgrade-socket';
import { fromOwnOrigin, isNavigation } from './same-origin';
import { serveStatic } from './static-files';
import { ConnectionLimits, type ConnectionLimitSettings } from './connection-limits';
import { clientAddressOf, clientIpOf, trustedSet } from './client-address';
import { refusedMalformedUpgrade } from './request-path';

export interface HubServerOptions {
  hub: Hub;
  tls?: { cert: string | Buffer; key: string | Buffer };
  log?: (message: string) => void;
  /** Seconds between SSE heartbeats (comments that keep proxies from closing idle streams). */
  heartbeatSeconds?: number;
  /**
   * Addresses of reverse proxies in front of the hub: requests from them are throttled by the
   * client address they put last in X-Forwarded-For, not by the proxy's own.
   */
  trustedProxies?: string[];
  /** The built web UI to serve at `/` (browser mode); none: API, proxy and sign-in only. */
  staticDir?: string;
  /** Open-stream limits per user and in total (429 past them). */
  streamLimits?: StreamLimits;
  /** Connections the server accepts at once, kept below the process's descriptor limit. */
  maxConnections?: number;
  /** Deadlines and caps for unauthenticated clients (connection-limits.ts); defaults for what is absent. */
  limits?: Partial<ConnectionLimitSettings>;
  /** The clock of the authentication throttle and how it waits (tests drive both instead of waiting). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** LDAP and/or OpenID Connect sign-in beside tokens (`hub serve --auth …`). */
  teamSignIn?: TeamSignIn;
  /** What a person holding a used or expired sign-in link should do here (login-pages.ts's default: the app's way). */
  signInHelp?: string;
  /** Where workspaces' own origins are (default `*.localhost`), or the unsafe path mode. */
  web?: WebAccessOptions;
}

/** The token of an `Authorization: Bearer …` (or Jupyter-style `token …`) header, or null. */
function bearerOf(req: http.IncomingMessage): string | null {
  return /^(?:Bearer|token)\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** Who a public operation runs as: nobody (the operation itself checks what it was given). */
const ANONYMOUS: Actor = { user: '', admin: false };

export interface HubServer {
  server: http.Server;
  listen(host: string, port: number): Promise<AddressInfo>;
  /** Stops accepting, ends event streams, waits for requests in flight. */
  close(): Promise<void>;
}

/** Connections the kernel queues for accept (capped by net.core.somaxconn). */
const LISTEN_BACKLOG = 4096;

/** Bytes an event stream may have queued for a client that is not reading. */
const MAX_SSE_BACKLOG = 1024 * 1024;

export function createHubServer(o: HubServerOptions): HubServer {
  const log = o.log ?? (() => undefined);
  const throttle = new AuthThrottle(o.now);
  const ops = hubOperations(o.hub);
  const guard = new StreamGuard(o.hub, (o.heartbeatSeconds ?? 15) * 1000, o.streamLimits);
  const trusted = trustedSet(o.trustedProxies);
  const limits = new ConnectionLimits(o.limits, o.maxConnections, trusted, (req) => clientAddress(req));
  /** This server's web access, known once it listens (its port decides the origins). */
  let web: WebAccess | null = null;
  let ownsWeb = false;
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!limits.admit(req, res)) return;
    // Addresses the hub hands out while answering are this server's (a LAN teammate's, a loopback caller's).
    const run = () => handle(req, res).catch((e) => sendError(res, e, log));
    void audited(req, () => (web ? o.hub.webScope.run(web, run) : run()));
  };
  /** Runs a request's handling with its client's address, for the audit log's entries. */
  const audited = <T>(req: http.IncomingMessage, fn: () => T): T => o.hub.audit.scope.run({ address: clientIpOf(req, trusted) }, fn);
  const secure = Boolean(o.tls);
  const server = o.tls ? https.createServer({ ...limits.tlsServerOptions, cert: o.tls.cert, key: o.tls.key }, handler) : http.createServer(limits.serverOptions, handler);
  limits.attach(server);
  const authOf = (req: http.IncomingMessage) => limits.authenticatedAs(req, credentials(req)?.reauth() ?? null);
  /** Credentials that stood for someone: the connection is an authenticated one from now on (no anonymous deadlines). */
  const marked = <T extends { actor: Actor } | null>(req: http.IncomingMessage, who: T): T => {
    if (who) limits.authenticated(req);
    return who;
  };
  // Workspaces on their own origins (same listener and TLS), or under /user/… in path mode.
  const proxy = new WorkspaceProxy(o.hub);
  const site = new WorkspaceSite({
    hub: o.hub, proxy, secure, loginPath: LOGIN_PATH,
    web: () => web ?? { mode: 'path', hub: '', browsers: false },
    bearer: (req) => {
      const token = bearerOf(req);
      if (!token) return null;
      const reauth = () => o.hub.tokens.authenticate(token);
      const actor = reauth();
      return marked(req, actor ? { actor, reauth } : null);
    },
    urlToken: async (req, token) => {
      const actor = await checkToken(token, req);
      return marked(req, actor ? { actor, reauth: () => o.hub.tokens.authenticate(token) } : null);
    },
    hubSession: (req) => {
      const c = cookieCredentials(req, true);
      const actor = c?.reauth();
      return marked(req, c && actor ? { actor, reauth: c.reauth } : null);
    },
    authenticated: (req) => limits.authenticated(req),
  });
  // …/ports/<port>/stream: a raw byte stream to a workspace port (tunnels, workspace forward).
  const ports = new PortStreams(o.hub, authOf);
  // …/terminal: a shell in a workspace for the UI's terminal tab (xterm.js), authorized like SSH.
  const terminals = new TerminalStreams(o.hub, authOf);
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    // First of all: a reset while the upgrade is being authorized must not end the process.
    guardUpgradeSocket(socket);
    limits.admitUpgrade(req, socket as Socket);
    if (refusedMalformedUpgrade(req.url, socket, API_PREFIX)) return;
    const served = audited(req, () => site.isWorkspaceRequest(req)
      ? site.upgrade(req, socket, head).then(() => true)
      : terminals.upgrade(req, socket, head)
        .then((handled) => handled || ports.upgrade(req, socket, head))
        .then((handled) => handled || site.hubPathUpgrade(req, socket, head)));
    served.then((handled) => (handled ? limits.upgraded(req, socket as Socket) : socket.destroy()), () => socket.destroy());
  });
  // Heads, bodies and unauthenticated requests have deadlines, unauthenticated connections caps
  // (connection-limits.ts); authenticated streams are long-lived on purpose and bounded by count
  // instead (StreamGuard).

  /** The client's address: the socket's, or what a trusted proxy says it forwarded for. */
  function clientAddress(req: http.IncomingMessage): string {
    return clientAddressOf(req, trusted);
  }

  /**
   * A valid token always passes: guessing from an address must not lock out the people behind it
   * (everyone behind one proxy), and a success does not erase the failures, so alternating bad and
   * good tokens still earns the penalty for the bad ones.
   */
  async function authenticate(req: http.IncomingMessage): Promise<{ actor: Actor; reauth: () => Actor | null }> {
    const header = req.headers.authorization ?? '';
    const token = bearerOf(req);
    if (token) {
      const actor = await checkToken(token, req);
      if (actor) return { actor, reauth: () => o.hub.tokens.authenticate(token) };
      throw new HttpError('unauthorized', 'invalid, expired or revoked token', { 'www-authenticate': 'Bearer' });
    }
    if (header) {
      await checkToken('', req); // a malformed header is a failed attempt like any other
      throw new HttpError('unauthorized', 'invalid, expired or revoked token', { 'www-authenticate': 'Bearer' });
    }
    // No header: a browser's session cookie, or nothing (which is not guessing: no penalty).
    const c = credentials(req);
    const actor = c?.reauth();
    if (c && actor) return { actor, reauth: c.reauth };
    throw new HttpError('unauthorized', 'authentication required (Authorization: Bearer <token>, or sign in)', { 'www-authenticate': 'Bearer' });
  }

  /** A token checked the throttled way: null when it is not valid (the attempt counted). */
  async function checkToken(secret: string, req: http.IncomingMessage): Promise<Actor | null> {
    const actor = secret ? o.hub.tokens.authenticate(secret) : null;
    if (actor) return actor;
    await countFailure(req);
    return null;
  }

  /** The wait a failure from this request's address earns; 429 past the limit. */
  function penaltyOf(req: http.IncomingMessage): number {
    const wait = throttle.penalty(clientAddress(req));
    if (wait === Infinity) throw new HttpError('throttled', 'too many failed authentications; try again in a minute', { 'retry-after': '60' });
    return wait;
  }

  async function countFailure(req: http.IncomingMessage): Promise<void> {
    const wait = penaltyOf(req);
    throttle.fail(clientAddress(req));
    if (wait > 0) await (o.sleep ?? realSleep)(wait);
  }

  /** Who the request's credentials (a Bearer token, else a session cookie) stand for, unthrottled. */
  function credentials(req: http.IncomingMessage): { reauth: () => Actor | null } | null {
    const token = bearerOf(req);
    if (token) return { reauth: () => o.hub.tokens.authenticate(token) };
    return cookieCredentials(req, false);
  }

  /**
   * The hub session cookie, only on the hub's own origin and only from its own pages: a workspace's
   * origin never gets it, and another site or a workspace page cannot use it to call the API, open
   * a socket or change anything. `navigation`: a top-level GET (a link, a redirect) may come from anywhere.
   */
  function cookieCredentials(req: http.IncomingMessage, navigation: boolean): { reauth: () => Actor | null } | null {
    if (site.isWorkspaceRequest(req)) return null;
    if (!fromOwnOrigin(req, web?.hub ?? null) && !(navigation && isNavigation(req))) return null;
    const id = sessionIdOf(req, secure);
    return id ? { reauth: () => o.hub.sessions.authenticate(id) } : null;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    res.setHeader('x-content-type-options', 'nosniff');
    if (o.tls) res.setHeader('strict-transport-security', HSTS);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://hub');
    } catch {
      throw new HttpError('invalid', 'malformed request path');
    }
    // A workspace's origin serves that workspace and nothing of the hub's.
    if (site.isWorkspaceRequest(req)) return site.serve(req, res);
    if (url.pathname === `${API_PREFIX}${HEALTH_PATH}`) return sendJson(res, 200, { ok: true });
    const gate: LoginGate = { checkToken: (token) => checkToken(token, req), countFailure: () => countFailure(req), refuseIfBlocked: () => void penaltyOf(req), address: clientAddress(req) };
    if (await handleLogin(req, res, o.hub, secure, gate, o.teamSignIn, web, o.signInHelp)) return;
    if (await site.hopHandler(req, res)) return;
    // Path mode: a workspace's one-time code is traded on the hub's own origin.
    if (url.pathname === WORKSPACE_SIGN_IN_PATH && web?.mode === 'path') return site.signIn(req, res, url);
    if (await site.hubPath(req, res)) return;
    if (!url.pathname.startsWith(`${API_PREFIX}/`)) {
      if (o.staticDir && serveStatic(o.staticDir, req, res, url.pathname)) return;
      throw new HttpError('not_found', `no such path ${url.pathname}`);
    }
    const open = matchRoute(req.method ?? 'GET', url.pathname);
    if (open && 'op' in open && 'public' in ENDPOINTS[open.op]) return publicCall(req, res, url, open);
    const { actor, reauth } = await authenticate(req).catch((e: unknown) => refusedRequest(open, e));
    limits.authenticated(req);
    if (url.pathname === `${API_PREFIX}${EVENTS_PATH}` && req.method === 'GET') {
      guard.admit(actor);
      return events(req, res, guard.add(res, reauth, actor, null));
    }
    const method = req.method ?? 'GET';
    const match = matchRoute(method, url.pathname);
    if (!match) throw new HttpError('not_found', `no such path ${url.pathname}`);
    if ('allowed' in match) throw new HttpError('method_not_allowed', `${method} is not allowed on ${url.pathname}`, { allow: match.allowed.join(', ') });
    const body = 'body' in ENDPOINTS[match.op] ? await readJsonBody(req) : await refuseBody(req);
    const input = inputFromRequest(match.op, match.params, url.searchParams, body);
    if (isStreamOperation(match.op)) guard.admit(actor);
    // Whose resources the stream shows: a user's, or everyone's ('*', no user name) for an admin's
    // `all`, so the guard ends it when its actor stops being an admin.
    const subject = typeof input.user === 'string' ? input.user : input.all === true ? '*' : null;
    await dispatch({ ops, actor, op: match.op, input, req, res, track: (r) => void guard.add(r, reauth, actor, subject) });
  }

  /** A state-changing request refused for its credentials: in the audit log, then answered as before. */
  function refusedRequest(m: RouteMatch, e: unknown): never {
    if (m && 'op' in m && isChangeOperation(m.op) && e instanceof HttpError) recordRefusedRequest(o.hub.audit, m.op, m.params, e.code, e.message);
    throw e;
  }

  /**
   * An operation for callers without credentials yet (redeeming an invite): its refusal counts as
   * a failed authentication, so guessing codes is slowed down exactly like guessing tokens.
   */
  async function publicCall(req: http.IncomingMessage, res: http.ServerResponse, url: URL, m: { op: Operation; params: Record<string, string> }): Promise<void> {
    const addr = clientAddress(req);
    const wait = throttle.penalty(addr);
    if (wait === Infinity) throw new HttpError('throttled', 'too many failed authentications; try again in a minute', { 'retry-after': '60' });
    const input = inputFromRequest(m.op, m.params, url.searchParams, await readJsonBody(req));
    try {
      await dispatch({ ops, actor: ANONYMOUS, op: m.op, input, req, res, track: () => undefined });
    } catch (e) {
      if (!isHubdeckError(e) || e.code !== 'unauthorized') throw e;
      throttle.fail(addr);
      if (wait > 0) await (o.sleep ?? realSleep)(wait);
      throw e;
    }
  }

  function events(req: http.IncomingMessage, res: http.ServerResponse, g: Guarded): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(': hubdeck events\n\n');
    // Hub-wide ids: a client reconnecting with Last-Event-ID gets what it missed meanwhile.
    const last = Number(req.headers['last-event-id']);
    const off = o.hub.bus.subscribe((e, id) => {
      // The actor as it is now: a demoted admin stops seeing others' events at once.
      if (!guard.has(g) || !visibleTo(e, g.actor.user, g.actor.admin)) return;
      // A client that stopped reading must not make the hub buffer without end: drop it; it will
      // reconnect with Last-Event-ID and get what the replay buffer still holds.
      if (res.writableLength > MAX_SSE_BACKLOG) return void res.destroy();
      // No `event:` field: a browser's EventSource hands only unnamed events to onmessage, and
      // the type travels in the data anyway.
      res.write(`id: ${id}\ndata: ${JSON.stringify(e)}\n\n`);
    }, Number.isSafeInteger(last) && last >= 0 ? last : undefined);
    const beat = setInterval(() => res.write(': ping\n\n'), (o.heartbeatSeconds ?? 15) * 1000);
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
        checkWebAccessOptions(o.web ?? {}, host);
        server.once('error', reject);
        // A deep accept queue: under a connection flood a short one drops the admin's SYN, which
        // TCP retries only after a second (Node's default is 511).
        server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
          const addr = server.address() as AddressInfo;
          web = resolveWebAccess(o.web ?? {}, { secure, host: addr.address, port: addr.port });
          // The first server's addresses are what in-process callers (the desktop's windows) get.
          if (!o.hub.web) {
            ownsWeb = true;
            o.hub.webListening(web);
          }
          resolve(addr);
        });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (ownsWeb) o.hub.webListening(null);
        ownsWeb = false;
        guard.close();
        proxy.close();
        ports.close();
        terminals.close();
        for (const s of guard.all()) s.end();
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

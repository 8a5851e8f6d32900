/**
 * Connection-level defence against slow anonymous clients (slowloris, slow bodies). Until one of
 * its requests authenticates, a connection is anonymous, and anonymous connections
 *   - must send a request head within `headersMs` of connecting (TLS handshake included),
 *   - number at most `perAddress` per client (an IPv6 /64; see client-address.ts): past it new
 *     ones are closed at once,
 *   - share at most `maxConnections - reservedForAuthenticated`: past it the oldest is closed to
 *     let the new one in (it may be the admin's, and it cannot say so before it sends a request),
 *   - get their requests (head, body and answer) done within `anonymousRequestMs`.
 * Bodies, anyone's, must arrive within `bodyMs` at `minBodyBytesPerSecond` (request-body.ts).
 * Once authenticated, a connection is exempt: event streams, followed logs and WebSockets are
 * long-lived on purpose (Node's own requestTimeout stays 0 for them). Connections from a trusted
 * proxy carry many clients, so there each request counts for the client it is forwarded for.
 */
import type http from 'node:http';
import type net from 'node:net';
import { addressKey, canonicalAddress } from './client-address';
import { sendJson } from './http-errors';
import { setBodyDeadline } from './request-body';

export interface ConnectionLimitSettings {
  /** Connections at once, all clients (past it the kernel's new ones are dropped by Node). */
  maxConnections: number;
  /** Of those, kept for authenticated clients: anonymous ones never hold more than the rest. */
  reservedForAuthenticated: number;
  /** Anonymous connections one client (address, IPv6 /64) may hold at once. */
  perAddress: number;
  /** A request head (and a TLS handshake) must arrive within this. */
  headersMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveMs: number;
  /** A request body must arrive whole within this… */
  bodyMs: number;
  /** …and at least this fast on average after its first 2 s (0: no minimum). */
  minBodyBytesPerSecond: number;
  /** An unauthenticated request must be done (head, body, answer) within this. */
  anonymousRequestMs: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimitSettings = {
  maxConnections: 4000,
  reservedForAuthenticated: 1000,
  perAddress: 64,
  headersMs: 10_000,
  keepAliveMs: 5_000,
  bodyMs: 10_000,
  // Off by default: cutting a slow body early only makes its client come back five times as often
  // (npm run bench:abuse: admin p99 552 → 323 ms under 4,000 slow clients); the whole-body deadline
  // and the caps already bound what a slow body holds.
  minBodyBytesPerSecond: 0,
  anonymousRequestMs: 30_000,
};

/** The settings with defaults for what is absent; throws on nonsense (a negative deadline…). */
export function connectionLimitSettings(given: Partial<ConnectionLimitSettings> = {}, maxConnections?: number): ConnectionLimitSettings {
  const max = given.maxConnections ?? maxConnections ?? DEFAULT_CONNECTION_LIMITS.maxConnections;
  // A quarter kept for authenticated clients unless said otherwise, whatever the total.
  const reserved = given.reservedForAuthenticated ?? Math.max(1, Math.floor(max / 4));
  const s: ConnectionLimitSettings = { ...DEFAULT_CONNECTION_LIMITS, ...given, maxConnections: max, reservedForAuthenticated: reserved };
  for (const [k, v] of Object.entries(s)) {
    const least = k === 'minBodyBytesPerSecond' ? 0 : 1;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < least) throw new Error(`connection limits: ${k} must be a number of at least ${least}, not ${String(v)}`);
  }
  if (reserved >= max) throw new Error(`connection limits: reservedForAuthenticated (${reserved}) must be below maxConnections (${max})`);
  return s;
}

interface Conn {
  socket: net.Socket;
  /** The client key (addressKey) of the socket's peer. */
  key: string;
  viaProxy: boolean;
  authenticated: boolean;
  /** Authenticated requests in flight (a trusted proxy's connection carrying a stream is not evicted). */
  busy: number;
  headTimer: NodeJS.Timeout | null;
}

/** A live connection's identity, the same for a TLS socket and the TCP socket under it. */
const idOf = (s: net.Socket) => `${s.remoteAddress ?? '?'}|${s.remotePort ?? '?'}`;

export class ConnectionLimits {
  readonly settings: ConnectionLimitSettings;
  private readonly conns = new Map<string, Conn>();
  /** Anonymous connections, oldest first (a Map keeps insertion order). */
  private readonly anonymous = new Map<string, Conn>();
  private readonly perKey = new Map<string, number>();
  /** Requests in their anonymous deadline: the timer, and the forwarded-for client it counts for. */
  private readonly pending = new WeakMap<http.IncomingMessage, { timer: NodeJS.Timeout; client: string | null }>();

  constructor(given: Partial<ConnectionLimitSettings> | undefined, maxConnections: number | undefined, private readonly trusted: ReadonlySet<string>, private readonly clientAddress: (req: http.IncomingMessage) => string) {
    this.settings = connectionLimitSettings(given, maxConnections);
  }

  /** Options for http.createServer: Node's own head deadline, checked often enough to matter. */
  get serverOptions(): http.ServerOptions {
    const s = this.settings;
    return { headersTimeout: s.headersMs, requestTimeout: 0, keepAliveTimeout: s.keepAliveMs, connectionsCheckingInterval: Math.min(1000, s.headersMs) };
  }

  /** The same for https.createServer, with a deadline for the TLS handshake. */
  get tlsServerOptions(): http.ServerOptions & { handshakeTimeout: number } {
    return { ...this.serverOptions, handshakeTimeout: this.settings.headersMs };
  }

  attach(server: http.Server): void {
    server.maxConnections = this.settings.maxConnections;
    server.on('connection', (socket: net.Socket) => this.accept(socket));
  }

  private accept(socket: net.Socket): void {
    const id = idOf(socket);
    const address = canonicalAddress(socket.remoteAddress ?? 'unknown');
    const viaProxy = this.trusted.has(address);
    const key = addressKey(address);
    if (!viaProxy && (this.perKey.get(key) ?? 0) >= this.settings.perAddress) return void socket.destroy();
    if (this.anonymous.size >= this.settings.maxConnections - this.settings.reservedForAuthenticated && !this.makeRoomFor(viaProxy ? null : key)) return void socket.destroy();
    const conn: Conn = { socket, key, viaProxy, authenticated: false, busy: 0, headTimer: null };
    conn.headTimer = setTimeout(() => socket.destroy(), this.settings.headersMs);
    conn.headTimer.unref();
    this.conns.set(id, conn);
    this.anonymous.set(id, conn);
    if (!viaProxy) this.perKey.set(key, (this.perKey.get(key) ?? 0) + 1);
    socket.once('close', () => {
      if (conn.headTimer) clearTimeout(conn.headTimer);
      // A new connection may already have the same address and port.
      if (this.conns.get(id) === conn) this.conns.delete(id);
      this.leaveAnonymous(id, conn);
    });
  }

  /**
   * The anonymous share is full: room is made for a newcomer only at the expense of the client that
   * holds the most of it, when that client holds at least two more than the newcomer's address — so a
   * person with nothing open gets in past a flood, while the flood's own new connections are closed at
   * once (cheaply, instead of each pushing out another of its kind). Behind a trusted proxy the
   * address is unknown until the request: the oldest goes, as before.
   */
  private makeRoomFor(key: string | null): boolean {
    let busiest: string | null = null;
    let most = 0;
    if (key !== null) {
      for (const [k, n] of this.perKey) if (n > most) [busiest, most] = [k, n];
      if (busiest === null || most < (this.perKey.get(key) ?? 0) + 2) return false;
    }
    for (const [id, c] of this.anonymous) {
      if (c.busy > 0 || (busiest !== null && c.key !== busiest)) continue;
      this.leaveAnonymous(id, c);
      c.socket.destroy();
      return true;
    }
    return false;
  }

  private leaveAnonymous(id: string, conn: Conn): void {
    if (this.anonymous.get(id) !== conn) return;
    this.anonymous.delete(id);
    if (conn.viaProxy) return;
    const n = (this.perKey.get(conn.key) ?? 1) - 1;
    if (n > 0) this.perKey.set(conn.key, n);
    else this.perKey.delete(conn.key);
  }

  private connOf(req: http.IncomingMessage): Conn | undefined {
    const conn = this.conns.get(idOf(req.socket));
    if (conn?.headTimer) clearTimeout(conn.headTimer);
    if (conn) conn.headTimer = null;
    return conn;
  }

  /**
   * Called first for every request: sets its body deadline and, unless its connection has
   * authenticated, its overall deadline. False when it was refused here (answered 429).
   */
  admit(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    const conn = this.connOf(req);
    setBodyDeadline(req, { ms: this.settings.bodyMs, minBytesPerSecond: this.settings.minBodyBytesPerSecond });
    if (conn?.authenticated) return true;
    let client: string | null = null;
    if (conn?.viaProxy) {
      client = this.clientAddress(req);
      if ((this.perKey.get(client) ?? 0) >= this.settings.perAddress) {
        sendJson(res, 429, { error: { code: 'throttled', message: 'too many unauthenticated requests from this address; try again later' } }, { 'retry-after': '10', connection: 'close' });
        return false;
      }
      this.perKey.set(client, (this.perKey.get(client) ?? 0) + 1);
    }
    const timer = setTimeout(() => this.expire(req, res), this.settings.anonymousRequestMs);
    timer.unref();
    this.pending.set(req, { timer, client });
    // Done when answered and its body is in: an unread body is drained after the answer, and a
    // body dribbled after it must not keep the connection either.
    const settle = () => this.settle(req);
    res.once('finish', () => (req.complete ? settle() : (req.once('end', settle), req.socket.once('close', settle))));
    res.once('close', () => { if (!res.writableFinished) settle(); });
    return true;
  }

  private expire(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.settle(req);
    if (res.headersSent) return void req.socket.destroy();
    sendJson(res, 408, { error: { code: 'request_timeout', message: `unauthenticated requests must be done within ${this.settings.anonymousRequestMs / 1000} s` } }, { connection: 'close' });
    // A client that does not read its answer does not keep the socket either.
    setTimeout(() => req.socket.destroy(), 1000).unref();
  }

  /** Ends a request's anonymous deadline (answered, or authenticated). */
  private settle(req: http.IncomingMessage): void {
    const p = this.pending.get(req);
    if (!p) return;
    this.pending.delete(req);
    clearTimeout(p.timer);
    if (p.client === null) return;
    const n = (this.perKey.get(p.client) ?? 1) - 1;
    if (n > 0) this.perKey.set(p.client, n);
    else this.perKey.delete(p.client);
  }

  /**
   * The request authenticated: no deadline for it, and its connection leaves the anonymous
   * count for good — unless it is a trusted proxy's, which other clients' requests share.
   */
  authenticated(req: http.IncomingMessage): void {
    this.settle(req);
    const id = idOf(req.socket);
    const conn = this.conns.get(id);
    if (!conn || conn.authenticated) return;
    if (conn.viaProxy) {
      conn.busy++;
      req.once('close', () => conn.busy--);
      return;
    }
    conn.authenticated = true;
    this.leaveAnonymous(id, conn);
  }

  /** For the auth callbacks of the proxy and the WebSocket routes: passes `actor` through. */
  authenticatedAs<T>(req: http.IncomingMessage, actor: T | null): T | null {
    // The proxy re-checks with a copy of the headers only (no socket): nothing to mark then.
    if (actor && req.socket) this.authenticated(req);
    return actor;
  }

  /**
   * Called first for every upgrade: the head arrived; an anonymous upgrade has the anonymous
   * deadline to authenticate (a refused one is answered and closed long before).
   */
  admitUpgrade(req: http.IncomingMessage, socket: net.Socket): void {
    if (this.connOf(req)?.authenticated) return;
    const timer = setTimeout(() => {
      this.settle(req);
      socket.destroy();
    }, this.settings.anonymousRequestMs);
    timer.unref();
    this.pending.set(req, { timer, client: null });
    socket.once('close', () => this.settle(req));
  }

  /** After an upgrade handler: a socket still open and writable was upgraded, for someone authenticated. */
  upgraded(req: http.IncomingMessage, socket: net.Socket): void {
    if (!socket.destroyed && !socket.writableEnded) this.authenticated(req);
  }
}

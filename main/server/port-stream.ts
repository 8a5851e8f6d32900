/**
 * A raw byte stream to one port of a workspace, over a WebSocket on the hub's own listener:
 * `GET /api/v1/workspaces/<user>/<name>/ports/<port>/stream` (Upgrade: websocket). What tunnels
 * and `hubdeck workspace forward` use against a remote hub — authenticated like the API,
 * authorized and counted as activity by hub.access.connect, so it refuses exactly what the proxy
 * and the SSH gateway refuse.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, createWebSocketStream, type WebSocket } from 'ws';
import { HubdeckError, errorMessage } from '../core/errors';
import { checkUserName, checkWorkspaceName } from '../core/names';
import { API_PREFIX } from '../api/endpoints';
import { ERROR_CODES } from '../api/error-codes';
import type { Actor } from '../hub/actor';
import type { Hub } from '../hub/hub';
import { PORT_STREAM_PROTOCOL, portStreamDuplex } from '../access/port-stream-wire';
import { HttpError } from './http-errors';
import { guardUpgradeSocket } from '../access/upgrade-socket';

const PATH = new RegExp(`^${API_PREFIX}/workspaces/([^/]+)/([^/]+)/ports/([^/]+)/stream$`);

/** The workspace and port a path names, or null when it is not a port-stream path. */
export function portStreamTarget(pathname: string): { user: string; name: string; port: number } | null {
  const m = PATH.exec(pathname);
  if (!m) return null;
  const [user, name, portText] = [decodeURIComponent(m[1]!), decodeURIComponent(m[2]!), m[3]!];
  if (checkUserName(user) || checkWorkspaceName(name)) throw new HubdeckError('invalid', `${user}/${name} is not a workspace name`, 'name');
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) throw new HubdeckError('invalid', `port: "${portText}" is not a port (1-65535)`, 'port');
  return { user, name, port };
}

/**
 * Port streams one user may hold open at once. Each connection through a tunnel is one stream and
 * a browser opens several per page, so this is far above the API's stream limit (StreamGuard,
 * made for event and log streams); it is there so that one user cannot take every descriptor of
 * the hub (server.maxConnections) from everyone else.
 */
export const PORT_STREAMS_PER_USER = 256;

/** Between the hub's pings on open streams; one still unanswered at the next ends its stream. */
export const HEARTBEAT_MS = 30_000;

export class PortStreams {
  // Clients that speak the port stream's wire form (port-stream-wire.ts) get half-close kept;
  // a plain WebSocket client gets a plain stream.
  private readonly wss = new WebSocketServer({
    noServer: true, perMessageDeflate: false,
    handleProtocols: (offered) => (offered.has(PORT_STREAM_PROTOCOL) ? PORT_STREAM_PROTOCOL : false),
  });
  /** Open streams by the user whose credentials opened them. */
  private readonly open = new Map<string, number>();

  /** Streams that answered the last ping (or are newer than it). */
  private readonly alive = new WeakSet<WebSocket>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly hub: Hub, private readonly auth: (req: http.IncomingMessage) => Actor | null, private readonly perUser = PORT_STREAMS_PER_USER, heartbeatMs = HEARTBEAT_MS) {
    // A client that vanished without a FIN (a laptop gone to sleep) would otherwise hold its
    // workspace connection, its hold and its place in the user's count for good.
    this.heartbeat = setInterval(() => this.ping(), heartbeatMs);
    this.heartbeat.unref();
  }

  /** Serves the upgrade if it is a port stream; false when the path is not one. */
  async upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<boolean> {
    guardUpgradeSocket(socket);
    let upstream: Duplex;
    let target: { user: string; name: string; port: number } | null;
    // Counted from before the connect, so that concurrent upgrades cannot slip past the limit.
    let done = () => {};
    try {
      target = portStreamTarget(new URL(req.url ?? '/', 'http://hub').pathname);
      if (!target) return false;
      const actor = this.auth(req);
      if (!actor) throw new HubdeckError('unauthorized', 'authentication required (Authorization: Bearer <token>)');
      await this.hub.access.running(actor, target, 'and connect again');
      done = this.admit(actor.user);
      // A port stream is `ssh -L P:localhost:PORT`: the workspace's loopback.
      upstream = await this.hub.access.connect(actor, target, target.port, { to: 'loopback' });
    } catch (e) {
      done();
      refuse(socket, e);
      return true;
    }
    // The client may have left while the workspace was being reached.
    if (socket.destroyed) {
      upstream.destroy();
      done();
      return true;
    }
    upstream.on('error', () => socket.destroy());
    const ref = { user: target.user, name: target.name };
    const release = this.hub.access.hold({ reauth: () => this.auth(req), ref, end: () => { upstream.destroy(); socket.destroy(); } });
    let upgraded = false;
    socket.once('close', () => {
      release();
      done();
      // A handshake ws refused (a bad Sec-WebSocket-Key…) never reaches the callback below.
      if (!upgraded) upstream.destroy();
    });
    upstream.once('close', release);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      upgraded = true;
      this.alive.add(ws);
      ws.on('pong', () => this.alive.add(ws));
      const stream = ws.protocol === PORT_STREAM_PROTOCOL ? portStreamDuplex(ws) : createWebSocketStream(ws);
      stream.on('error', () => upstream.destroy());
      upstream.on('error', () => stream.destroy());
      stream.pipe(upstream);
      upstream.pipe(stream);
    });
    return true;
  }

  /** Open port streams now (all users). */
  get size(): number {
    let n = 0;
    for (const c of this.open.values()) n += c;
    return n;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
  }

  private ping(): void {
    for (const ws of this.wss.clients) {
      if (!this.alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.alive.delete(ws);
      ws.ping();
    }
  }

  /** Counts a stream of `user` (429 past the limit); the returned function uncounts it, once. */
  private admit(user: string): () => void {
    if ((this.open.get(user) ?? 0) >= this.perUser) {
      throw new HttpError('throttled', `${user} has ${this.perUser} port streams open, the limit per user; close some connections first`);
    }
    this.open.set(user, (this.open.get(user) ?? 0) + 1);
    let counted = true;
    return () => {
      if (!counted) return;
      counted = false;
      const n = (this.open.get(user) ?? 1) - 1;
      if (n > 0) this.open.set(user, n);
      else this.open.delete(user);
    };
  }
}

/** An HTTP refusal on the raw socket, with the API's error body, before any upgrade. */
function refuse(socket: Duplex, e: unknown): void {
  const err = e instanceof HubdeckError || e instanceof HttpError ? e : new HubdeckError('engine', errorMessage(e));
  const field = err instanceof HubdeckError && err.field ? { field: err.field } : {};
  const body = JSON.stringify({ error: { code: err.code, message: err.message, ...field } });
  const status = ERROR_CODES[err.code].status;
  const retry = err.code === 'throttled' ? 'retry-after: 10\r\n' : '';
  socket.end(`HTTP/1.1 ${status} ${err.code}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${retry}connection: close\r\n\r\n${body}`);
}

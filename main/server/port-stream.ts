/**
 * A raw byte stream to one port of a workspace, over a WebSocket on the hub's own listener:
 * `GET /api/v1/workspaces/<user>/<name>/ports/<port>/stream` (Upgrade: websocket). What tunnels
 * and `hubdeck workspace forward` use against a remote hub — authenticated like the API,
 * authorized and counted as activity by hub.access.connect, so it refuses exactly what the proxy
 * and the SSH gateway refuse.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { HubdeckError } from '../core/errors';
import { checkUserName, checkWorkspaceName } from '../core/names';
import { API_PREFIX } from '../api/endpoints';
import { ERROR_CODES } from '../api/error-codes';
import type { Actor } from '../hub/actor';
import type { Hub } from '../hub/hub';

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

export class PortStreams {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

  constructor(private readonly hub: Hub, private readonly auth: (req: http.IncomingMessage) => Actor | null) {}

  /** Serves the upgrade if it is a port stream; false when the path is not one. */
  async upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<boolean> {
    let upstream: Duplex;
    let target: { user: string; name: string; port: number } | null;
    try {
      target = portStreamTarget(new URL(req.url ?? '/', 'http://hub').pathname);
      if (!target) return false;
      const actor = this.auth(req);
      if (!actor) throw new HubdeckError('unauthorized', 'authentication required (Authorization: Bearer <token>)');
      await this.hub.access.running(actor, target, 'and connect again');
      upstream = await this.hub.access.connect(actor, target, target.port);
    } catch (e) {
      refuse(socket, e);
      return true;
    }
    const ref = { user: target.user, name: target.name };
    const release = this.hub.access.hold({ reauth: () => this.auth(req), ref, end: () => { upstream.destroy(); socket.destroy(); } });
    socket.once('close', release);
    upstream.once('close', release);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const stream = createWebSocketStream(ws);
      stream.on('error', () => upstream.destroy());
      upstream.on('error', () => stream.destroy());
      stream.pipe(upstream);
      upstream.pipe(stream);
    });
    return true;
  }

  close(): void {
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
  }
}

/** An HTTP refusal on the raw socket, with the API's error body, before any upgrade. */
function refuse(socket: Duplex, e: unknown): void {
  const err = e instanceof HubdeckError ? e : new HubdeckError('engine', e instanceof Error ? e.message : String(e));
  const body = JSON.stringify({ error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } });
  const status = ERROR_CODES[err.code].status;
  socket.end(`HTTP/1.1 ${status} ${err.code}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

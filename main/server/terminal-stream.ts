/**
 * A terminal in a workspace, over a WebSocket on the hub's own listener:
 * `GET /api/v1/workspaces/<user>/<name>/terminal?cols=&rows=` (Upgrade: websocket). What the
 * UI's terminal tab (xterm.js) speaks. Authenticated like the API (Bearer or the session cookie),
 * or by a one-time login code (`?code=`, from POST /login-codes): how the desktop app, whose page
 * has no session with the hub, opens one — the code is the credential, so its Origin ("null" for
 * the app's file:// page) does not matter. Authorized by hub.access.exec exactly like an SSH shell through the gateway, so it refuses
 * what the gateway refuses and counts as a session for idle culling.
 *
 * Wire: binary frames are raw terminal bytes both ways; text frames from the client are JSON
 * control messages (`{"type":"resize","cols":120,"rows":40}`). The process is ended (with all it
 * started) when the socket goes; the socket is closed with the exit code when the shell exits.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { HubdeckError, errorMessage } from '../core/errors';
import { checkUserName, checkWorkspaceName } from '../core/names';
import { API_PREFIX } from '../api/endpoints';
import { ERROR_CODES } from '../api/error-codes';
import { shellCommand } from '../access/ssh-session-plan';
import type { ExecSession } from '../engine/engine';
import type { Actor } from '../hub/actor';
import type { Hub } from '../hub/hub';
import { fromOwnOrigin } from './same-origin';
import { HttpError } from './http-errors';
import { guardUpgradeSocket } from '../access/upgrade-socket';

const PATH = new RegExp(`^${API_PREFIX}/workspaces/([^/]+)/([^/]+)/terminal$`);

/** A terminal dimension: a whole number from 1 to 1000, or null. */
function dimension(v: unknown): number | null {
  const n = typeof v === 'string' && /^\d{1,4}$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 1000 ? n : null;
}

export interface TerminalTarget { user: string; name: string; cols: number; rows: number }

/** The workspace and initial size a URL names, or null when it is not a terminal path. */
export function terminalTarget(url: URL): TerminalTarget | null {
  const m = PATH.exec(url.pathname);
  if (!m) return null;
  const [user, name] = [decodeURIComponent(m[1]!), decodeURIComponent(m[2]!)];
  if (checkUserName(user) || checkWorkspaceName(name)) throw new HubdeckError('invalid', `${user}/${name} is not a workspace name`, 'name');
  const cols = dimension(url.searchParams.get('cols') ?? 80);
  const rows = dimension(url.searchParams.get('rows') ?? 24);
  if (cols === null || rows === null) throw new HubdeckError('invalid', 'cols and rows must be whole numbers from 1 to 1000', 'cols');
  return { user, name, cols, rows };
}

/**
 * Browsers send cookies with a cross-site WebSocket upgrade (no CORS there), so a page on
 * another site could drive a signed-in user's terminal. An Origin header, when present, must be
 * the hub's own (same host as the request). Non-browser clients send none and use a Bearer token.
 */

/** A control message from the client: a resize, or null for anything else (ignored). */
export function parseControl(text: string): { cols: number; rows: number } | null {
  try {
    const m = JSON.parse(text) as unknown;
    if (typeof m !== 'object' || m === null || (m as { type?: unknown }).type !== 'resize') return null;
    const cols = dimension((m as { cols?: unknown }).cols);
    const rows = dimension((m as { rows?: unknown }).rows);
    return cols !== null && rows !== null ? { cols, rows } : null;
  } catch {
    return null;
  }
}

export class TerminalStreams {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1024 * 1024 });
  private readonly sessions = new Set<ExecSession>();

  constructor(private readonly hub: Hub, private readonly auth: (req: http.IncomingMessage) => Actor | null) {}

  /** Serves the upgrade if it is a terminal; false when the path is not one. */
  async upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<boolean> {
    guardUpgradeSocket(socket);
    let target: TerminalTarget | null;
    let exec: ExecSession;
    let reauth = () => this.auth(req);
    // One of the user's places for open connections, taken before the shell starts.
    let place = () => {};
    try {
      const url = new URL(req.url ?? '/', 'http://hub');
      target = terminalTarget(url);
      if (!target) return false;
      const code = url.searchParams.get('code');
      if (code !== null) reauth = this.codeSession(code);
      else if (!fromOwnOrigin(req, null)) throw new HubdeckError('forbidden', `a terminal may only be opened from the hub's own pages (Origin ${String(req.headers.origin)} refused)`);
      const actor = reauth();
      if (!actor) throw new HubdeckError('unauthorized', 'authentication required (Authorization: Bearer <token>)');
      await this.hub.access.running(actor, target, 'and open the terminal again');
      place = this.hub.access.reserve(actor);
      exec = await this.hub.access.exec(actor, target, {
        cmd: shellCommand(), tty: true, stdin: true, cols: target.cols, rows: target.rows, env: { TERM: 'xterm-256color' },
      });
    } catch (e) {
      place();
      refuse(socket, e);
      return true;
    }
    const close = () => { void exec.close().catch(() => undefined); };
    if (socket.destroyed) {
      place();
      close();
      return true;
    }
    this.sessions.add(exec);
    const ref = { user: target.user, name: target.name };
    // Rights are re-checked while the terminal stays open (revoked token, blocked user…).
    const release = this.hub.access.hold({ reauth, ref, end: () => { close(); socket.destroy(); } });
    socket.once('close', () => {
      release();
      place();
      this.sessions.delete(exec);
      close();
    });
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wire(ws, exec));
    return true;
  }

  /** Redeems a one-time login code (once) for a session: who the terminal acts as, for as long as it lasts. */
  private codeSession(code: string): () => Actor | null {
    const { session } = this.hub.sessions.redeem(code);
    return () => this.hub.sessions.authenticate(session);
  }

  /** Open terminals now (all users). */
  get size(): number {
    return this.sessions.size;
  }

  close(): void {
    for (const s of this.sessions) void s.close().catch(() => undefined);
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
  }

  private wire(ws: WebSocket, exec: ExecSession): void {
    exec.stdin?.on('error', () => undefined);
    ws.on('message', (data: RawData, binary: boolean) => {
      if (!binary) {
        const r = parseControl(data.toString());
        if (r) void exec.resize(r.cols, r.rows).catch(() => undefined);
        return;
      }
      exec.stdin?.write(Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]));
    });
    const out = (d: Buffer) => { if (ws.readyState === ws.OPEN) ws.send(d, { binary: true }); };
    exec.stdout.on('data', out);
    exec.stderr.on('data', out);
    void exec.exitCode().then((code) => {
      // 1000 normal; the reason carries the exit code for the UI to show.
      if (ws.readyState === ws.OPEN) ws.close(1000, `exit ${code}`);
    }, () => ws.close(1011, 'the shell ended unexpectedly'));
    ws.on('error', () => undefined);
  }
}

/** An HTTP refusal on the raw socket, with the API's error body, before any upgrade. */
function refuse(socket: Duplex, e: unknown): void {
  const err = e instanceof HubdeckError || e instanceof HttpError ? e : new HubdeckError('engine', errorMessage(e));
  const field = err instanceof HubdeckError && err.field ? { field: err.field } : {};
  const body = JSON.stringify({ error: { code: err.code, message: err.message, ...field } });
  const status = ERROR_CODES[err.code].status;
  socket.end(`HTTP/1.1 ${status} ${err.code}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

/**
 * A client for a hub's terminal socket (GET …/workspaces/<user>/<name>/terminal, WebSocket),
 * signed in by a one-time login code and TLS-pinned like the hub's API client. The desktop app
 * relays it to its page over IPC (main/shell/desktop-terminals.ts).
 */
import WebSocket, { type RawData } from 'ws';
import { HubdeckError } from '../core/errors';
import { PinnedAgent } from './pinned-agent';

export interface TerminalRequest {
  hubUrl: string;
  /** The hub's pinned certificate (SHA-256), for self-signed team hubs. */
  fingerprint: string | null;
  /** A one-time login code of the hub, minted for this terminal: its only credential. */
  code: string;
  user: string;
  name: string;
  cols: number;
  rows: number;
}

export interface TerminalConnection {
  send(data: Uint8Array): void;
  resize(cols: number, rows: number): void;
  close(): void;
  terminate(): void;
  /** Output bytes; then `onEnd` once (normal: the shell exited, with "exit N" as the reason). */
  onData(listener: (data: Uint8Array) => void): void;
  onEnd(listener: (normal: boolean, reason: string) => void): void;
  readonly open: boolean;
}

export function terminalSocketUrl(r: TerminalRequest): URL {
  const url = new URL(`/api/v1/workspaces/${encodeURIComponent(r.user)}/${encodeURIComponent(r.name)}/terminal`, r.hubUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = new URLSearchParams({ code: r.code, cols: String(r.cols), rows: String(r.rows) }).toString();
  return url;
}

/** Connects; resolves once the hub has accepted the terminal, rejects with its refusal in its words. */
export async function connectTerminal(r: TerminalRequest): Promise<TerminalConnection> {
  const url = terminalSocketUrl(r);
  const agent = url.protocol === 'wss:' && r.fingerprint ? new PinnedAgent(r.fingerprint) : undefined;
  const ws = new WebSocket(url, { agent, perMessageDeflate: false, handshakeTimeout: 15_000 });
  await accepted(ws);
  ws.on('error', () => undefined);
  return {
    send: (data) => ws.send(data, { binary: true }),
    resize: (cols, rows) => ws.send(JSON.stringify({ type: 'resize', cols, rows })),
    close: () => ws.close(),
    terminate: () => ws.terminate(),
    onData: (listener) => ws.on('message', (d: RawData) => listener(new Uint8Array(toBuffer(d)))),
    onEnd: (listener) => ws.once('close', (code, reason) => listener(code === 1000, reason.toString() || 'the hub closed the terminal')),
    get open() { return ws.readyState === WebSocket.OPEN; },
  };
}

function accepted(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', (e) => reject(new HubdeckError('unavailable', `could not open the terminal: ${e.message}`)));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        let message = `the hub refused the terminal (HTTP ${res.statusCode})`;
        try {
          message = (JSON.parse(body) as { error: { message: string } }).error.message;
        } catch {
          // not the API's error body: keep the status
        }
        reject(new HubdeckError(res.statusCode === 403 ? 'forbidden' : res.statusCode === 401 ? 'unauthorized' : 'unavailable', message));
      });
    });
  });
}

function toBuffer(d: RawData): Buffer {
  return Buffer.isBuffer(d) ? d : Array.isArray(d) ? Buffer.concat(d) : Buffer.from(d);
}

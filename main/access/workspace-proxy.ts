/**
 * The hub's HTTP + WebSocket proxy: `/user/<user>/<workspace>/…` to the workspace's web port,
 * through `hub.access` (so authorization and activity are the hub's, and any engine works), with
 * http-proxy-3 doing the HTTP/1.1 and WebSocket work over the engine's streams. The caller's own
 * credentials (header, cookie or `?token=`) never reach the workspace; the web app's secret is
 * presented on their behalf. Who the caller is, and on which origin, is the server's business
 * (workspace-site.ts); this forwards.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';
import { HubdeckError, errorMessage } from '../core/errors';
import { ownerActor, type Actor } from '../hub/actor';
import type { Hub } from '../hub/hub';
import type { WorkspaceRef } from '../engine/engine';
import { ERROR_CODES } from '../api/error-codes';
import { WorkspaceAgent } from './workspace-agent';
import { sendPage } from './proxy-pages';
import { isHubCookieName, withoutHubCookies } from './hub-cookies';
import { guardUpgradeSocket } from './upgrade-socket';
import { withoutUrlToken } from './url-token';

/** Who a request is (from its Authorization header or session cookie), or null. */
export type ProxyAuth = (req: IncomingMessage) => Actor | null;

/** How long a workspace's port and secret are trusted without asking the engine again. */
const TARGET_TTL_MS = 10_000;

/**
 * What a workspace may not answer with: our cookies (it would plant or shadow a visitor's session),
 * a service worker scope wider than its own path (it would take over pages it does not serve), and
 * Clear-Site-Data (on a shared origin it would sign the visitor out of the hub).
 */
export function sanitizeWorkspaceHeaders(headers: IncomingHttpHeaders): void {
  delete headers['service-worker-allowed'];
  delete headers['clear-site-data'];
  const cookies = headers['set-cookie'];
  if (cookies) {
    const kept = cookies.filter((c) => !isHubCookieName(c.split('=')[0] ?? ''));
    if (kept.length) headers['set-cookie'] = kept;
    else delete headers['set-cookie'];
  }
}

export class WorkspaceProxy {
  private readonly proxy = createProxyServer({ xfwd: true });
  private readonly agents = new Map<string, WorkspaceAgent>();
  /**
   * Where each workspace's web app is and its secret, asked of the engine once and kept until the
   * workspace changes state (or briefly, for changes made behind the hub's back): every request is
   * still authorized, but not every request costs engine calls.
   */
  private readonly targets = new Map<string, { port: number; webToken: string | null; until: number }>();
  private readonly refreshing = new Set<string>();
  private readonly off: () => void;

  constructor(private readonly hub: Hub) {
    this.proxy.on('error', (err, req, res) => {
      if (res && 'writeHead' in res) sendPage(req, res as ServerResponse, 502, 'engine', 'The workspace did not answer', `${err.message}. It may still be starting: reload in a moment.`);
      else (res as Duplex | undefined)?.destroy();
    });
    this.proxy.on('proxyRes', (proxyRes) => sanitizeWorkspaceHeaders(proxyRes.headers));
    // The 101 answer of a WebSocket is written from the same headers: clean them first.
    this.proxy.on('proxyReqWs', (proxyReq) => proxyReq.prependListener('upgrade', (proxyRes: IncomingMessage) => sanitizeWorkspaceHeaders(proxyRes.headers)));
    // A stopped or removed workspace's pooled connections are dead: drop them.
    this.off = hub.bus.subscribe((e) => {
      if (e.type === 'workspace.state' || e.type === 'workspace.removed') this.targets.delete(`${e.user}/${e.name}`);
      if ((e.type === 'workspace.state' && e.state !== 'running') || e.type === 'workspace.removed') this.dropAgents({ user: e.user, name: e.name });
    });
  }

  /** Forwards a request the caller authenticated as `actor` to the workspace, if `actor` may open it. */
  async forward(req: IncomingMessage, res: ServerResponse, actor: Actor, ref: WorkspaceRef): Promise<void> {
    try {
      const agent = await this.prepare(req, actor, ref);
      this.proxy.web(req, res, { target: 'http://workspace', agent });
    } catch (e) {
      this.refuse(req, res, e);
    }
  }

  /**
   * Forwards a WebSocket upgrade; the socket stays open only while `reauth` (its credentials asked
   * again) stands for someone allowed in — revoked, blocked, demoted, signed out: ended.
   */
  async forwardUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, actor: Actor, ref: WorkspaceRef, reauth: () => Actor | null): Promise<void> {
    guardUpgradeSocket(socket);
    let place = () => {};
    try {
      place = this.hub.access.reserve(actor);
      const agent = await this.prepare(req, actor, ref);
      // The client may have left while the workspace was being reached: its 'close' has been and
      // gone, so a hold registered now would never be released.
      if (socket.destroyed) return place();
      const release = this.hub.access.hold({ reauth, ref, end: () => socket.destroy() });
      socket.once('close', () => { release(); place(); });
      this.proxy.ws(req, socket, head, { target: 'ws://workspace', agent });
      // After http-proxy's own setup (keep-alive at the OS default, ~2 h): a client that vanished
      // without a word (a dropped network) gives its place back within minutes.
      (socket as Duplex & { setKeepAlive?: (on: boolean, ms: number) => void }).setKeepAlive?.(true, 60_000);
    } catch (e) {
      place();
      const code = e instanceof HubdeckError ? e.code : 'engine';
      socket.end(`HTTP/1.1 ${ERROR_CODES[code].status} ${code}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    }
  }

  /** Authorizes, checks the workspace runs, and rewrites the credentials; returns its agent. */
  private async prepare(req: IncomingMessage, actor: Actor, ref: WorkspaceRef): Promise<WorkspaceAgent> {
    const t = await this.target(actor, ref);
    delete req.headers.authorization;
    // A `?token=` is the visitor's hub token (or a guess at one): never the workspace's to see.
    req.url = withoutUrlToken(req.url ?? '/');
    const cookies = withoutHubCookies(req.headers.cookie);
    if (cookies) req.headers.cookie = cookies;
    else delete req.headers.cookie;
    if (t.webToken) req.headers.authorization = `token ${t.webToken}`;
    return this.agentFor(ref, t.port);
  }

  private async target(actor: Actor, ref: WorkspaceRef): Promise<{ port: number; webToken: string | null }> {
    const key = `${ref.user}/${ref.name}`;
    const cached = this.targets.get(key);
    if (cached) {
      this.hub.access.authorize(actor, ref);
      // Past its time, an entry is still served while one refresh runs behind it, so requests
      // never queue on engine calls; changes the hub makes drop entries at once (the bus above).
      if (cached.until <= Date.now() && !this.refreshing.has(key)) {
        this.refreshing.add(key);
        void this.hub.access.target(actor, ref).then(
          (t) => { if (this.targets.get(key) === cached) this.targets.set(key, { port: t.port, webToken: t.webToken, until: Date.now() + TARGET_TTL_MS }); },
          () => { if (this.targets.get(key) === cached) this.targets.delete(key); },
        ).finally(() => this.refreshing.delete(key));
      }
      return cached;
    }
    const t = await this.hub.access.target(actor, ref);
    const entry = { port: t.port, webToken: t.webToken, until: Date.now() + TARGET_TTL_MS };
    this.targets.set(key, entry);
    return entry;
  }

  private agentFor(ref: WorkspaceRef, port: number): WorkspaceAgent {
    const key = `${ref.user}/${ref.name}:${port}`;
    let agent = this.agents.get(key);
    if (!agent) {
      // Connections are opened as the owner: each request was authorized before it got here.
      agent = new WorkspaceAgent(() => this.hub.access.connect(ownerActor(ref), ref, port));
      this.agents.set(key, agent);
    }
    return agent;
  }

  private dropAgents(ref: WorkspaceRef): void {
    for (const [key, agent] of this.agents) {
      if (key.startsWith(`${ref.user}/${ref.name}:`)) {
        agent.destroy();
        this.agents.delete(key);
      }
    }
  }

  private refuse(req: IncomingMessage, res: ServerResponse, e: unknown): void {
    if (!(e instanceof HubdeckError)) return sendPage(req, res, 502, 'engine', 'The workspace could not be reached', errorMessage(e));
    const titles: Partial<Record<string, string>> = { forbidden: 'Not your workspace', not_found: 'No such workspace', conflict: 'The workspace is not running', unavailable: 'The engine cannot be reached' };
    const status = e.code === 'conflict' ? 503 : ERROR_CODES[e.code].status;
    sendPage(req, res, status, e.code, titles[e.code] ?? 'Cannot open the workspace', e.message);
  }

  close(): void {
    this.off();
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
    this.targets.clear();
    this.proxy.close();
  }
}

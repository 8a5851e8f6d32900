/**
 * The hub's HTTP + WebSocket proxy: `/user/<user>/<workspace>/…` to the workspace's web port,
 * through `hub.access` (so authorization and activity are the hub's, and any engine works), with
 * http-proxy-3 doing the HTTP/1.1 and WebSocket work over the engine's streams. The caller's own
 * credentials never reach the workspace; the web app's secret is presented on their behalf.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';
import { HubdeckError } from '../core/errors';
import type { Actor } from '../hub/actor';
import type { Hub } from '../hub/hub';
import type { WorkspaceRef } from '../engine/engine';
import { ERROR_CODES } from '../api/error-codes';
import { WorkspaceAgent } from './workspace-agent';
import { parseProxyPath } from './proxy-path';
import { sendPage, wantsJson } from './proxy-pages';

/** Who a request is (from its Authorization header or session cookie), or null. */
export type ProxyAuth = (req: IncomingMessage) => Actor | null;

/** How long a workspace's port and secret are trusted without asking the engine again. */
const TARGET_TTL_MS = 10_000;

/** Our own credentials, removed before a request goes to a workspace. */
export const SESSION_COOKIE = 'hubdeck-session';

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

  constructor(private readonly hub: Hub, private readonly auth: ProxyAuth, private readonly loginPath = '/hub/login') {
    this.proxy.on('error', (err, req, res) => {
      if (res && 'writeHead' in res) sendPage(req, res as ServerResponse, 502, 'engine', 'The workspace did not answer', `${err.message}. It may still be starting: reload in a moment.`);
      else (res as Duplex | undefined)?.destroy();
    });
    // A stopped or removed workspace's pooled connections are dead: drop them.
    this.off = hub.bus.subscribe((e) => {
      if (e.type === 'workspace.state' || e.type === 'workspace.removed') this.targets.delete(`${e.user}/${e.name}`);
      if ((e.type === 'workspace.state' && e.state !== 'running') || e.type === 'workspace.removed') this.dropAgents({ user: e.user, name: e.name });
    });
  }

  /** Proxies the request if it is for a workspace; false when the path is not one. */
  async web(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://hub');
    const p = parseProxyPath(url.pathname);
    if (!p) return false;
    if ('redirect' in p) {
      res.writeHead(302, { location: `${p.redirect}${url.search}` });
      res.end();
      return true;
    }
    const actor = this.auth(req);
    if (!actor) {
      if (!wantsJson(req) && req.method === 'GET') {
        res.writeHead(302, { location: `${this.loginPath}?next=${encodeURIComponent(url.pathname + url.search)}`, 'cache-control': 'no-store' });
        res.end();
      } else sendPage(req, res, 401, 'unauthorized', 'Sign in first', 'this workspace needs a token (Authorization: Bearer) or a hub session');
      return true;
    }
    try {
      const agent = await this.prepare(req, actor, p.ref);
      this.proxy.web(req, res, { target: 'http://workspace', agent });
    } catch (e) {
      this.refuse(req, res, e);
    }
    return true;
  }

  /** Proxies a WebSocket upgrade for a workspace; false when the path is not one. */
  async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<boolean> {
    const p = parseProxyPath(new URL(req.url ?? '/', 'http://hub').pathname);
    if (!p || 'redirect' in p) return false;
    const actor = this.auth(req);
    try {
      if (!actor) throw new HubdeckError('unauthorized', 'sign in first');
      // Read before prepare() strips our credentials from the request the workspace will see.
      const reauth = this.reauthOf(req);
      const agent = await this.prepare(req, actor, p.ref);
      // The socket stays open only while its credentials do (revoked, blocked, demoted: ended).
      const release = this.hub.access.hold({ reauth, ref: p.ref, end: () => socket.destroy() });
      socket.once('close', release);
      this.proxy.ws(req, socket, head, { target: 'ws://workspace', agent });
    } catch (e) {
      const code = e instanceof HubdeckError ? e.code : 'engine';
      socket.end(`HTTP/1.1 ${ERROR_CODES[code].status} ${code}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    }
    return true;
  }

  /** Who the request's credentials stand for, asked again later (from a copy of its headers). */
  private reauthOf(req: IncomingMessage): () => Actor | null {
    const copy = { headers: { authorization: req.headers.authorization, cookie: req.headers.cookie } } as IncomingMessage;
    return () => this.auth(copy);
  }

  /** Authorizes, checks the workspace runs, and rewrites the credentials; returns its agent. */
  private async prepare(req: IncomingMessage, actor: Actor, ref: WorkspaceRef): Promise<WorkspaceAgent> {
    const t = await this.target(actor, ref);
    delete req.headers.authorization;
    const cookies = (req.headers.cookie ?? '').split(';').map((c) => c.trim()).filter((c) => c && !c.startsWith(`${SESSION_COOKIE}=`));
    if (cookies.length) req.headers.cookie = cookies.join('; ');
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
      agent = new WorkspaceAgent(() => this.hub.access.connect({ user: ref.user, admin: false }, ref, port));
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
    if (!(e instanceof HubdeckError)) return sendPage(req, res, 502, 'engine', 'The workspace could not be reached', e instanceof Error ? e.message : String(e));
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

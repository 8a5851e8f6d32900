/**
 * Workspaces' pages, each on its own web origin (core/workspace-origin.ts says why). On a workspace's
 * origin only that workspace is served, and only to its own session cookie (or an explicit Bearer
 * token): the hub's cookie never reaches it, its pages cannot call the hub's API with the visitor's
 * rights, and a cookie another workspace plants is void here. A visitor without that cookie makes
 * one hop through the hub's origin (`/hub/workspace-sign-in`): there the hub session says who they
 * are, and a one-time code scoped to this workspace and to this browser (a state cookie) comes back.
 *
 * On the hub's origin, `/user/<user>/<workspace>/…` sends browsers to the workspace's own origin; in
 * path mode only (`--workspace-paths`, unsafe) it is served there as before.
 *
 * `?token=` (access/url-token.ts), as JupyterHub takes it: a program's request or WebSocket may carry
 * its token there, for that request only; a browser's page view trades it at once for the origin's
 * cookie and goes on to the same address without it. The proxy strips it from whatever it forwards.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { HubdeckError } from '../core/errors';
import { workspaceBaseUrl } from '../core/names';
import { isHostOf, isWorkspaceHost, refOfLabel, hostName, WORKSPACE_SIGN_IN_PATH, workspaceOrigin, type WebAccess } from '../core/workspace-origin';
import type { WorkspaceRef } from '../engine/engine';
import type { Actor } from '../hub/actor';
import type { Hub } from '../hub/hub';
import { parseProxyPath } from '../access/proxy-path';
import { sendPage, wantsJson } from '../access/proxy-pages';
import type { WorkspaceProxy } from '../access/workspace-proxy';
import { guardUpgradeSocket } from '../access/upgrade-socket';
import { isPageView, urlTokenOf, withoutUrlToken } from '../access/url-token';
import { clearedCookie, cookieName, cookieValues, setCookie, singleCookie } from '../access/hub-cookies';
import { confirmPage } from './sign-in-confirm';
import { readForm } from './request-body';
import { safeNext } from './auth/safe-next';
import { ERROR_CODES } from '../api/error-codes';
import { fromOwnOrigin } from './same-origin';

/** On the hub's origin: the hop that turns a hub session into a workspace's one-time code. */
export const WORKSPACE_HOP_PATH = '/hub/workspace-sign-in';
const STATE_MAX_AGE_S = 600;
const APP_ONLY = 'This hub has no web address of its own for each workspace (no wildcard DNS name), so workspaces open only in the Hubdeck app, where each window is a separate browser profile. Ask the hub\'s admin for --workspace-host to open them in a browser.';

export interface SiteDeps {
  hub: Hub;
  /** This server's web access (each server has its own: the loopback one, a LAN one). */
  web: () => WebAccess;
  proxy: WorkspaceProxy;
  secure: boolean;
  /** The Bearer token's actor and how to ask again; null without one (a bad one is refused by the caller). */
  bearer(req: IncomingMessage): { actor: Actor; reauth: () => Actor | null } | null;
  /** A `?token=` checked the throttled way (a wrong one is a failed attempt); null when not valid. */
  urlToken(req: IncomingMessage, token: string): Promise<{ actor: Actor; reauth: () => Actor | null } | null>;
  /** The hub session's actor (hub origin only). */
  hubSession(req: IncomingMessage): { actor: Actor; reauth: () => Actor | null } | null;
  /** Marks the request's connection as authenticated (it leaves the anonymous deadlines and caps). */
  authenticated(req: IncomingMessage): void;
  loginPath: string;
}

type Credentials = { actor: Actor; reauth: () => Actor | null };

export class WorkspaceSite {
  constructor(private readonly d: SiteDeps) {}

  private get web(): WebAccess {
    return this.d.web();
  }

  /** Whether the request is for a workspace's origin (host mode), not the hub's. */
  isWorkspaceRequest(req: IncomingMessage): boolean {
    return isWorkspaceHost(this.web, req.headers.host);
  }

  /** A request on a workspace's origin: sign-in, or the workspace itself. */
  async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://workspace');
    if (url.pathname === WORKSPACE_SIGN_IN_PATH) return this.signIn(req, res, url);
    const p = parseProxyPath(url.pathname);
    if (!p) return this.elsewhere(req, res, url.pathname);
    if ('redirect' in p) return redirect(res, `${p.redirect}${url.search}`);
    // Only the workspace this origin belongs to: another's path here would share its origin.
    if (!isHostOf(this.web, p.ref, req.headers.host)) return sendPage(req, res, 404, 'not_found', 'Not this workspace\'s address', `${p.ref.name} of ${p.ref.user} is served at ${workspaceOrigin(this.web, p.ref)}`);
    const token = urlTokenOf(url.searchParams);
    if (token !== null && isPageView(req)) return this.tradeUrlToken(req, res, p.ref, url, token);
    const who = (await this.tokenCredentials(req, token)) ?? this.workspaceSession(req, p.ref);
    if (who) return this.d.proxy.forward(req, res, who.actor, p.ref);
    if (token !== null) return sendPage(req, res, 401, 'unauthorized', 'Sign in first', 'the token in this address is invalid, expired or revoked');
    if (req.method === 'GET' && !wantsJson(req)) return this.hop(res, p.ref, `${url.pathname}${url.search}`);
    sendPage(req, res, 401, 'unauthorized', 'Sign in first', 'this workspace needs a token (Authorization: Bearer, or ?token=) or its own sign-in through the hub');
  }

  /** A WebSocket on a workspace's origin, from that origin's own pages (or a program with a token). */
  async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    guardUpgradeSocket(socket);
    const url = new URL(req.url ?? '/', 'http://workspace');
    const p = parseProxyPath(url.pathname);
    if (!p || 'redirect' in p || !isHostOf(this.web, p.ref, req.headers.host)) return refuseSocket(socket, 'not_found');
    if (!fromOwnOrigin(req, workspaceOrigin(this.web, p.ref))) return refuseSocket(socket, 'forbidden');
    // A WebSocket cannot follow a redirect: its `?token=` is taken for this upgrade only.
    const who = (await this.tokenCredentials(req, urlTokenOf(url.searchParams))) ?? this.workspaceSession(req, p.ref);
    if (!who) return refuseSocket(socket, 'unauthorized');
    await this.d.proxy.forwardUpgrade(req, socket, head, who.actor, p.ref, who.reauth);
  }

  /**
   * `/user/<user>/<workspace>/…` on the hub's origin. Host mode: browsers are sent to the workspace's
   * own origin. Path mode: served here, to the hub session, a token, or the workspace's own session.
   */
  async hubPath(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://hub');
    const p = parseProxyPath(url.pathname);
    if (!p) return false;
    if ('redirect' in p) return redirect(res, `${p.redirect}${url.search}`), true;
    const web = this.web;
    if (web.mode === 'host') {
      if (req.method !== 'GET' && req.method !== 'HEAD') sendPage(req, res, 404, 'not_found', 'Workspaces have their own address', `use ${workspaceOrigin(web, p.ref)}${url.pathname}`);
      else redirect(res, `${workspaceOrigin(web, p.ref)}${url.pathname}${url.search}`);
      return true;
    }
    const token = urlTokenOf(url.searchParams);
    // Path mode makes no workspace cookie from a token: the page view goes on without it, signed in as usual.
    if (token !== null && isPageView(req)) return redirect(res, withoutUrlToken(`${url.pathname}${url.search}`)), true;
    if (!web.browsers) return this.appOnly(req, res, p.ref, token), true;
    const who = (await this.tokenCredentials(req, token)) ?? this.d.hubSession(req) ?? this.workspaceSession(req, p.ref);
    if (who) await this.d.proxy.forward(req, res, who.actor, p.ref);
    else if (req.method === 'GET' && !wantsJson(req)) redirect(res, `${this.d.loginPath}?next=${encodeURIComponent(url.pathname + url.search)}`);
    else sendPage(req, res, 401, 'unauthorized', 'Sign in first', 'this workspace needs a token (Authorization: Bearer) or a hub session');
    return true;
  }

  /**
   * Path mode for the app only: a workspace's own session (an app window's) or a token, never the
   * hub's session — a browser holding it would run the workspace's code on the hub's origin.
   */
  private async appOnly(req: IncomingMessage, res: ServerResponse, ref: WorkspaceRef, token: string | null): Promise<void> {
    const who = this.d.hubSession(req) ? null : (await this.tokenCredentials(req, token)) ?? this.workspaceSession(req, ref);
    if (who) return this.d.proxy.forward(req, res, who.actor, ref);
    sendPage(req, res, 403, 'forbidden', 'Open this workspace in the Hubdeck app', APP_ONLY);
  }

  /** Path mode's WebSockets on the hub's origin (its own pages only). */
  async hubPathUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<boolean> {
    guardUpgradeSocket(socket);
    const url = new URL(req.url ?? '/', 'http://hub');
    const p = parseProxyPath(url.pathname);
    const web = this.web;
    if (!p || 'redirect' in p || web.mode === 'host') return false;
    if (!fromOwnOrigin(req, web.hub)) return refuseSocket(socket, 'forbidden'), true;
    const hubSession = this.d.hubSession(req);
    if (!web.browsers && hubSession) return refuseSocket(socket, 'forbidden'), true;
    const who = (await this.tokenCredentials(req, urlTokenOf(url.searchParams))) ?? (web.browsers ? hubSession : null) ?? this.workspaceSession(req, p.ref);
    if (!who) return refuseSocket(socket, 'unauthorized'), true;
    await this.d.proxy.forwardUpgrade(req, socket, head, who.actor, p.ref, who.reauth);
    return true;
  }

  /**
   * The hop on the hub's origin: the visitor's hub session (signing in first if need be) is traded
   * for a one-time code good for this workspace and for the browser holding `state` only.
   */
  async hopHandler(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://hub');
    if (url.pathname !== WORKSPACE_HOP_PATH || req.method !== 'GET') return false;
    if (this.web.mode === 'path' && !this.web.browsers) return sendPage(req, res, 403, 'forbidden', 'Open this workspace in the Hubdeck app', APP_ONLY), true;
    const p = parseProxyPath(`/user/${url.searchParams.get('user') ?? ''}/${url.searchParams.get('name') ?? ''}/`);
    const state = url.searchParams.get('state') ?? '';
    if (!p || 'redirect' in p || !/^[A-Za-z0-9_-]{20,100}$/.test(state)) return sendPage(req, res, 400, 'invalid', 'Not a workspace sign-in', 'open the workspace again'), true;
    const who = this.d.hubSession(req);
    if (!who) return redirect(res, `${this.d.loginPath}?next=${encodeURIComponent(url.pathname + url.search)}`), true;
    if (!this.mayOpen(req, res, who.actor, p.ref)) return true;
    const next = insideWorkspace(p.ref, url.searchParams.get('next'));
    const { code } = this.d.hub.sessions.createLoginCode(who.actor, { scope: p.ref, state, next });
    redirect(res, `${workspaceOrigin(this.web, p.ref)}${WORKSPACE_SIGN_IN_PATH}?code=${encodeURIComponent(code)}`);
    return true;
  }

  /** Trades a code for this origin's session cookie (GET from the hop or a printed link, POST from the app). */
  signIn(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> | void {
    if (req.method === 'POST') return this.signInPost(req, res);
    // A link would put a workspace's session into a browser that may hold the hub's: the app posts.
    if (this.web.mode === 'path' && !this.web.browsers) return sendPage(req, res, 403, 'forbidden', 'Open this workspace in the Hubdeck app', APP_ONLY);
    if (req.method !== 'GET') return sendPage(req, res, 405, 'method_not_allowed', 'Not here', 'sign-in takes GET or POST');
    return this.finishSignIn(req, res, url.searchParams.get('code') ?? '', true);
  }

  private async signInPost(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Another site's form would sign this browser in to a workspace of the attacker's choosing.
    if (req.headers['sec-fetch-site'] === 'cross-site') return sendPage(req, res, 403, 'forbidden', 'Refused', 'sign-in forms from other sites are refused');
    const form = await readForm(req, 8 * 1024);
    return this.finishSignIn(req, res, form.get('code') ?? '', false);
  }

  private finishSignIn(req: IncomingMessage, res: ServerResponse, code: string, viaLink: boolean): void {
    const web = this.web;
    const peek = this.d.hub.sessions.peek(code);
    const scope = peek?.scope ?? null;
    const here = scope && (web.mode === 'path' || isHostOf(web, scope, req.headers.host)) ? scope : null;
    if (!peek || !here) return sendPage(req, res, 401, 'unauthorized', 'This sign-in link has expired or was already used', 'open the workspace again from the app or the hub');
    // A link must not silently put another person's session where this browser has its own.
    const current = this.workspaceSession(req, here);
    if (viaLink && current && current.actor.user !== peek.user) {
      return confirmPage(res, { action: WORKSPACE_SIGN_IN_PATH, code, signInAs: peek.user, current: current.actor.user, what: `${here.name} of ${here.user}` });
    }
    const state = singleCookie(req, cookieName('state', this.d.secure));
    let session: string;
    try {
      session = this.d.hub.sessions.redeem(code, here, state).session;
    } catch (e) {
      return sendPage(req, res, 401, 'unauthorized', 'This sign-in link has expired or was already used', (e as Error).message);
    }
    res.writeHead(302, {
      location: insideWorkspace(here, peek.next), 'cache-control': 'no-store',
      'set-cookie': [setCookie('workspace', session, this.d.secure), clearedCookie(this.d.secure, 'state')],
    });
    res.end();
  }

  /** Sends a visitor without this origin's cookie to the hub to sign in, remembering this browser. */
  private hop(res: ServerResponse, ref: WorkspaceRef, next: string): void {
    const state = randomBytes(24).toString('base64url');
    const q = new URLSearchParams({ user: ref.user, name: ref.name, state, next });
    res.writeHead(302, { location: `${this.web.hub}${WORKSPACE_HOP_PATH}?${q}`, 'cache-control': 'no-store', 'set-cookie': setCookie('state', state, this.d.secure, STATE_MAX_AGE_S) });
    res.end();
  }

  /** A path on a workspace host outside its base path: the root goes to the workspace, the rest is not here. */
  private elsewhere(req: IncomingMessage, res: ServerResponse, pathname: string): void {
    const ref = refOfLabel(hostName(req.headers.host).split('.')[0] ?? '');
    if (pathname === '/' && ref) return redirect(res, workspaceBaseUrl(ref.user, ref.name));
    sendPage(req, res, 404, 'not_found', 'Nothing here', 'this address serves one workspace, under /user/<user>/<workspace>/');
  }

  /** A program's credentials: its Authorization header, else the URL's token. */
  private async tokenCredentials(req: IncomingMessage, urlToken: string | null): Promise<Credentials | null> {
    return this.d.bearer(req) ?? (urlToken === null ? null : await this.d.urlToken(req, urlToken));
  }

  /**
   * A page view with `?token=` (a shared link, a Jupyter client opening a browser): the token is
   * traded at once for this origin's cookie — through a one-time code, so that finishSignIn asks
   * first where the browser holds someone else's session here — and the browser goes on to the same
   * address without it, which is what its history keeps. An invalid token is dropped the same way,
   * and the usual sign-in follows.
   */
  private async tradeUrlToken(req: IncomingMessage, res: ServerResponse, ref: WorkspaceRef, url: URL, token: string): Promise<void> {
    const clean = withoutUrlToken(`${url.pathname}${url.search}`);
    const who = await this.d.urlToken(req, token);
    if (!who) return redirect(res, clean);
    if (!this.mayOpen(req, res, who.actor, ref)) return;
    const { code } = this.d.hub.sessions.createLoginCode(who.actor, { scope: ref, next: clean });
    this.finishSignIn(req, res, code, true);
  }

  /** Whether the actor may open the workspace; if not, the page that says so has been sent. */
  private mayOpen(req: IncomingMessage, res: ServerResponse, actor: Actor, ref: WorkspaceRef): boolean {
    try {
      this.d.hub.access.authorize(actor, ref);
      return true;
    } catch (e) {
      const err = e instanceof HubdeckError ? e : new HubdeckError('forbidden', String(e));
      sendPage(req, res, ERROR_CODES[err.code].status, err.code, 'Not your workspace', err.message);
      return false;
    }
  }

  /** This workspace's own session: the cookie value that is valid here (a planted one of another workspace is not). */
  private workspaceSession(req: IncomingMessage, ref: WorkspaceRef): Credentials | null {
    for (const id of cookieValues(req, cookieName('workspace', this.d.secure))) {
      const reauth = () => this.d.hub.sessions.authenticateWorkspace(id, ref);
      const actor = reauth();
      if (actor) {
        this.d.authenticated(req);
        return { actor, reauth };
      }
    }
    return null;
  }
}

/** `next` when it is a path inside the workspace, else the workspace's base path. */
function insideWorkspace(ref: WorkspaceRef, next: string | null): string {
  const base = workspaceBaseUrl(ref.user, ref.name);
  const safe = safeNext(next);
  return safe.startsWith(base) ? safe : base;
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, 'cache-control': 'no-store' });
  res.end();
}

function refuseSocket(socket: Duplex, code: 'not_found' | 'forbidden' | 'unauthorized'): void {
  socket.end(`HTTP/1.1 ${ERROR_CODES[code].status} ${code}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
}

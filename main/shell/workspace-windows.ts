/**
 * Embedded workspace windows: one per opened workspace (opening it again focuses it), each on its
 * own in-memory session partition, signed in by the main process (a one-time code redeemed here
 * for the session cookie — no token or code in any URL the window sees), navigation kept to the
 * workspace's origin and path prefix, other web links to the system browser, downloads asked for
 * with a save dialog, permission requests denied, and — for a hub with a self-signed certificate —
 * exactly the pinned certificate trusted for that hub's host.
 */
import { X509Certificate } from 'node:crypto';
import type { BrowserWindow as BrowserWindowType, Session } from 'electron';
import { normalizeFingerprint } from '../client/pinned-agent';
import { workspaceScope, workspaceVerdict, type WorkspaceScope } from './navigation-policy';
import { redeemWorkspaceCode, type SessionCookie } from './login-exchange';
import { guardNavigation, guardPermissions } from './window-guard';
import { restoredBounds, workspacePartition, workspaceWebPreferences, type Bounds } from './window-policy';

export interface WorkspaceTarget {
  hubKey: string;
  hubUrl: string;
  /** Pinned certificate of a self-signed hub (any notation), or null. */
  fingerprint: string | null;
  user: string;
  name: string;
  /** A Hubdeck hub: a one-time sign-in to the workspace's own origin (its address and code). */
  signIn?: () => Promise<{ url: string; code: string }>;
  /**
   * A hub whose workspaces are its own pages (capabilities.open "hub-page", a connected JupyterHub)
   * instead: the sign-in link (the server's address carrying a short-lived token), loaded as a
   * top-level page (JupyterHub 3 trades it for its per-server cookie; its pages refuse frames), and
   * the server's path, which the window is kept to.
   */
  hubPage?: { url: string; basePath: string };
}

/** JupyterHub's own sign-in pages a JupyterHub window may pass through when its cookie runs out. */
const JUPYTERHUB_PAGES = ['/hub/api/oauth2/authorize', '/hub/logout'];

export interface WorkspaceWindowDeps {
  BrowserWindow: typeof BrowserWindowType;
  sessionFromPartition: (partition: string) => Session;
  openExternal: (url: string) => unknown;
  displays: () => Bounds[];
  savedBounds: (key: string) => Bounds | undefined;
  saveBounds: (key: string, b: Bounds & { maximized: boolean }) => void;
  /** Redeems the code at the workspace's origin (default: over http(s)); tests may pass the real one too. */
  redeem?: (origin: string, code: string, fingerprint: string | null) => Promise<SessionCookie>;
}

/** Whether a certificate's PEM has the pinned SHA-256. Pure. */
export function certificateMatches(pem: string, pinnedHex: string): boolean {
  try {
    return normalizeFingerprint(new X509Certificate(pem).fingerprint256) === pinnedHex;
  } catch {
    return false;
  }
}

/**
 * A JupyterHub server's window scope: its path on the hub, the hub's sign-in pages, and the hub's
 * own pages for this server it redirects through (/hub/user/… when the cookie is missing,
 * /hub/spawn-pending/… while it starts). Pure.
 */
export function jupyterHubScope(hubUrl: string, basePath: string): WorkspaceScope {
  const hub = new URL(hubUrl);
  const hubPath = hub.pathname.replace(/\/+$/, '');
  const prefix = basePath.endsWith('/') ? basePath : `${basePath}/`;
  const server = prefix.slice(hubPath.length); // "/user/alice/exp1/"
  return {
    origin: hub.origin, prefix, hubPath, extraPages: JUPYTERHUB_PAGES.map((p) => `${hubPath}${p}`),
    extraPrefixes: [`${hubPath}/hub${server}`, `${hubPath}/hub/spawn-pending${server.replace(/^\/user/, '')}`],
  };
}

/** A Hubdeck workspace's window scope: its own origin and base path (`http://w--u.localhost:8586/user/u/w/`). Pure. */
export function ownOriginScope(url: string): WorkspaceScope {
  const at = new URL(url);
  return workspaceScope(at.origin, at.pathname);
}

/** A hub page's window target from the hub's sign-in: the link to load, and the path it is kept to. Pure. */
export function hubPageOf(s: { url: string; signInUrl: string }): { url: string; basePath: string } {
  return { url: s.signInUrl, basePath: new URL(s.url).pathname };
}

export class WorkspaceWindows {
  private readonly open = new Map<string, BrowserWindowType>();

  constructor(private readonly d: WorkspaceWindowDeps) {}

  /** Focuses the workspace's window, or opens one signed in. */
  async show(t: WorkspaceTarget): Promise<BrowserWindowType> {
    const key = `ws:${t.hubKey}/${t.user}/${t.name}`;
    const existing = this.open.get(key);
    if (existing && !existing.isDestroyed()) {
      existing.show();
      existing.focus();
      return existing;
    }
    const partition = workspacePartition(t.hubKey, t.user, t.name);
    const ses = this.d.sessionFromPartition(partition);
    // A Hubdeck workspace lives on its own origin, which the hub names with the one-time code.
    const own = t.hubPage ? null : await this.signInTarget(t);
    this.secureSession(ses, t, own ? new URL(own.url).hostname : null);
    if (own) await this.signIn(ses, own, t.fingerprint);

    const bounds = restoredBounds(this.d.savedBounds(key), this.d.displays());
    // The locked-down preferences (window-policy.ts), the key ones also spelled out here for static checkers.
    const webPreferences = { ...workspaceWebPreferences(partition), contextIsolation: true, sandbox: true, nodeIntegration: false, disableBlinkFeatures: 'Auxclick' };
    const w = new this.d.BrowserWindow({ ...(bounds ?? { width: 1200, height: 800 }), title: `${t.name} — Hubdeck`, show: false, webPreferences });
    const scope = own ? ownOriginScope(own.url) : jupyterHubScope(t.hubUrl, t.hubPage!.basePath);
    // Notebooks open files and consoles with target=_blank: in scope, a sibling window like this one.
    guardNavigation(w.webContents, (url) => workspaceVerdict(url, scope), { openExternal: this.d.openExternal }, () => ({
      action: 'allow', overrideBrowserWindowOptions: { webPreferences },
    }));
    w.once('ready-to-show', () => w.show());
    w.on('close', () => this.d.saveBounds(key, { ...w.getNormalBounds(), maximized: w.isMaximized() }));
    w.on('closed', () => this.open.delete(key));
    this.open.set(key, w);
    await w.loadURL(own?.url ?? t.hubPage!.url);
    return w;
  }

  private async signInTarget(t: WorkspaceTarget): Promise<{ url: string; code: string }> {
    if (!t.signIn) throw new Error('a Hubdeck workspace window needs a sign-in');
    return t.signIn();
  }

  /**
   * A Hubdeck hub: the one-time code is traded here, at the workspace's origin, for that origin's own
   * cookie (never the hub's session), so no URL carries it and the window holds nothing else.
   */
  private async signIn(ses: Session, own: { url: string; code: string }, fingerprint: string | null): Promise<void> {
    const at = new URL(own.url);
    const cookie = await (this.d.redeem ?? redeemWorkspaceCode)(at.origin, own.code, fingerprint);
    await ses.cookies.set({ url: at.origin, name: cookie.name, value: cookie.value, httpOnly: true, secure: at.protocol === 'https:', sameSite: 'lax', path: '/' });
  }

  /** Closes every workspace window (quitting, or a hub removed). */
  closeAll(hubKey?: string): void {
    for (const [k, w] of this.open) if (!hubKey || k.startsWith(`ws:${hubKey}/`)) w.destroy();
  }

  private secureSession(ses: Session, t: WorkspaceTarget, workspaceHost: string | null): void {
    guardPermissions(ses);
    // Downloads: always through the save dialog, never silently into a folder.
    ses.on('will-download', (_e, item) => item.setSaveDialogOptions({ title: `Save a download from ${t.name}` }));
    const pin = t.fingerprint ? normalizeFingerprint(t.fingerprint) : null;
    if (!pin) return;
    const hosts = new Set([new URL(t.hubUrl).hostname.replace(/^\[|\]$/g, ''), ...(workspaceHost ? [workspaceHost] : [])]);
    // Reviewed: TLS is never switched off — this hub's host gets exactly its pinned certificate, every other host Chromium's own verdict.
    ses.setCertificateVerifyProc((req, callback) => { // eng-disable CERTIFICATE_VERIFY_PROC_JS_CHECK
      // -3: Chromium's own verdict (other hosts); 0 / -2: the pinned certificate, or nothing.
      if (!hosts.has(req.hostname)) return callback(-3);
      callback(certificateMatches(req.certificate.data, pin) ? 0 : -2);
    });
  }
}

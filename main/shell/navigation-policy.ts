/**
 * Pure policy for what windows may load (JupyterLab Desktop style: policy here, the guard in
 * window-guard.ts). App windows keep to the app's own origin (file:// or the dev server); a
 * workspace window keeps to its workspace: the hub's origin *and* the workspace's path prefix
 * (/user/<user>/<workspace>/), plus the hub's sign-in page. http(s) links elsewhere go to the system
 * browser; anything else (javascript:, file:, data:, custom schemes) is refused.
 */
export type NavigationVerdict = 'allow' | 'external' | 'deny';

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

const web = (u: URL): NavigationVerdict => (u.protocol === 'https:' || u.protocol === 'http:' ? 'external' : 'deny');

export function navigationVerdict(url: string, allowedOrigins: readonly string[]): NavigationVerdict {
  const u = parse(url);
  if (!u) return 'deny';
  if (u.protocol === 'file:') return allowedOrigins.includes('file://') ? 'allow' : 'deny';
  if (allowedOrigins.includes(u.origin)) return 'allow';
  return web(u);
}

export interface WorkspaceScope {
  /** The hub's origin, e.g. https://10.0.0.5:8585. */
  origin: string;
  /** The workspace's base path on the hub, ending in "/": /user/alice/gpu1/. */
  prefix: string;
  /** The hub's own path ("" for a hub at the root of its origin). */
  hubPath?: string;
  /** More whole paths the window may show (a JupyterHub's OAuth pages). */
  extraPages?: string[];
  /** More path prefixes it may show (a JupyterHub's own redirects for this server). */
  extraPrefixes?: string[];
}

/** Hub pages a workspace window may show besides the workspace: signing in again when a session ends. */
const HUB_PAGES = ['/hub/login'];

/**
 * A workspace window's verdict. Other paths on the same hub (another user's workspace, the hub's
 * API, the admin UI) are neither loaded there nor opened outside: the window is for one workspace.
 * Dot segments and their percent-encoded forms are normalised by URL first, so `/user/a/w/../b/`
 * cannot climb out of the prefix.
 */
export function workspaceVerdict(url: string, scope: WorkspaceScope): NavigationVerdict {
  const u = parse(url);
  if (!u) return 'deny';
  if (u.origin !== scope.origin) return web(u);
  if (/%2e|%2f|%5c/i.test(u.pathname)) return 'deny';
  const path = u.pathname;
  if (path.startsWith(scope.prefix) || `${path}/` === scope.prefix || HUB_PAGES.some((p) => path === `${scope.hubPath ?? ''}${p}`) || (scope.extraPages ?? []).includes(path) || (scope.extraPrefixes ?? []).some((p) => path.startsWith(p) || `${path}/` === p)) return 'allow';
  return 'deny';
}

/** The scope of a workspace on a hub, from the hub's base URL and the workspace's base path. */
export function workspaceScope(hubUrl: string, basePath: string): WorkspaceScope {
  const hub = new URL(hubUrl);
  // A hub behind a reverse proxy under a path keeps its workspaces under that path too.
  const prefix = `${hub.pathname.replace(/\/+$/, '')}${basePath.endsWith('/') ? basePath : `${basePath}/`}`;
  return { origin: hub.origin, prefix, hubPath: hub.pathname.replace(/\/+$/, '') };
}

export { APP_CSP, META_CSP } from '../api/csp';

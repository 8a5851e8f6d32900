/** Proxy paths: `/user/<user>/<workspace>/…` (docs/architecture.md "Access"), parsed strictly. */
import { checkUserName, checkWorkspaceName } from '../core/names';
import type { WorkspaceRef } from '../engine/engine';

export type ProxyPath = { ref: WorkspaceRef; rest: string } | { redirect: string } | null;

export function parseProxyPath(pathname: string): ProxyPath {
  const m = /^\/user\/([^/]+)\/([^/]+)(\/.*)?$/.exec(pathname);
  if (!m) return null;
  let user: string;
  let name: string;
  try {
    user = decodeURIComponent(m[1]!);
    name = decodeURIComponent(m[2]!);
  } catch {
    return null;
  }
  if (checkUserName(user) || checkWorkspaceName(name)) return null;
  // The web app serves under its base URL with the trailing slash.
  if (m[3] === undefined) return { redirect: `/user/${user}/${name}/` };
  return { ref: { user, name }, rest: m[3] };
}

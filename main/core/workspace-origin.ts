/**
 * Where a workspace's web pages live. A workspace serves its user's own code, so it must never share
 * a web origin with the hub's UI and API (JupyterHub GHSA-7r3h-4ph8-w38g, Coder's wildcard access
 * URL): by default each workspace gets its own host, `<workspace>--<user>.<suffix>` — `*.localhost`
 * on one machine (browsers resolve it to loopback, no DNS needed), a wildcard domain on a team hub.
 * Path mode (every workspace under the hub's own origin) exists only behind an explicit, documented
 * flag. Pure: no I/O.
 */
import { createHash } from 'node:crypto';
import { ValidationError } from './errors';
import { workspaceBaseUrl } from './names';

export interface WorkspaceRefLike {
  user: string;
  name: string;
}

/** How a hub gives workspaces their web origins, and where its own pages are. */
export type WebAccess =
  | {
    mode: 'host';
    /** The hub's own origin (`http://127.0.0.1:8586`): sign-in and the API live there. */
    hub: string;
    /** Workspaces are `<label>.<suffix>`: "localhost", or "ws.example.org" for `*.ws.example.org`. */
    suffix: string;
    scheme: 'http' | 'https';
    /** The port browsers use for workspace hosts; null: the scheme's default. */
    port: number | null;
  }
  /**
   * Every workspace under the hub's own origin, for hubs with no DNS of their own (a LAN-shared hub).
   * `browsers: false` (the default there): served only to the Hubdeck app, whose windows are each a
   * separate browser profile holding that one workspace's cookie; a browser that holds the hub's
   * session is refused. `browsers: true` (`--workspace-paths`): served to browsers too — unsafe.
   */
  | { mode: 'path'; hub: string; browsers: boolean };

/** On a workspace's origin: where a one-time code is traded for that origin's own session cookie. */
export const WORKSPACE_SIGN_IN_PATH = '/.hubdeck/sign-in';

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * The DNS label of a workspace's host. `<workspace>--<user>` when that is unambiguous and fits a
 * label (neither name holds "--", ≤ 63 characters); otherwise `ws-<130-bit hash>`, which holds no
 * "--", so the two forms never collide and no two workspaces ever share an origin.
 */
export function workspaceLabel(ref: WorkspaceRefLike): string {
  const plain = `${ref.name}--${ref.user}`;
  if (plain.length <= 63 && !ref.name.includes('--') && !ref.user.includes('--')) return plain;
  const digest = createHash('sha256').update(`${ref.user}/${ref.name}`).digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 26) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return `ws-${out}`;
}

/** `*.ws.example.org` (or `ws.example.org`) → "ws.example.org"; refuses anything that is not a host name. */
export function parseWorkspaceHostPattern(pattern: string): string {
  const suffix = pattern.trim().toLowerCase().replace(/^\*\./, '').replace(/\.$/, '');
  const labels = suffix.split('.');
  if (!suffix || suffix.length > 200 || labels.some((l) => !LABEL.test(l))) {
    throw new ValidationError('workspace-host', `"${pattern}" is not a wildcard host name (use e.g. '*.ws.example.org')`);
  }
  if (/^\d+$/.test(labels[labels.length - 1]!)) throw new ValidationError('workspace-host', `"${pattern}" is an IP address: workspace hosts need a DNS name (a wildcard record pointing at the hub)`);
  return suffix;
}

/** The workspace's origin (`http://gpu1--alice.localhost:8586`); the hub's own in path mode. */
export function workspaceOrigin(web: WebAccess, ref: WorkspaceRefLike): string {
  if (web.mode === 'path') return web.hub;
  return `${web.scheme}://${workspaceLabel(ref)}.${web.suffix}${web.port === null ? '' : `:${web.port}`}`;
}

/** The workspace's address: its origin plus the base URL the web app serves under. */
export function workspaceUrl(web: WebAccess, ref: WorkspaceRefLike): string {
  return `${workspaceOrigin(web, ref)}${workspaceBaseUrl(ref.user, ref.name)}`;
}

/** A Host header without its port, lowercased, trailing dot dropped (`A.Localhost.:80` → "a.localhost"). */
export function hostName(hostHeader: string | undefined): string {
  const h = (hostHeader ?? '').trim().toLowerCase();
  const bare = h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.replace(/:\d*$/, '');
  return bare.replace(/\.$/, '');
}

/**
 * Whether a request's Host is on the workspaces' side of this hub: any name under the workspace suffix
 * but the hub's own. Broader than "a workspace's label": a name under the suffix that names no workspace
 * (`a.b.localhost`) must still never be served the hub, or it would be a second hub origin.
 */
export function isWorkspaceHost(web: WebAccess, hostHeader: string | undefined): boolean {
  if (web.mode !== 'host') return false;
  const host = hostName(hostHeader);
  return host.endsWith(`.${web.suffix}`) && host !== new URL(web.hub).hostname;
}

/** Whether a request's Host is exactly this workspace's host. */
export function isHostOf(web: WebAccess, ref: WorkspaceRefLike, hostHeader: string | undefined): boolean {
  return web.mode === 'host' && hostName(hostHeader) === `${workspaceLabel(ref)}.${web.suffix}`;
}

/** The workspace a readable label names (`gpu1--alice`), or null (a hashed label, or not one). */
export function refOfLabel(label: string): WorkspaceRefLike | null {
  const m = /^([a-z0-9-]+?)--([a-z][a-z0-9-]*)$/.exec(label);
  if (!m || m[1]!.includes('--') || m[2]!.includes('--')) return null;
  return { name: m[1]!, user: m[2]! };
}

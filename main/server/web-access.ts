/**
 * How a served hub gives workspaces their web origins, decided from its options and the address it
 * listens on (see core/workspace-origin.ts for the why). Pure.
 */
import { ValidationError } from '../core/errors';
import { parseWorkspaceHostPattern, type WebAccess } from '../core/workspace-origin';

export interface WebAccessOptions {
  /** `*.ws.example.org`: workspaces on that wildcard domain. Default `*.localhost` (this machine only). */
  workspaceHost?: string;
  /** Every workspace under the hub's own origin: unsafe, for setups that can have neither (documented). */
  workspacePaths?: boolean;
  /** The hub's address as browsers reach it (`https://hub.example.org`); default the listening address. */
  publicUrl?: string;
}

const UNSPECIFIED = new Set(['0.0.0.0', '::', '[::]']);
const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127\./.test(host);

/** "https://hub.example.org:8443/" → its origin; refuses what is not an http(s) origin. */
export function parsePublicUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ValidationError('public-url', `"${text}" is not a URL (use e.g. https://hub.example.org)`);
  }
  if (!/^https?:$/.test(url.protocol) || url.username || url.password || url.search || url.hash || url.pathname !== '/') {
    throw new ValidationError('public-url', `"${text}" must be a plain http(s) origin such as https://hub.example.org:8443`);
  }
  return url;
}

/** Refuses combinations that cannot work, before anything listens. */
export function checkWebAccessOptions(o: WebAccessOptions, listenHost: string): void {
  if (o.workspaceHost && o.workspacePaths) throw new ValidationError('workspace-paths', '--workspace-paths and --workspace-host exclude each other');
  if (o.workspaceHost) parseWorkspaceHostPattern(o.workspaceHost);
  if (o.publicUrl) parsePublicUrl(o.publicUrl);
  if (o.workspaceHost && !o.publicUrl && UNSPECIFIED.has(listenHost)) {
    throw new ValidationError('public-url', '--workspace-host needs --public-url (the hub\'s own address, e.g. https://hub.example.org:8585): workspace pages send browsers there to sign in');
  }
}

/** The start-up line that says where workspaces open, and what a setting gives up. */
export function describeWebAccess(web: WebAccess | null, listenHost: string): string {
  if (!web) return 'workspaces: no web pages served';
  if (web.mode === 'path' && !web.browsers) return `workspaces: opened in the Hubdeck app only (each window its own browser profile): this hub has no wildcard DNS name, so browsers get the hub's pages but not workspaces'. Give --workspace-host '*.ws.example.org' (and --public-url) to open them in browsers too.`;
  if (web.mode === 'path') return `WARNING: path mode (--workspace-paths): every workspace is served under ${web.hub}/user/…, on the hub's own origin; in a browser a workspace's pages can act with its visitor's hub session. Use --workspace-host for a team.`;
  const at = `${web.scheme}://<workspace>--<user>.${web.suffix}${web.port === null ? '' : `:${web.port}`}/`;
  const local = web.suffix === 'localhost' && !isLoopback(listenHost);
  return `workspaces: each on its own origin, ${at}${local ? ' — browsers on this machine only; give --workspace-host (and a wildcard DNS record) for teammates\' browsers' : ''}`;
}

/** The web access of a hub listening at scheme://host:port with these options. */
export function resolveWebAccess(o: WebAccessOptions, listened: { secure: boolean; host: string; port: number }): WebAccess {
  checkWebAccessOptions(o, listened.host);
  const scheme = listened.secure ? 'https' : 'http';
  const bare = UNSPECIFIED.has(listened.host) ? '127.0.0.1' : listened.host;
  const hostPart = bare.includes(':') && !bare.startsWith('[') ? `[${bare}]` : bare;
  const pub = o.publicUrl ? parsePublicUrl(o.publicUrl) : null;
  const hub = pub ? pub.origin : `${scheme}://${hostPart}:${listened.port}`;
  if (o.workspacePaths) return { mode: 'path', hub, browsers: true };
  // No wildcard domain and not on this machine only: `*.localhost` would name the visitor's machine.
  if (!o.workspaceHost && !isLoopback(listened.host)) return { mode: 'path', hub, browsers: false };
  const publicPort = pub ? (pub.port ? Number(pub.port) : null) : listened.port;
  return {
    mode: 'host', hub,
    suffix: o.workspaceHost ? parseWorkspaceHostPattern(o.workspaceHost) : 'localhost',
    scheme: pub ? (pub.protocol === 'https:' ? 'https' : 'http') : scheme,
    port: publicPort,
  };
}

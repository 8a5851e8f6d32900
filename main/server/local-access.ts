/**
 * The local hub's doors on this machine only: the API, the workspace proxy (what embedded windows
 * and browser tabs open) and the SSH gateway, each on a loopback port. The desktop app and
 * `hubdeck ui` start them (serve-hub.ts), so workspaces open and `ssh` works without `hubdeck hub serve`.
 */
import type { Actor } from '../hub/actor';
import type { Hub } from '../hub/hub';
import { serveHub } from './serve-hub';

export interface LocalAccessOptions {
  /** Loopback only: sharing a hub on the LAN is `hub serve` with TLS. */
  host?: '127.0.0.1' | '::1';
  port?: number;
  /** The SSH gateway's port; null: none (ssh then goes through `hubdeck ssh-proxy`). */
  sshPort?: number | null;
  staticDir?: string;
  log?: (message: string) => void;
  /** What to do with a used or expired sign-in link here (browser mode: `hubdeck ui --link`). */
  signInHelp?: string;
}

export interface LocalAccess {
  /** http://127.0.0.1:PORT — the API, /user/<user>/<workspace>/ and the sign-in pages. */
  url: string;
  /** "127.0.0.1:PORT" of the SSH gateway, when it runs. */
  sshAddress: string | null;
  /**
   * A URL that signs `actor` in once (a one-time code valid for `ttlMs`) and lands on `path`: for
   * windows the app opens, so no long-lived token is ever in a URL or a history.
   */
  signInUrl(actor: Actor, path: string, ttlMs?: number): string;
  stop(): Promise<void>;
}

export async function startLocalAccess(hub: Hub, o: LocalAccessOptions = {}): Promise<LocalAccess> {
  const served = await serveHub(hub, {
    host: o.host ?? '127.0.0.1', port: o.port ?? 0, ssh: o.sshPort === null ? null : { port: o.sshPort ?? 0 }, staticDir: o.staticDir, log: o.log, signInHelp: o.signInHelp,
  });
  const { url, sshAddress } = served;
  return {
    url, sshAddress,
    signInUrl: (actor, path, ttlMs = 60_000) => {
      if (!path.startsWith('/') || path.startsWith('//')) throw new Error(`"${path}" is not a path on the hub`);
      const { code } = hub.sessions.createLoginCode(actor, { ttlMs });
      return `${url}/hub/login?code=${encodeURIComponent(code)}&next=${encodeURIComponent(path)}`;
    },
    stop: async () => {
      hub.sshListening(null);
      await served.stop();
    },
  };
}

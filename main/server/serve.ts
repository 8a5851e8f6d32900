/**
 * Headless hub (`hubdeck hub serve`): opens the hub on an engine, serves it (serve-hub.ts: HTTP or
 * HTTPS, and the SSH gateway), runs the timers, and stops cleanly.
 */
import type { WorkspaceEngine } from '../engine/engine';
import { Hub } from '../hub/hub';
import { systemActor } from '../hub/actor';
import type { CreatedToken } from '../api/dto';
import type { ReconcileReport } from '../hub/maintenance';
import type { HubServer } from './hub-server';
import { serveHub } from './serve-hub';
import { certificateCovers, loadTls, selfSignedTls, type TlsIdentity } from './tls-cert';
import { checkWebAccessOptions, type WebAccessOptions } from './web-access';
import type { TeamSignIn } from './auth/team-sign-in';

export type TlsChoice = { mode: 'none' } | { mode: 'self-signed' } | { mode: 'files'; certPath: string; keyPath: string };

export interface ServeOptions {
  /** Makes the engine for the hub's origin (createEngine with the chosen kind and connection). */
  engine: (origin: string) => Promise<WorkspaceEngine>;
  /** Overrides the hub's own origin (by default made on first start and kept in dataDir). */
  origin?: string;
  dataDir: string;
  host: string;
  port: number;
  tls: TlsChoice;
  log?: (m: string) => void;
  /** Seconds between expiry/culling ticks. */
  tickSeconds?: number;
  /** Reverse proxies whose X-Forwarded-For names the client (for the auth throttle). */
  trustedProxies?: string[];
  /** Where to serve the SSH gateway; none: `hubdeck ssh-proxy` is the way in. */
  sshListen?: { host: string; port: number };
  /** The built web UI to serve at `/` (browser mode for teammates without the app). */
  staticDir?: string;
  /** LDAP and/or OpenID Connect sign-in beside tokens. */
  teamSignIn?: TeamSignIn;
  /** Where workspaces' own origins are (`--workspace-host`, `--public-url`, unsafe `--workspace-paths`). */
  web?: WebAccessOptions;
}

export interface RunningHub {
  hub: Hub;
  server: HubServer;
  url: string;
  adminToken: CreatedToken | null;
  tls: TlsIdentity | null;
  reconcile: ReconcileReport;
  /** What the engine says it is (version, host), for the start-up line. */
  engineDescription: string;
  /** "host:port" of the SSH gateway when it serves one. */
  sshAddress: string | null;
  stop(): Promise<void>;
}

export async function startHeadlessHub(o: ServeOptions): Promise<RunningHub> {
  // TLS first: a bad certificate should fail before the hub touches its data or the engine.
  checkWebAccessOptions(o.web ?? {}, o.host);
  const wildcard = o.web?.workspacePaths ? [] : [o.web?.workspaceHost ?? '*.localhost'];
  const tls = o.tls.mode === 'none' ? null : o.tls.mode === 'files' ? loadTls(o.tls.certPath, o.tls.keyPath) : await selfSignedTls(o.dataDir, [o.host, ...wildcard]);
  const uncovered = tls ? wildcard.filter((w) => !certificateCovers(tls.cert, w)) : [];
  if (uncovered.length) o.log?.(`warning: the TLS certificate does not cover ${uncovered.join(', ')}: browsers will refuse workspace pages until it does`);
  // Team hubs before stored origins stamped "hub" on their workspaces.
  const { hub, adminToken, reconcile } = await Hub.open({ engine: o.engine, origin: o.origin, legacyOrigin: 'hub', dataDir: o.dataDir, log: o.log });
  const served = await serveHub(hub, {
    host: o.host, port: o.port, ssh: o.sshListen ?? null,
    tls: tls ?? undefined, log: o.log, trustedProxies: o.trustedProxies, staticDir: o.staticDir, teamSignIn: o.teamSignIn, web: o.web,
  }).catch(async (e: unknown) => {
    await hub.close();
    throw e;
  });
  hub.startTimers((o.tickSeconds ?? 60) * 1000);
  const engineDescription = (await hub.capacity(systemActor('serve'))).description;
  o.teamSignIn?.oidc?.defaultRedirect(served.url);
  return {
    hub, server: served.server, adminToken, tls, reconcile, engineDescription, sshAddress: served.sshAddress, url: served.url,
    stop: async () => {
      await served.stop();
      await hub.close();
    },
  };
}

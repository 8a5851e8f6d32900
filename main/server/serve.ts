/**
 * Headless hub: opens the hub on an engine, serves the API (HTTP or HTTPS), runs the timers, and
 * stops cleanly. `hubdeck hub serve` and the desktop's "share my hub" both start here.
 */
import type { WorkspaceEngine } from '../engine/engine';
import { Hub } from '../hub/hub';
import { systemActor } from '../hub/actor';
import type { CreatedToken } from '../api/dto';
import type { ReconcileReport } from '../hub/maintenance';
import { SshGateway } from '../access/ssh-gateway';
import { createHubServer, type HubServer } from './hub-server';
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

export async function serveHub(o: ServeOptions): Promise<RunningHub> {
  // TLS first: a bad certificate should fail before the hub touches its data or the engine.
  checkWebAccessOptions(o.web ?? {}, o.host);
  const wildcard = o.web?.workspacePaths ? [] : [o.web?.workspaceHost ?? '*.localhost'];
  const tls = o.tls.mode === 'none' ? null : o.tls.mode === 'files' ? loadTls(o.tls.certPath, o.tls.keyPath) : await selfSignedTls(o.dataDir, [o.host, ...wildcard]);
  const uncovered = tls ? wildcard.filter((w) => !certificateCovers(tls.cert, w)) : [];
  if (uncovered.length) o.log?.(`warning: the TLS certificate does not cover ${uncovered.join(', ')}: browsers will refuse workspace pages until it does`);
  // Team hubs before stored origins stamped "hub" on their workspaces.
  const { hub, adminToken, reconcile } = await Hub.open({ engine: o.engine, origin: o.origin, legacyOrigin: 'hub', dataDir: o.dataDir, log: o.log });
  const server = createHubServer({ hub, tls: tls ?? undefined, log: o.log, trustedProxies: o.trustedProxies, staticDir: o.staticDir, teamSignIn: o.teamSignIn, web: o.web });
  const addr = await server.listen(o.host, o.port);
  const ssh = o.sshListen ? await startSshGateway(hub, o.sshListen, o.log).catch(async (e: Error) => {
    await server.close();
    await hub.close();
    throw e;
  }) : null;
  hub.startTimers((o.tickSeconds ?? 60) * 1000);
  const engineDescription = (await hub.capacity(systemActor('serve'))).description;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  o.teamSignIn?.oidc?.defaultRedirect(`${tls ? 'https' : 'http'}://${host}:${addr.port}`);
  return {
    hub, server, adminToken, tls, reconcile, engineDescription, sshAddress: ssh?.address ?? null,
    url: `${tls ? 'https' : 'http'}://${host}:${addr.port}`,
    stop: async () => {
      await ssh?.gateway.close();
      await server.close();
      await hub.close();
    },
  };
}

async function startSshGateway(hub: Hub, at: { host: string; port: number }, log?: (m: string) => void): Promise<{ gateway: SshGateway; address: string }> {
  const gateway = new SshGateway({ hub, hostKey: (await hub.hostKey()).privateKey, log });
  const addr = await gateway.listen(at.host, at.port);
  const address = addr.family === 'IPv6' ? `[${addr.address}]:${addr.port}` : `${addr.address}:${addr.port}`;
  hub.sshListening(address);
  return { gateway, address };
}

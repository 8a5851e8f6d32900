/**
 * The local hub: the one the desktop app runs in-process and the CLI uses without --hub, sharing
 * one data directory. Its admin is whoever runs it, and users are created on first use, as on a
 * desktop where there is nobody else to ask. It opens a whole hub (engine, store, timers), so it
 * lives with the other ways of running one (main/server), not with the clients.
 */
import { createEngine } from '../engine/create-engine';
import { Hub } from '../hub/hub';
import { localAdmin, type Actor } from '../hub/actor';
import type { HubClient } from '../api/hub-client';
import { inProcessClient } from '../client/in-process-hub-client';
import { localDataDir } from './local-data-dir';

export interface LocalHubOptions {
  admin: string;
  env: Record<string, string | undefined>;
  dataDir?: string;
  dockerHost?: string;
  /** Overrides the hub's own origin (it makes one on first start and keeps it). */
  origin?: string;
  /** The local engine (default Docker); "fake" runs an in-memory one (demos, UI tests). */
  engine?: 'docker' | 'fake';
}

export interface LocalHub {
  hub: Hub;
  client: HubClient;
  /** Who the client acts as: the local admin (for calls made on `hub` directly). */
  actor: Actor;
}

export async function openLocalHub(o: LocalHubOptions): Promise<LocalHub> {
  const { hub } = await Hub.open({
    engine: (origin) => (o.engine === 'fake' ? createEngine({ kind: 'fake', origin }) : createEngine({ kind: 'docker', origin, host: o.dockerHost, env: o.env })),
    origin: o.origin ?? (o.env.HUBDECK_ORIGIN || undefined),
    // Local hubs before stored origins stamped "local" on their workspaces.
    legacyOrigin: 'local',
    dataDir: localDataDir(o.env, o.dataDir),
    adminName: o.admin,
    // `hubdeck ssh-config` names the local hub's workspaces <workspace>.hubdeck.
    sshAlias: 'hubdeck',
    initialSettings: { autoCreateUsers: true, allowCustomImages: true },
    // Nobody reads the report here; skipping it spares each command an engine-wide list.
    reconcile: false,
  });
  const actor = localAdmin(o.admin);
  const client = inProcessClient(hub, actor, () => hub.close());
  return { hub, client, actor };
}

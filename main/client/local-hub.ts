/**
 * The local hub: the one the desktop app runs in-process and the CLI uses without --hub, sharing
 * one data directory. Its admin is whoever runs it, and users are created on first use, as on a
 * desktop where there is nobody else to ask.
 */
import { DockerEngine } from '../engine/docker/docker-engine';
import { Hub } from '../hub/hub';
import { InProcessHubClient } from './in-process-hub-client';
import { localDataDir } from './local-data-dir';

export interface LocalHubOptions {
  admin: string;
  env: Record<string, string | undefined>;
  dataDir?: string;
  dockerHost?: string;
  origin?: string;
}

export interface LocalHub {
  hub: Hub;
  engine: DockerEngine;
  client: InProcessHubClient;
}

export async function openLocalHub(o: LocalHubOptions): Promise<LocalHub> {
  const engine = new DockerEngine({ host: o.dockerHost, origin: o.origin ?? o.env.HUBDECK_ORIGIN ?? 'local', env: o.env });
  const { hub } = await Hub.open({
    engine, dataDir: localDataDir(o.env, o.dataDir), adminName: o.admin,
    initialSettings: { autoCreateUsers: true, allowCustomImages: true },
  });
  const client = new InProcessHubClient(hub, { user: o.admin, admin: true }, async () => {
    await hub.close();
    await engine.close();
  });
  return { hub, engine, client };
}

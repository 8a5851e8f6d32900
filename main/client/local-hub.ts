/**
 * The local hub: the one the desktop app runs in-process and the CLI uses without --hub, sharing
 * one data directory. Its admin is whoever runs it, and users are created on first use, as on a
 * desktop where there is nobody else to ask.
 */
import os from 'node:os';
import path from 'node:path';
import { DockerEngine } from '../engine/docker/docker-engine';
import { Hub } from '../hub/hub';
import { InProcessHubClient } from './in-process-hub-client';

/** $HUBDECK_DATA, else $XDG_DATA_HOME/hubdeck, else ~/.local/share/hubdeck. */
export function localDataDir(env: Record<string, string | undefined>, explicit?: string): string {
  if (explicit ?? env.HUBDECK_DATA) return path.resolve((explicit ?? env.HUBDECK_DATA)!);
  const base = env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'hubdeck');
}

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

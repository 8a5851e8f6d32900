/**
 * Per-file isolation for Swarm tests on the single-node swarm (scripts/start-swarm.sh): removes
 * every service carrying a test origin, waits for their containers to go, then sweeps volumes and
 * networks as the Docker fixture does (overlay networks free their endpoints a moment later).
 */
import { LABELS } from '../../main/core/labels';
import { docker, sweep } from './docker-fixture';

export async function sweepSwarm(origin: string): Promise<void> {
  const filters = { label: [`${LABELS.origin}=${origin}`] };
  for (const s of await docker.listServices({ filters })) await docker.getService(s.ID).remove().catch(() => undefined);
  for (let i = 0; i < 100 && (await docker.listContainers({ all: true, filters })).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
  for (let i = 0; i < 20; i++) {
    await sweep(origin);
    const left = (await docker.listNetworks({ filters })).length + ((await docker.listVolumes({ filters })).Volumes ?? []).length;
    if (left === 0) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Fails loudly when the engine is not a swarm manager: Swarm tests never skip. */
export async function requireSwarm(): Promise<void> {
  const info = (await docker.info()) as { Swarm?: { ControlAvailable?: boolean } };
  if (!info.Swarm?.ControlAvailable) throw new Error('the Docker engine is not a swarm manager: run scripts/start-swarm.sh before the tests');
}

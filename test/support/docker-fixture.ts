/**
 * Per-file isolation for Docker tests: a unique hub id (origin) per test file, and a sweep that
 * removes every container, volume and network carrying it, whatever the tests left behind (on the
 * local Docker engine, or on another endpoint such as Podman's).
 */
import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { LABELS } from '../../main/core/labels';

export const docker = new Docker();

export function testOrigin(prefix = 't'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export async function sweep(origin: string, engine: Docker = docker): Promise<void> {
  const filters = { label: [`${LABELS.origin}=${origin}`] };
  for (const c of await engine.listContainers({ all: true, filters })) {
    await engine.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  }
  for (const v of (await engine.listVolumes({ filters })).Volumes ?? []) {
    await engine.getVolume(v.Name).remove().catch(() => undefined);
  }
  for (const n of await engine.listNetworks({ filters })) {
    await engine.getNetwork(n.Id).remove().catch(() => undefined);
  }
}

/** Counts of our objects, to prove that a refused create made nothing. */
export async function countObjects(origin: string): Promise<{ containers: number; volumes: number; networks: number }> {
  const filters = { label: [`${LABELS.origin}=${origin}`] };
  return {
    containers: (await docker.listContainers({ all: true, filters })).length,
    volumes: ((await docker.listVolumes({ filters })).Volumes ?? []).length,
    networks: (await docker.listNetworks({ filters })).length,
  };
}

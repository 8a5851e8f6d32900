/** Containers → workspaces: labels are the truth; Docker adds state, limits, mounts and the name's expiry. */
import type Docker from 'dockerode';
import { envFromList } from '../../core/env-vars';
import { decodeWorkspaceLabels, labelledFields, type DecodedWorkspace } from '../../core/labels';
import { resourceNames } from '../../core/names';
import type { GpuRequest } from '../../core/gpus';
import type { EngineLimits, Workspace } from '../engine';
import { containerState, summaryState } from './container-state';
import { expiryFromName } from './docker-expiry';

interface ContainerFacts {
  id: string;
  name: string | undefined;
  image: string;
  createdAt: string;
  startedAt: string | null;
  state: Workspace['state'];
  status: string;
  limits: EngineLimits | null;
  mounts: { Type?: string; Name?: string; Destination: string }[];
  networks: Record<string, unknown>;
}

/** From a `docker ps` summary: no start time or limits (one cheap call for a whole list). */
export function fromSummary(i: Docker.ContainerInfo, node: string | null): Workspace | null {
  return toWorkspace(i.Labels, node, {
    id: i.Id, name: i.Names[0], image: i.Image, createdAt: new Date(i.Created * 1000).toISOString(), startedAt: null,
    ...summaryState(i.State, i.Status), limits: null, mounts: i.Mounts ?? [], networks: i.NetworkSettings?.Networks ?? {},
  });
}

export function fromInspect(c: Docker.ContainerInspectInfo, node: string | null): Workspace | null {
  return toWorkspace(c.Config.Labels, node, {
    id: c.Id, name: c.Name, image: c.Config.Image, createdAt: c.Created,
    startedAt: c.State.Running && !c.State.StartedAt.startsWith('0001') ? c.State.StartedAt : null,
    ...containerState(c.State), limits: limitsOf(c.HostConfig), mounts: c.Mounts, networks: c.NetworkSettings.Networks ?? {},
  });
}

/** What Docker enforces, whatever the labels say. */
export function limitsOf(h: Docker.HostConfig): EngineLimits {
  return { cpus: h.NanoCpus ? h.NanoCpus / 1e9 : null, memory: h.Memory || null, gpus: gpusOf(h.DeviceRequests) };
}

function gpusOf(reqs: Docker.DeviceRequest[] | undefined): GpuRequest | null {
  const r = reqs?.find((d) => d.Capabilities?.some((c) => c.includes('gpu')));
  if (!r) return null;
  if (r.DeviceIDs?.length) return { kind: 'devices', ids: r.DeviceIDs };
  return r.Count === -1 || r.Count === undefined ? { kind: 'all' } : { kind: 'count', count: r.Count };
}

function toWorkspace(labels: Record<string, string>, node: string | null, f: ContainerFacts): Workspace | null {
  const d = decodeWorkspaceLabels(labels);
  if (!d) return null;
  const renamed = expiryFromName(f.name);
  return {
    ...labelledFields(d),
    id: f.id,
    state: f.state,
    status: f.status,
    limits: f.limits,
    image: d.spec?.image ?? f.image,
    createdAt: f.createdAt,
    startedAt: f.startedAt,
    expiresAt: renamed === undefined ? d.expiresAt : renamed,
    network: Object.keys(f.networks)[0] ?? null,
    volume: dataVolume(f.mounts, d),
    node,
  };
}

/** The data volume: mounted at the spec's path, or (spec unreadable) by the name create gives it. */
function dataVolume(mounts: ContainerFacts['mounts'], d: DecodedWorkspace): string | null {
  const named = resourceNames.volume({ origin: d.origin, user: d.user, name: d.name });
  const volumes = mounts.filter((m) => m.Type === 'volume');
  return (volumes.find((m) => d.spec && m.Destination === d.spec.volumePath) ?? volumes.find((m) => m.Name === named))?.Name ?? null;
}

/** The Jupyter token the hub gave the workspace at creation (workspace-env.ts hubEnv). */
export function webTokenOf(c: Docker.ContainerInspectInfo): string | null {
  return envFromList(c.Config.Env ?? []).JUPYTER_TOKEN ?? null;
}

export function byUserAndName(a: Workspace, b: Workspace): number {
  return a.user.localeCompare(b.user) || a.name.localeCompare(b.name);
}

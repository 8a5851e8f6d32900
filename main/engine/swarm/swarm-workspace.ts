/**
 * Services → workspaces: the service's labels are the truth (and, unlike a container's, they can
 * change, so the current expiry lives there); its spec gives the enforced limits; its current task
 * gives state, status, start time and node. Pure.
 */
import type Docker from 'dockerode';
import { envFromList } from '../../core/env-vars';
import type { GpuRequest } from '../../core/gpus';
import { decodeWorkspaceLabels, labelledFields } from '../../core/labels';
import type { EngineLimits, Workspace } from '../engine';
import type { GenericResource } from './swarm-plan';
import { currentTask, workspaceState, type SwarmTask } from './swarm-task';
import { swarmNames } from './swarm-names';
import type { NodeView } from './swarm-nodes';

export const replicasOf = (s: { Spec?: Docker.ServiceSpec }): number => s.Spec?.Mode?.Replicated?.Replicas ?? 0;

export const containerSpecOf = (s: Docker.Service): Docker.ContainerSpec => (s.Spec?.TaskTemplate as Docker.ContainerTaskSpec | undefined)?.ContainerSpec ?? {};

export const taskTemplateOf = (s: Docker.Service): Docker.ContainerTaskSpec => (s.Spec?.TaskTemplate ?? {}) as Docker.ContainerTaskSpec;

/** What Swarm enforces, whatever the labels say. */
export function limitsOf(s: Docker.Service): EngineLimits {
  const r = taskTemplateOf(s).Resources ?? {};
  return { cpus: r.Limits?.NanoCPUs ? r.Limits.NanoCPUs / 1e9 : null, memory: r.Limits?.MemoryBytes || null, gpus: gpusOf(r.Reservations?.GenericResources as GenericResource[] | undefined) };
}

function gpusOf(rs: GenericResource[] | undefined): GpuRequest | null {
  const gpu = (rs ?? []).filter((r) => /gpu/i.test(r.DiscreteResourceSpec?.Kind ?? r.NamedResourceSpec?.Kind ?? ''));
  const named = gpu.map((r) => r.NamedResourceSpec?.Value).filter((v): v is string => Boolean(v));
  if (named.length) return { kind: 'devices', ids: named };
  const count = gpu.reduce((n, r) => n + (r.DiscreteResourceSpec?.Value ?? 0), 0);
  return count > 0 ? { kind: 'count', count } : null;
}

/** The node a workspace with node-local data is kept on (swarm-service.ts pinToNode), if any. */
export function pinnedNode(s: Docker.Service): string | null {
  for (const c of taskTemplateOf(s).Placement?.Constraints ?? []) {
    const m = /^node\.id\s*==\s*(\S+)$/.exec(c);
    if (m) return m[1]!;
  }
  return null;
}

/**
 * A workspace whose node is lost says so, rather than "starting" for ever: kept on a node that is
 * down or drained (its data is there, so Swarm waits for it), or running on a node that stopped
 * answering.
 */
function onLostNode(s: Docker.Service, task: SwarmTask | null, running: boolean, nodes: NodeView): string | null {
  if (replicasOf(s) === 0) return null;
  if (running) {
    const issue = task?.NodeID ? nodes.issue(task.NodeID) : null;
    return issue?.down ? `${issue.text}: the workspace cannot be reached until it returns` : null;
  }
  const pinned = pinnedNode(s);
  const issue = pinned ? nodes.issue(pinned) : null;
  return issue ? `${issue.text}: it holds this workspace's data, so the workspace waits for it` : null;
}

/** Where a workspace's tasks are and how their nodes are; a bare function names nodes only. */
export function toWorkspace(s: Docker.Service, tasks: SwarmTask[], nodes: NodeView | ((id: string) => string)): Workspace | null {
  const labels = s.Spec?.Labels ?? {};
  const d = decodeWorkspaceLabels(labels);
  if (!d) return null;
  const view: NodeView = typeof nodes === 'function' ? { name: nodes, issue: () => null } : nodes;
  const nodeName = view.name;
  const task = currentTask(tasks);
  const byTask = workspaceState(replicasOf(s), task);
  const lost = onLostNode(s, task, byTask.state === 'running', view);
  const { state, status } = lost ? { state: 'unknown' as const, status: lost } : byTask;
  const cs = containerSpecOf(s);
  const dataPath = d.spec?.volume ? d.spec.volumePath : null;
  const named = swarmNames.volume({ origin: d.origin, user: d.user, name: d.name });
  const volume = (cs.Mounts ?? []).find((m) => m.Type === 'volume' && (m.Target === dataPath || m.Source === named))?.Source ?? null;
  return {
    ...labelledFields(d),
    id: s.ID,
    state,
    status,
    limits: limitsOf(s),
    image: d.spec?.image ?? cs.Image?.replace(/@sha256:.*$/, '') ?? '',
    createdAt: s.CreatedAt ?? new Date(0).toISOString(),
    startedAt: state === 'running' ? task?.Status?.Timestamp ?? null : null,
    network: taskTemplateOf(s).Networks?.length ? swarmNames.network(d.origin, d.user) : null,
    volume,
    node: task?.NodeID ? nodeName(task.NodeID) : (pinnedNode(s) && nodeName(pinnedNode(s)!)) || null,
  };
}

/** The Jupyter token the hub gave the workspace at creation (workspace-env.ts hubEnv). */
export function webTokenOf(s: Docker.Service): string | null {
  return envFromList(containerSpecOf(s).Env ?? []).JUPYTER_TOKEN ?? null;
}

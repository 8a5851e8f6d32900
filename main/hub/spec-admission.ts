/**
 * Whether a spec may run here, checked before the engine creates anything: what the engine can
 * honour (capabilities), what the hub allows (bind mounts), the user's quota, and whether one
 * node of the engine can hold it. Errors name the rule and the field.
 */
import { formatBytes } from '../api/display-format';
import { HubdeckError } from '../core/errors';
import { gpuCount, formatGpus } from '../core/gpus';
import { formatSize } from '../core/sizes';
import { bindAllowed } from '../core/mounts';
import { formatPlacement, placementMatches } from '../core/placement';
import type { WorkspaceSpec } from '../core/workspace-spec';
import type { Capacity, EngineCapabilities, EngineLimits, EngineNode, Workspace } from '../engine/engine';
import type { Quota } from './hub-state';
import { checkQuota, type Usage } from './quota';

/** Refuses what the engine cannot honour or the hub does not allow. */
export function checkSupported(spec: WorkspaceSpec, caps: EngineCapabilities, bindAllowList: readonly string[]): void {
  if (spec.gpus && !caps.gpuRequests.includes(spec.gpus.kind)) {
    const forms = caps.gpuRequests.length ? `it takes ${caps.gpuRequests.join(', ')}` : 'it has no GPU support';
    throw new HubdeckError('invalid', `gpus: this engine cannot honour "${formatGpus(spec.gpus)}" (${forms})`, 'gpus');
  }
  if (Object.keys(spec.placement).length && !caps.placement) throw new HubdeckError('invalid', 'placement: this engine cannot place workspaces on chosen nodes', 'placement');
  if (spec.reservations.cpus !== null && !caps.reservations.cpus) throw new HubdeckError('invalid', 'reservations.cpus: this engine cannot reserve CPUs', 'reservations.cpus');
  if (spec.reservations.memory !== null && !caps.reservations.memory) throw new HubdeckError('invalid', 'reservations.memory: this engine cannot reserve memory', 'reservations.memory');
  for (const m of spec.mounts.filter((x) => x.type === 'bind')) {
    if (!caps.bindMounts) throw new HubdeckError('invalid', 'mounts: this engine cannot bind-mount host paths', 'mounts');
    if (!bindAllowed(m.source, bindAllowList)) throw new HubdeckError('forbidden', `mounts: ${m.source} is not a host path workspaces may mount on this hub (ask an admin)`, 'mounts');
  }
}

/** Limits of an existing workspace: its spec, else what the engine enforces, else unknown (null). */
export function limitsOf(w: Workspace): EngineLimits | null {
  if (w.spec) return { cpus: w.spec.cpus, memory: w.spec.memory, gpus: w.spec.gpus };
  return w.limits;
}

const RUNNING: Workspace['state'][] = ['running', 'starting', 'creating', 'restarting'];

/**
 * What a user's workspaces hold: all count for the number, running ones for resources. A running
 * workspace whose limits cannot be told (an unreadable spec and an engine that does not report
 * them) makes the usage unknowable: refuse rather than count it as zero.
 */
export function usageOf(user: string, mine: Workspace[], hostGpus: number): Usage {
  const usage: Usage = { workspaces: mine.length, cpus: 0, memory: 0, gpus: 0 };
  for (const w of mine.filter((x) => RUNNING.includes(x.state))) {
    const l = limitsOf(w);
    if (!l) {
      throw new HubdeckError('conflict', `quota: the resources of ${user}'s workspace "${w.name}" cannot be told (${w.specIssue ?? 'no spec'}, and the engine does not report its limits); an admin must remove or fix it first`);
    }
    usage.cpus += l.cpus ?? 0;
    usage.memory += l.memory ?? 0;
    usage.gpus += gpuCount(l.gpus, hostGpus);
  }
  return usage;
}

export function checkUserQuota(user: string, quota: Quota, cap: Capacity, spec: WorkspaceSpec, usage: Usage, isNew: 0 | 1): void {
  const hostGpus = maxGpus(cap.nodes);
  // "all" counts as a node's GPUs; where the engine cannot tell how many, it cannot be counted.
  if (spec.gpus?.kind === 'all' && quota.gpus !== undefined && quota.gpus !== null && hostGpus === 0) {
    throw new HubdeckError('quota', `quota: ${user} has a GPU quota and this engine cannot count its GPUs; ask for a number of GPUs, not "all"`, 'gpus');
  }
  checkQuota(user, quota, usage, { workspaces: isNew, cpus: spec.cpus, memory: spec.memory, gpus: gpuCount(spec.gpus, hostGpus) });
}

/** A size to ask for that fits: whole GiB ("23g") above one, whole MiB below. */
const roundDown = (bytes: number): string => formatSize(bytes >= 1024 ** 3 ? Math.floor(bytes / 1024 ** 3) * 1024 ** 3 : Math.floor(bytes / 1024 ** 2) * 1024 ** 2);

const maxGpus = (nodes: EngineNode[]) => nodes.reduce((m, n) => Math.max(m, n.gpus), 0);

/**
 * A workspace runs on one node: the request must fit the largest node its placement allows,
 * never a sum of nodes. The message names the largest matching node.
 */
export function checkCapacity(cap: Capacity, spec: WorkspaceSpec): void {
  const nodes = cap.nodes.filter((n) => placementMatches(spec.placement, n.labels));
  if (!nodes.length) throw new HubdeckError('invalid', `placement: no node of this engine has the labels ${formatPlacement(spec.placement)}`, 'placement');
  const need = { cpus: spec.cpus ?? 0, memory: spec.memory ?? 0, gpus: spec.gpus && spec.gpus.kind !== 'all' ? gpuCount(spec.gpus, 0) : 0 };
  if (nodes.some((n) => n.cpus >= need.cpus && n.memory >= need.memory && n.gpus >= need.gpus)) return;
  const where = cap.nodes.length === 1 ? 'the host has' : 'the largest matching node has';
  const most = (f: (n: EngineNode) => number) => Math.max(...nodes.map(f));
  // The field, the reason and the fix, with sizes as people read them ("23.5 GiB", not "24683748k").
  const cpus = most((n) => n.cpus);
  if (need.cpus > cpus) throw new HubdeckError('quota', `cpus: ${need.cpus} requested but ${where} ${cpus}; ask for ${cpus} or fewer`, 'cpus');
  const memory = most((n) => n.memory);
  if (need.memory > memory) {
    throw new HubdeckError('quota', `memory: ${formatBytes(need.memory)} requested but ${where} ${formatBytes(memory)}; ask for at most ${roundDown(memory)}`, 'memory');
  }
  const gpus = most((n) => n.gpus);
  if (need.gpus > gpus) throw new HubdeckError('quota', `gpus: ${need.gpus} requested but ${where} ${gpus}; ask for ${gpus} or fewer`, 'gpus');
  throw new HubdeckError('quota', 'cpus: no single node has the cpus, memory and GPUs requested together', 'cpus');
}

/**
 * What the fake engine refuses before creating anything, as real engines do: forms it cannot honour
 * (per its configured capabilities), a placement no node matches, more CPUs or GPUs than any
 * matching node has (Docker refuses NanoCpus above the host's CPUs; a scheduler could never place
 * it). Also picks the node: the least busy matching one, so placement is visible in tests.
 */
import { HubdeckError } from '../../core/errors';
import { formatGpus } from '../../core/gpus';
import { formatPlacement, placementMatches } from '../../core/placement';
import type { WorkspaceSpec } from '../../core/workspace-spec';
import type { EngineCapabilities, EngineNode } from '../engine';

const refuse = (field: string, rule: string) => new HubdeckError('invalid', `${field}: ${rule}`, field);

export function checkCapabilities(spec: WorkspaceSpec, caps: EngineCapabilities): void {
  if (spec.gpus && !caps.gpuRequests.includes(spec.gpus.kind)) {
    throw refuse('gpus', `this engine cannot honour "${formatGpus(spec.gpus)}" (it takes ${caps.gpuRequests.join(', ') || 'no GPUs'})`);
  }
  if (Object.keys(spec.placement).length && !caps.placement) throw refuse('placement', 'this engine cannot place workspaces on chosen nodes');
  if (spec.reservations.cpus !== null && !caps.reservations.cpus) throw refuse('reservations.cpus', 'this engine cannot reserve cpus');
  if (spec.reservations.memory !== null && !caps.reservations.memory) throw refuse('reservations.memory', 'this engine cannot reserve memory');
  if (spec.mounts.some((m) => m.type === 'bind') && !caps.bindMounts) throw refuse('mounts', 'this engine cannot mount host paths');
}

/** The node the workspace goes to; `busy` counts what runs on a node already. */
export function chooseNode(spec: WorkspaceSpec, nodes: EngineNode[], busy: (node: string) => number): EngineNode {
  const matching = nodes.filter((n) => placementMatches(spec.placement, n.labels));
  if (matching.length === 0) throw refuse('placement', `no node of this engine has the labels ${formatPlacement(spec.placement)}`);
  const maxCpus = Math.max(...matching.map((n) => n.cpus));
  if (spec.cpus !== null && spec.cpus > maxCpus) throw refuse('cpus', `${spec.cpus} cpus requested but the largest matching node has ${maxCpus}`);
  const fits = matching.filter((n) => (spec.cpus ?? 0) <= n.cpus && gpusFit(spec, n));
  if (fits.length === 0) {
    const maxGpus = Math.max(...matching.map((n) => n.gpus));
    throw refuse('gpus', maxGpus === 0 ? 'no matching node has GPUs' : `"${formatGpus(spec.gpus)}" asks for more GPUs than the largest matching node has (${maxGpus})`);
  }
  return [...fits].sort((a, b) => busy(a.name) - busy(b.name) || a.name.localeCompare(b.name))[0]!;
}

function gpusFit(spec: WorkspaceSpec, n: EngineNode): boolean {
  const g = spec.gpus;
  if (!g) return true;
  if (g.kind === 'all') return n.gpus > 0;
  if (g.kind === 'count') return g.count <= n.gpus;
  // Numeric ids name the node's devices by index; anything else (UUIDs) is taken on trust.
  return n.gpus > 0 && g.ids.every((id) => !/^\d+$/.test(id) || Number(id) < n.gpus);
}

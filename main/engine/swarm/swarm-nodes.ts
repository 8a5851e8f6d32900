/**
 * The swarm's nodes: what capacity() reports (ready, active nodes only: a drained or down node
 * takes no workspace), the facts placement constraints are evaluated against, and host names for
 * task node ids. Pure.
 */
import { envFromList } from '../../core/env-vars';
import type { EngineNode } from '../engine';
import type { GenericResource } from './swarm-plan';
import type { NodeFacts } from './swarm-placement';

/** The parts of GET /nodes this engine reads. */
export interface SwarmNode {
  ID: string;
  Spec?: { Labels?: Record<string, string>; Role?: string; Availability?: string };
  Description?: {
    Hostname?: string;
    Platform?: { OS?: string; Architecture?: string };
    Resources?: { NanoCPUs?: number; MemoryBytes?: number; GenericResources?: GenericResource[] };
    Engine?: { EngineVersion?: string; Labels?: Record<string, string> | string[] };
  };
  Status?: { State?: string; Message?: string; Addr?: string };
  ManagerStatus?: { Leader?: boolean; Addr?: string };
}

export const usable = (n: SwarmNode) => n.Status?.State === 'ready' && (n.Spec?.Availability ?? 'active') === 'active';

export function gpuCount(n: SwarmNode, kind: string): number {
  return (n.Description?.Resources?.GenericResources ?? []).reduce((sum, r) => {
    if (r.DiscreteResourceSpec?.Kind === kind) return sum + r.DiscreteResourceSpec.Value;
    return r.NamedResourceSpec?.Kind === kind ? sum + 1 : sum;
  }, 0);
}

/** Why a node takes no task now (down, disconnected, drained, paused), or null when it does. */
export interface NodeIssue {
  text: string;
  /** Its engine does not answer: tasks there cannot be reached either. */
  down: boolean;
}

const AVAILABILITY_WORDS: Record<string, string> = { drain: 'drained', pause: 'paused' };

export function nodeIssue(n: SwarmNode): NodeIssue | null {
  const state = n.Status?.State ?? 'unknown';
  if (state !== 'ready') {
    const why = n.Status?.Message ? ` (${n.Status.Message})` : '';
    return { text: `node ${hostnameOf(n)} is ${state}${why}`, down: true };
  }
  const availability = n.Spec?.Availability ?? 'active';
  if (availability !== 'active') return { text: `node ${hostnameOf(n)} is ${AVAILABILITY_WORDS[availability] ?? availability} (docker node update --availability active ${hostnameOf(n)})`, down: false };
  return null;
}

/** Host names and issues of task nodes by id; an unlisted node keeps its id and has no issue known. */
export interface NodeView {
  name(id: string): string;
  issue(id: string): NodeIssue | null;
}

export function nodeView(nodes: SwarmNode[]): NodeView {
  const byId = new Map(nodes.map((n) => [n.ID, n]));
  return {
    name: (id) => (byId.has(id) ? hostnameOf(byId.get(id)!) : id),
    issue: (id) => (byId.has(id) ? nodeIssue(byId.get(id)!) : null),
  };
}

export function hostnameOf(n: SwarmNode): string {
  return n.Description?.Hostname ?? n.ID;
}

export function engineNode(n: SwarmNode, gpuKind: string): EngineNode {
  const r = n.Description?.Resources ?? {};
  return { name: hostnameOf(n), cpus: (r.NanoCPUs ?? 0) / 1e9, memory: r.MemoryBytes ?? 0, gpus: gpuCount(n, gpuKind), labels: n.Spec?.Labels ?? {} };
}

export function nodeFacts(n: SwarmNode): NodeFacts {
  const el = n.Description?.Engine?.Labels;
  return {
    id: n.ID,
    hostname: hostnameOf(n),
    role: n.Spec?.Role ?? 'worker',
    os: n.Description?.Platform?.OS ?? '',
    arch: n.Description?.Platform?.Architecture ?? '',
    labels: n.Spec?.Labels ?? {},
    engineLabels: Array.isArray(el) ? envFromList(el) : el ?? {},
  };
}

export function describeSwarm(nodes: SwarmNode[], where: string): string {
  const ready = nodes.filter(usable).length;
  const versions = [...new Set(nodes.map((n) => n.Description?.Engine?.EngineVersion).filter(Boolean))].join(', ');
  return `Docker Swarm, ${ready} of ${nodes.length} node${nodes.length === 1 ? '' : 's'} ready (Docker ${versions || 'unknown'}) via ${where}`;
}

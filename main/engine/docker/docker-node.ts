/**
 * The one node a plain Docker engine is: its name, size, GPUs and the daemon's labels
 * (`dockerd --label pool=gpu`), against which placement is checked.
 */
import fs from 'node:fs';
import { envFromList } from '../../core/env-vars';
import type { EngineNode } from '../engine';

interface DockerInfo {
  Name: string;
  NCPU: number;
  MemTotal: number;
  Labels?: string[];
  GenericResources?: unknown;
}

export function nodeFromInfo(info: DockerInfo, localEngine: boolean): EngineNode {
  // The daemon's labels are KEY=VALUE lines, like an environment.
  return { name: info.Name, cpus: info.NCPU, memory: info.MemTotal, gpus: gpuCount(info, localEngine), labels: envFromList(info.Labels ?? []) };
}

/**
 * The node (or the daemon's /info it comes from), asked again only after `ttlMs`: every list and
 * get names it, but a daemon restarted with new labels (`dockerd --label`) must not keep refusing
 * or admitting placements for long. A failed ask is not remembered. `fresh()` always asks, for
 * what decides something, and what it learns serves the next lookups too.
 */
export function cachedNode<T = EngineNode>(ask: () => Promise<T>, ttlMs = 30_000, now: () => number = Date.now): (() => Promise<T>) & { fresh: () => Promise<T> } {
  let held: { at: number; node: Promise<T> } | null = null;
  const fresh = () => {
    const node = ask();
    const entry = { at: now(), node };
    held = entry;
    node.catch(() => { if (held === entry) held = null; });
    return node;
  };
  return Object.assign(() => (!held || now() - held.at > ttlMs ? fresh() : held.node), { fresh });
}

/** The API cannot list GPUs: use swarm generic resources, or the NVIDIA driver of a local engine. */
function gpuCount(info: DockerInfo, localEngine: boolean): number {
  const generic = (info.GenericResources ?? []) as { DiscreteResourceSpec?: { Kind?: string; Value?: number } }[];
  const fromGeneric = generic.filter((g) => /gpu/i.test(g.DiscreteResourceSpec?.Kind ?? '')).reduce((s, g) => s + (g.DiscreteResourceSpec?.Value ?? 0), 0);
  if (fromGeneric > 0 || !localEngine) return fromGeneric;
  try {
    return fs.readdirSync('/proc/driver/nvidia/gpus').length;
  } catch {
    return 0;
  }
}

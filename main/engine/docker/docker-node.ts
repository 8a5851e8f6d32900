/**
 * The one node a plain Docker engine is: its name, size, GPUs and the daemon's labels
 * (`dockerd --label pool=gpu`), against which placement is checked.
 */
import fs from 'node:fs';
import type { EngineNode } from '../engine';

interface DockerInfo {
  Name: string;
  NCPU: number;
  MemTotal: number;
  Labels?: string[];
  GenericResources?: unknown;
}

export function nodeFromInfo(info: DockerInfo, localEngine: boolean): EngineNode {
  return { name: info.Name, cpus: info.NCPU, memory: info.MemTotal, gpus: gpuCount(info, localEngine), labels: parseLabels(info.Labels ?? []) };
}

export function parseLabels(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of list) {
    const eq = l.indexOf('=');
    if (eq > 0) out[l.slice(0, eq)] = l.slice(eq + 1);
  }
  return out;
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

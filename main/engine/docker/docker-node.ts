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
  return { name: info.Name, cpus: info.NCPU, memory: info.MemTotal, gpus: gpuCount(info, localEngine), labels: envFromList(info.Labels ?? []) /* the daemon's labels are KEY=VALUE lines too */ };
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

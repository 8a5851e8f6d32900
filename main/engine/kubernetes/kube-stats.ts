/**
 * One stats sample of a workspace. From metrics-server (metrics.k8s.io) when the cluster has it;
 * otherwise from the container's own cgroup, read through exec (the numbers `docker stats` reads),
 * so a cluster without metrics-server still shows live CPU and memory. When neither works the
 * error says so plainly instead of inventing zeros.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { HubdeckError, errorMessage } from '../../core/errors';
import type { WorkspaceStats } from '../engine';
import type { KubeClient } from './kube-client';
import { statusOf } from './kube-errors';
import { kubeExec } from './kube-exec';
import { CONTAINER } from './kube-names';
import { parseQuantity } from './kube-quantity';

const CGROUP_SCRIPT = [
  'g=/sys/fs/cgroup',
  'if [ -f $g/cpu.stat ]; then',
  '  cpu() { while read -r k v; do [ "$k" = usage_usec ] && echo "${v}000"; done < $g/cpu.stat; }',
  '  mem() { u=$(cat $g/memory.current); i=0; while read -r k v; do [ "$k" = inactive_file ] && i=$v; done < $g/memory.stat; echo $((u - i)); }',
  'else',
  '  cpu() { cat $g/cpuacct/cpuacct.usage 2>/dev/null || cat $g/cpu,cpuacct/cpuacct.usage; }',
  '  mem() { u=$(cat $g/memory/memory.usage_in_bytes); i=0; while read -r k v; do [ "$k" = total_inactive_file ] && i=$v; done < $g/memory/memory.stat; echo $((u - i)); }',
  'fi',
  'read -r u1 _ < /proc/uptime; c1=$(cpu); sleep 0.5; read -r u2 _ < /proc/uptime; c2=$(cpu)',
  'echo "$c1 $c2 $u1 $u2 $(mem)"',
].join('\n');

export interface NodeSize {
  cpus: number;
  memory: number;
}

/** Parses the cgroup script's line; null when it is not what the script prints. */
export function parseCgroupSample(line: string): { cpuPercent: number; memoryUsed: number } | null {
  const [c1, c2, u1, u2, mem] = line.trim().split(/\s+/).map(Number);
  if ([c1, c2, u1, u2, mem].some((n) => n === undefined || !Number.isFinite(n))) return null;
  const seconds = Math.max(0.01, u2! - u1!);
  return { cpuPercent: Math.max(0, ((c2! - c1!) / 1e9 / seconds) * 100), memoryUsed: Math.max(0, mem!) };
}

export async function podStats(client: KubeClient, pod: V1Pod, node: NodeSize): Promise<WorkspaceStats> {
  const limits = pod.spec?.containers.find((c) => c.name === CONTAINER)?.resources?.limits ?? {};
  const memoryLimit = parseQuantity(limits.memory) ?? node.memory;
  const base = { onlineCpus: node.cpus, memoryLimit, at: new Date().toISOString() };
  const fromMetrics = await metricsSample(client, pod.metadata!.name!);
  if (fromMetrics) return { ...base, ...fromMetrics };
  const line = await cgroupLine(client, pod.metadata!.name!).catch((e: unknown) => {
    throw new HubdeckError('unavailable', `stats are not available: the cluster has no metrics-server and the workspace's cgroup could not be read (${errorMessage(e)})`);
  });
  const sample = parseCgroupSample(line);
  if (!sample) throw new HubdeckError('unavailable', `stats are not available: the cluster has no metrics-server and the workspace's cgroup is unreadable (${line.trim().slice(0, 200) || 'no output'})`);
  return { ...base, ...sample };
}

async function metricsSample(client: KubeClient, pod: string): Promise<{ cpuPercent: number; memoryUsed: number } | null> {
  try {
    const m = (await client.custom.getNamespacedCustomObject({ group: 'metrics.k8s.io', version: 'v1beta1', namespace: client.namespace, plural: 'pods', name: pod })) as {
      containers?: { name: string; usage?: { cpu?: string; memory?: string } }[];
    };
    const c = m.containers?.find((x) => x.name === CONTAINER);
    const cpu = parseQuantity(c?.usage?.cpu);
    const mem = parseQuantity(c?.usage?.memory);
    return cpu === null || mem === null ? null : { cpuPercent: cpu * 100, memoryUsed: mem };
  } catch (e) {
    // No metrics API (404), not allowed to read it (403), or not scraped yet: use the cgroup.
    if ([403, 404, 503].includes(statusOf(e) ?? -1)) return null;
    throw e;
  }
}

async function cgroupLine(client: KubeClient, pod: string): Promise<string> {
  const s = await kubeExec(client, pod, { cmd: ['/bin/sh', '-c', CGROUP_SCRIPT] });
  let out = '';
  let err = '';
  s.stdout.on('data', (d: Buffer) => (out += d.toString()));
  s.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await s.exitCode();
  if (code !== 0) throw new Error(err.trim() || `exit code ${code}`);
  return out;
}

/** CPU and memory figures from a Docker stats sample, computed as `docker stats` does. */
import type { WorkspaceStats } from '../engine';

export interface DockerStatsSample {
  read?: string;
  cpu_stats?: { cpu_usage?: { total_usage?: number; percpu_usage?: number[] }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
}

export function statsFromSample(s: DockerStatsSample): WorkspaceStats {
  const cpu = s.cpu_stats ?? {};
  const pre = s.precpu_stats ?? {};
  const onlineCpus = cpu.online_cpus || cpu.cpu_usage?.percpu_usage?.length || 1;
  const cpuDelta = (cpu.cpu_usage?.total_usage ?? 0) - (pre.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cpu.system_cpu_usage ?? 0) - (pre.system_cpu_usage ?? 0);
  // The first sample of a stream has no previous one: no delta, no percentage.
  const hasPrevious = (pre.system_cpu_usage ?? 0) > 0;
  const cpuPercent = hasPrevious && cpuDelta > 0 && systemDelta > 0 ? (cpuDelta / systemDelta) * onlineCpus * 100 : 0;
  const mem = s.memory_stats ?? {};
  // Page cache is reclaimable; docker stats subtracts it (cgroup v2: inactive_file, v1: total_inactive_file).
  const cache = mem.stats?.inactive_file ?? mem.stats?.total_inactive_file ?? 0;
  return {
    cpuPercent: Math.round(cpuPercent * 100) / 100,
    onlineCpus,
    memoryUsed: Math.max(0, (mem.usage ?? 0) - cache),
    memoryLimit: mem.limit ?? 0,
    at: s.read && !s.read.startsWith('0001') ? s.read : new Date().toISOString(),
  };
}

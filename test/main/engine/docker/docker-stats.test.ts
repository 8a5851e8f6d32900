import { describe, expect, it } from 'vitest';
import { statsFromSample } from '../../../../main/engine/docker/docker-stats';
import { containerState, summaryState } from '../../../../main/engine/docker/container-state';

describe('statsFromSample', () => {
  it('computes CPU percent and memory without page cache, as docker stats does', () => {
    const s = statsFromSample({
      read: '2026-01-01T00:00:00Z',
      cpu_stats: { cpu_usage: { total_usage: 2_000_000 }, system_cpu_usage: 10_000_000, online_cpus: 4 },
      precpu_stats: { cpu_usage: { total_usage: 1_000_000 }, system_cpu_usage: 6_000_000 },
      memory_stats: { usage: 300, limit: 1000, stats: { inactive_file: 100 } },
    });
    expect(s).toEqual({ cpuPercent: 100, onlineCpus: 4, memoryUsed: 200, memoryLimit: 1000, at: '2026-01-01T00:00:00Z' });
  });
  it('reports 0% when there is no previous sample', () => {
    expect(statsFromSample({ cpu_stats: { cpu_usage: { total_usage: 5 }, system_cpu_usage: 5 } }).cpuPercent).toBe(0);
  });
});

describe('container states', () => {
  const base = { Status: 'exited', Running: false, Paused: false, Restarting: false, OOMKilled: false, Dead: false, ExitCode: 0 };
  it('tells a crash from a stop', () => {
    expect(containerState({ ...base, Running: true, Status: 'running' }).state).toBe('running');
    expect(containerState({ ...base, ExitCode: 143 }).state).toBe('stopped');
    expect(containerState({ ...base, ExitCode: 1 })).toEqual({ state: 'failed', status: 'exited with code 1' });
    expect(containerState({ ...base, OOMKilled: true, ExitCode: 137 }).status).toBe('killed: out of memory');
    expect(summaryState('exited', 'Exited (2) 3 seconds ago').state).toBe('failed');
    expect(summaryState('exited', 'Exited (0) 3 seconds ago').state).toBe('stopped');
    expect(summaryState('running', 'Up 2 minutes (Paused)').state).toBe('paused');
  });
});

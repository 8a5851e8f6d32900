// main/engine/kubernetes/kube-stats.ts: stats parsed from the cgroup sample line.
import { describe, expect, it } from 'vitest';
import { parseCgroupSample } from '../../../../main/engine/kubernetes/kube-stats';

describe('stats', () => {
  it('computes CPU percent over the sampled interval and memory from the cgroup line', () => {
    expect(parseCgroupSample('1000000000 1500000000 100.00 100.50 4096\n')).toEqual({ cpuPercent: 100, memoryUsed: 4096 });
    expect(parseCgroupSample('cat: can\'t open')).toBeNull();
  });
});

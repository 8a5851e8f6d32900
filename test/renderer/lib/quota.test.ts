// renderer/src/lib/quota.ts: what is left of the user's quota, counted as the hub counts.
import { describe, expect, it } from 'vitest';
import { quotaLines } from '../../../renderer/src/lib/quota';
import { workspaceView as ws } from '../support/workspace-view';

describe('quota left', () => {
  it('counts every workspace for the number and running ones for resources, as the hub does', () => {
    const lines = quotaLines({ effectiveQuota: { maxWorkspaces: 3, cpus: 4, memory: 8 * 1024 ** 3 } }, [
      ws({ name: 'a', limits: { cpus: 1, memory: 1024 ** 3, gpus: null } }),
      ws({ name: 'b', state: 'stopped', limits: { cpus: 2, memory: 1024 ** 3, gpus: null } }),
    ]);
    expect(lines.map((l) => l.text)).toEqual(['1 of 3 workspaces left', '3 of 4 CPUs left', '7 GiB of 8 GiB memory left']);
    expect(quotaLines({ effectiveQuota: {} }, [])).toEqual([]);
  });
});

// renderer/src/lib/create-check.ts: the New-workspace form's per-field check (issue 20 item 4).
import { describe, expect, it } from 'vitest';
import { createErrors, workspaceCountBlock } from '../../../renderer/src/lib/create-check';
import type { QuotaLine } from '../../../renderer/src/lib/quota';

const quota: QuotaLine[] = [
  { field: 'maxWorkspaces', left: 0, text: '0 of 1 workspaces left' },
  { field: 'cpus', left: 1, text: '1 of 2 CPUs left' },
];

describe('the New workspace check', () => {
  it('names every bad field at once, in the hub\'s words, not only the first', () => {
    const errors = createErrors({ name: 'Bad_Name', cpus: 'many', memory: '12x', days: 5000 }, 'bob', [], null);
    expect(Object.keys(errors).sort()).toEqual(['cpus', 'days', 'memory', 'name']);
    expect(errors.cpus).toBe('"many" is not a number of CPUs (use 0.5, 2, …)');
    expect(errors.memory).toBe('"12x" is not a size (use 512m, 2g, …)');
    expect(errors.days).toBe('must be more than 0 and at most 3650 (got 5000)');
  });

  it('checks what is left of the quota and the hub\'s days maximum', () => {
    expect(createErrors({ name: 'nb', cpus: '2' }, 'bob', quota, null)).toEqual({ cpus: 'more than your quota has left: 1 CPUs (1 of 2 CPUs left)' });
    expect(createErrors({ name: 'nb', cpus: '1', days: 40 }, 'bob', quota, 30)).toEqual({ days: 'at most 30 days on this hub' });
    expect(createErrors({ name: 'nb' }, 'bob', quota, 30)).toEqual({});
  });

  it('says before anything is filled in that no workspace is left', () => {
    expect(workspaceCountBlock(quota)).toMatch(/^You have 0 of 1 workspaces left: remove one/);
    expect(workspaceCountBlock([{ field: 'maxWorkspaces', left: 1, text: '1 of 2 workspaces left' }])).toBeNull();
  });
});

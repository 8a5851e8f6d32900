import { describe, expect, it } from 'vitest';
import { checkQuota, effectiveQuota } from '../../../main/hub/quota';
import { planCleanup } from '../../../main/hub/cleanup-plan';
import { shouldCull } from '../../../main/hub/idle';
import { AuthThrottle } from '../../../main/server/auth-throttle';
import type { EngineResource } from '../../../main/engine/engine';

describe('quota', () => {
  it('takes the user value, else the most generous group, else the hub default', () => {
    expect(effectiveQuota({ cpus: 2 }, [{ cpus: 8, memory: 1 }, { memory: 5 }], { gpus: 1, cpus: 1 })).toEqual({ cpus: 2, memory: 5, gpus: 1 });
    expect(effectiveQuota({}, [], {})).toEqual({});
  });

  it('words refusals with the rule and the numbers', () => {
    const used = { workspaces: 2, cpus: 6, memory: 3 * 1024 ** 3, gpus: 0 };
    expect(() => checkQuota('alice', { cpus: 8 }, used, { workspaces: 1, cpus: 4, memory: null, gpus: 0 }))
      .toThrow('quota: alice may use 8 cpus in total, 6 are in use, 4 requested');
    expect(() => checkQuota('alice', { memory: 4 * 1024 ** 3 }, used, { workspaces: 1, cpus: 1, memory: 2 * 1024 ** 3, gpus: 0 }))
      .toThrow('quota: alice may use 4g of memory in total, 3g are in use, 2g requested');
    expect(() => checkQuota('alice', { maxWorkspaces: 2 }, used, { workspaces: 1, cpus: 1, memory: 1, gpus: 0 }))
      .toThrow('quota: alice may have 2 workspaces in total, 2 exist, 1 requested');
    expect(() => checkQuota('alice', { cpus: 8 }, used, { workspaces: 1, cpus: null, memory: null, gpus: 0 }))
      .toThrow(/needs a cpus limit/);
    expect(() => checkQuota('alice', { cpus: 8, maxWorkspaces: 3 }, used, { workspaces: 1, cpus: 2, memory: null, gpus: 0 })).not.toThrow();
    // starting an existing workspace does not count it again
    expect(() => checkQuota('alice', { maxWorkspaces: 2 }, used, { workspaces: 0, cpus: 1, memory: 1, gpus: 0 })).not.toThrow();
  });
});

describe('cleanup plan', () => {
  const ORDER: Partial<Record<EngineResource['kind'], number>> = { workspace: 0, volume: 1, network: 2 };
  const r = (kind: EngineResource['kind'], user: string, workspace: string | null, inUse = true): EngineResource => ({
    kind, id: `${kind}-${user}-${workspace}`, name: `${kind}-${user}`, user, workspace, inUse, location: null, order: ORDER[kind] ?? 1,
  });
  it('removes what expired, what belongs to deleted users and unused networks; keeps kept data and orphans', () => {
    const now = new Date('2026-01-10T00:00:00Z');
    const plan = planCleanup({
      resources: [r('network', 'gone', null), r('volume', 'gone', 'x', false), r('workspace', 'gone', 'x'), r('workspace', 'alice', 'old'),
        r('workspace', 'alice', 'fresh'), r('volume', 'alice', 'kept', false), r('network', 'bob', null, false), r('network', 'alice', null, true),
        r('workspace', 'stranger', 'w'), r('volume', 'stranger', 'w', false), r('network', 'stranger', null, false)],
      users: new Set(['alice', 'bob']),
      deleted: new Set(['gone']),
      expiry: new Map([['alice/old', '2026-01-09T00:00:00Z'], ['alice/fresh', '2026-02-01T00:00:00Z']]),
      now,
    });
    expect(plan.map((i) => [i.resource.kind, i.resource.user, i.resource.workspace, i.reason])).toEqual([
      ['workspace', 'gone', 'x', 'user-deleted'], ['workspace', 'alice', 'old', 'expired'],
      ['volume', 'gone', 'x', 'user-deleted'],
      ['network', 'gone', null, 'user-deleted'], ['network', 'bob', null, 'dangling-network'],
    ]);
  });
});

describe('idle decision', () => {
  const now = new Date('2026-01-01T01:00:00Z');
  const base = { now, startedAt: '2026-01-01T00:00:00Z', lastAccess: null, openSessions: 0, app: null };
  it('culls after the timeout unless something is active', () => {
    expect(shouldCull(base, 30)).toBe(true);
    expect(shouldCull({ ...base, lastAccess: '2026-01-01T00:45:00Z' }, 30)).toBe(false);
    expect(shouldCull({ ...base, openSessions: 1 }, 30)).toBe(false);
    expect(shouldCull({ ...base, app: { lastActivity: null, busyKernels: 1 } }, 30)).toBe(false);
    expect(shouldCull({ ...base, app: { lastActivity: '2026-01-01T00:50:00Z', busyKernels: 0 } }, 30)).toBe(false);
  });
});

describe('auth throttle', () => {
  it('delays from the sixth failure and blocks past fifteen, per address, for a minute', () => {
    let t = 0;
    const th = new AuthThrottle(() => t);
    for (let i = 0; i < 4; i++) th.fail('a');
    expect(th.penalty('a')).toBe(0);
    th.fail('a');
    expect(th.penalty('a')).toBe(100);
    th.fail('a');
    expect(th.penalty('a')).toBe(200);
    expect(th.penalty('b')).toBe(0);
    for (let i = 0; i < 15; i++) th.fail('a');
    expect(th.penalty('a')).toBe(Infinity);
    t += 61_000;
    expect(th.penalty('a')).toBe(0);
  });
});

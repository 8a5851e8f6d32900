/** The UI's pure logic, without a page: formatting, the live list reducer, charts, quota, progress. */
import { describe, expect, it } from 'vitest';
import type { WorkspaceView } from '../../main/api/dto';
import { expiresSoon, formatBytes, formatCpus, formatGpus, timeLeft } from '../../renderer/src/lib/format';
import { keyOf, needsRefresh, reduceList, sortedWorkspaces, type ListState } from '../../renderer/src/lib/live-workspaces';
import { niceMax, polylinePoints } from '../../renderer/src/lib/chart-math';
import { quotaLines } from '../../renderer/src/lib/quota';
import { overallPercent, stepLabel } from '../../renderer/src/lib/progress';
import { SeriesStore } from '../../renderer/src/lib/all-stats';
import { bodyOf } from '../../renderer/src/pages/new-workspace';

const ws = (over: Partial<WorkspaceView>): WorkspaceView => ({
  id: 'x', origin: 'o', user: 'alice', name: 'w', state: 'running', status: '', spec: null, specIssue: null, limits: null,
  image: 'img', createdAt: '2026-01-01T00:00:00Z', startedAt: null, expiresAt: null, baseUrl: '/', network: null, volume: null, node: null, orphaned: false, url: null,
  ...over,
});
const at = '2026-01-01T00:00:00Z';

describe('format', () => {
  it('writes sizes, CPUs, GPUs and time left as people read them', () => {
    expect(formatBytes(512 * 1024 ** 2)).toBe('512 MiB');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.5 GiB');
    expect(formatBytes(null)).toBe('—');
    expect(formatCpus(1)).toBe('1 CPU');
    expect(formatCpus(0.5)).toBe('0.5 CPUs');
    expect(formatCpus(null)).toBe('no limit');
    expect(formatGpus({ kind: 'devices', ids: ['0', '2'] })).toBe('0,2');
    const now = Date.parse(at);
    expect(timeLeft('2026-01-03T00:00:00Z', now - 60_000)).toBe('2d 0h');
    expect(timeLeft('2026-01-01T03:12:00Z', now)).toBe('3h 12m');
    expect(timeLeft('2026-01-01T00:04:10Z', now)).toBe('4m 10s');
    expect(timeLeft('2025-12-31T00:00:00Z', now)).toBe('expired');
    expect(expiresSoon('2026-01-01T23:00:00Z', now)).toBe(true);
    expect(expiresSoon('2026-01-03T00:00:00Z', now)).toBe(false);
  });
});

describe('the live list', () => {
  const start: ListState = reduceList(new Map(), { type: 'load', items: [ws({ name: 'b' }), ws({ name: 'a', state: 'stopped' })] });
  it('applies state, extension and removal events at once, and ignores unknown workspaces until fetched', () => {
    let s = reduceList(start, { type: 'event', event: { type: 'workspace.state', user: 'alice', name: 'a', state: 'starting', at } });
    expect(s.get('alice/a')!.state).toBe('starting');
    s = reduceList(s, { type: 'event', event: { type: 'workspace.extended', user: 'alice', name: 'b', expiresAt: '2026-02-01T00:00:00Z', at } });
    expect(s.get('alice/b')!.expiresAt).toBe('2026-02-01T00:00:00Z');
    s = reduceList(s, { type: 'event', event: { type: 'workspace.removed', user: 'alice', name: 'b', at } });
    expect([...s.keys()]).toEqual(['alice/a']);
    const same = reduceList(s, { type: 'event', event: { type: 'workspace.state', user: 'bob', name: 'z', state: 'running', at } });
    expect(same).toBe(s);
    expect(start.get('alice/a')!.state).toBe('stopped'); // never mutated
    expect(sortedWorkspaces(start).map(keyOf)).toEqual(['alice/a', 'alice/b']);
  });
  it('fetches the full view after state-like events only', () => {
    expect(needsRefresh({ type: 'workspace.state', user: 'a', name: 'b', state: 'running', at })).toBe(true);
    expect(needsRefresh({ type: 'workspace.progress', user: 'a', name: 'b', progress: { phase: 'create', percent: 1, message: '' }, at })).toBe(false);
  });
});

describe('charts', () => {
  it('scales values into the box, newest at the right edge, clamped', () => {
    expect(polylinePoints([0, 50, 200], 100, 10, 100, 3)).toBe('0,10 50,5 100,0');
    expect(polylinePoints([50], 100, 10, 100, 3)).toBe('100,5');
    expect(polylinePoints([], 100, 10, 100)).toBe('');
    expect(niceMax([30], 100)).toBe(100);
    expect(niceMax([130], 100)).toBe(200);
    expect(niceMax([260], 100)).toBe(500);
  });
});

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

describe('create progress', () => {
  it('gives each phase a slice of one bar that never goes back', () => {
    expect(overallPercent({ phase: 'pull', image: 'i', percent: 50, message: '', layers: [] })).toBe(30);
    expect(overallPercent({ phase: 'create', percent: 100, message: '' })).toBe(75);
    expect(overallPercent({ phase: 'start', percent: 100, message: '' })).toBe(90);
    expect(overallPercent({ phase: 'create', percent: 0, message: '' }, 90)).toBe(90);
    expect(stepLabel({ phase: 'start', percent: 100, message: '' })).toBe('Started; waiting for it to answer');
  });
  it('sends only what the form sets, leaving the rest to the hub defaults', () => {
    const base = { name: ' nb ', image: 'img:1', customImage: '', cpus: '', memory: '2g', shm: '', gpus: '', days: '3', env: 'A=1\n\n B=2 ', volume: false };
    expect(bodyOf(base)).toEqual({ name: 'nb', image: 'img:1', memory: '2g', days: 3, env: ['A=1', 'B=2'], volume: false });
    expect(bodyOf({ ...base, image: '__custom__', customImage: ' my/img:2 ', memory: '', days: '', env: '', volume: true })).toEqual({ name: 'nb', image: 'my/img:2' });
  });
});

describe('the list\'s stats series', () => {
  const sample = (user: string, name: string, cpu: number) => ({ user, name, cpuPercent: cpu, onlineCpus: 1, memoryUsed: 1, memoryLimit: 2, at: 'x' });
  it('keeps each workspace\'s last 40 samples, drops a workspace missing from a batch, and tells only on a batch', () => {
    const store = new SeriesStore();
    let told = 0;
    store.subscribe(() => told++);
    for (let i = 0; i < 45; i++) store.add({ at: 'x', samples: [sample('a', 'w1', i), sample('a', 'w2', i)] });
    expect(store.get('a/w1')).toHaveLength(40);
    expect(store.get('a/w1')[39]!.cpuPercent).toBe(44);
    const w2 = store.get('a/w2');
    expect(store.get('a/w2')).toBe(w2); // the same array until it changes: rows do not re-render
    store.add({ at: 'x', samples: [sample('a', 'w1', 99)] });
    expect(store.get('a/w2')).toEqual([]);
    expect(told).toBe(46);
  });
});

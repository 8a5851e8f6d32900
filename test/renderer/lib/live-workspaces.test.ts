// renderer/src/lib/live-workspaces.ts: the live list reducer fed by hub events.
import { describe, expect, it } from 'vitest';
import { keyOf, needsRefresh, reduceList, sortedWorkspaces, type ListState } from '../../../renderer/src/lib/live-workspaces';
import { at, workspaceView as ws } from '../support/workspace-view';

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

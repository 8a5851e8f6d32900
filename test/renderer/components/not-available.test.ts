// What the renderer offers by a hub's capabilities (components/not-available.tsx, the workspace
// table's columns in pages/workspaces.tsx): pure decisions, no page needed.
import { describe, expect, it } from 'vitest';
import { HUBDECK_CAPABILITIES, NO_CAPABILITIES } from '../../../main/api/capabilities';
import { missingOf, notAvailableLine, notAvailableSummary } from '../../../renderer/src/components/not-available';
import { columnsOf } from '../../../renderer/src/pages/workspaces';

const jupyterhub = { ...NO_CAPABILITIES, product: 'JupyterHub', why: { stats: 'its REST API reports no CPU or memory use', extend: 'servers do not expire there' }, create: { form: 'user-options' as const, mapping: 'json' as const, defaults: {}, missingScopes: [] } };

describe('what the renderer offers by capabilities', () => {
  it('lists the missing sections in order, with the hub\'s reason or a plain one', () => {
    const what = ['stats', 'logs', 'terminal', 'ssh', 'extend'] as const;
    expect(missingOf(HUBDECK_CAPABILITIES, what)).toEqual([]);
    expect(missingOf(NO_CAPABILITIES, what)).toEqual(what);
    expect(missingOf({ ...NO_CAPABILITIES, logs: true }, what)).toEqual(['stats', 'terminal', 'ssh', 'extend']);
    expect(notAvailableLine(jupyterhub, 'stats')).toBe('CPU and memory: its REST API reports no CPU or memory use.');
    expect(notAvailableLine(NO_CAPABILITIES, 'terminal')).toBe('Terminal: not offered by this hub.');
  });

  it('sums them up in one line for a table, or says nothing when all are there', () => {
    expect(notAvailableSummary(HUBDECK_CAPABILITIES, ['stats', 'extend'])).toBeNull();
    expect(notAvailableSummary(jupyterhub, ['stats', 'extend'])).toBe('Not available on a JupyterHub — CPU and memory: its REST API reports no CPU or memory use. Expiry: servers do not expire there.');
  });

  it('gives the workspace table its columns: limits with a spec form, expiry and usage where the hub has them', () => {
    expect(columnsOf(HUBDECK_CAPABILITIES)).toEqual({ limits: true, expiry: true, usage: true });
    expect(columnsOf(jupyterhub)).toEqual({ limits: false, expiry: false, usage: false });
    expect(columnsOf(NO_CAPABILITIES)).toEqual({ limits: false, expiry: false, usage: false });
    expect(columnsOf({ ...NO_CAPABILITIES, stats: true })).toEqual({ limits: false, expiry: false, usage: true });
  });
});

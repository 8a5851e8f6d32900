// main/shell/notifications.ts: which hub events the desktop tells its user about, and in what words.
import { describe, expect, it } from 'vitest';

describe('notifications', () => {
  it('speaks of readiness, expiry, culling and failures, and stays quiet otherwise', async () => {
    const { notificationFor } = await import('../../../main/shell/notifications');
    const at = '2026-01-01T00:00:00Z';
    expect(notificationFor({ type: 'workspace.expiring', user: 'a', name: 'gpu1', expiresAt: at, at })?.title).toBe('gpu1 expires soon');
    expect(notificationFor({ type: 'workspace.expired', user: 'a', name: 'gpu1', action: 'stop', at })?.body).toMatch(/stopped/);
    // Issue 18 item 7's sibling: no "data volume kept" for a workspace that had none.
    expect(notificationFor({ type: 'workspace.expired', user: 'a', name: 'gpu1', action: 'remove', volumeKept: false, at })?.body).toBe('It was removed.');
    expect(notificationFor({ type: 'workspace.expired', user: 'a', name: 'gpu1', action: 'remove', volumeKept: true, at })?.body).toBe('It was removed; its data volume was kept.');
    expect(notificationFor({ type: 'workspace.culled', user: 'a', name: 'gpu1', idleMinutes: 90, at })?.body).toBe('It had been idle for 90 minutes.');
    expect(notificationFor({ type: 'workspace.state', user: 'a', name: 'gpu1', state: 'failed', at })?.title).toBe('gpu1 failed');
    expect(notificationFor({ type: 'workspace.state', user: 'a', name: 'gpu1', state: 'running', at })?.title).toBe('gpu1 is ready');
    expect(notificationFor({ type: 'workspace.state', user: 'a', name: 'gpu1', state: 'stopping', at })).toBeNull();
    expect(notificationFor({ type: 'workspace.removed', user: 'a', name: 'gpu1', at })).toBeNull();
  });
});

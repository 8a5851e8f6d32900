// The real preload (preload/index.ts) run against the Electron stub: it exposes exactly the two
// documented objects with exactly their documented keys, and the desktop calls reach their channels.
import { describe, expect, it } from 'vitest';
import * as stub from '../support/electron-stub';
import { BRIDGE_KEYS } from '../../main/api/ipc-bridge';
import { DESKTOP_CHANGED, DESKTOP_KEYS, desktopChannel } from '../../preload/desktop-contract';

describe('the preload', () => {
  it('exposes window.hubdeck and window.hubdeckDesktop with exactly the contract keys', async () => {
    await import('../../preload/index');
    expect(Object.keys(stub.contextBridge.exposed).sort()).toEqual(['hubdeck', 'hubdeckDesktop']);
    expect(Object.keys(stub.contextBridge.exposed.hubdeck as object).sort()).toEqual([...BRIDGE_KEYS].sort());
    expect(Object.keys(stub.contextBridge.exposed.hubdeckDesktop as object).sort()).toEqual([...DESKTOP_KEYS].sort());
    const desktop = stub.contextBridge.exposed.hubdeckDesktop as Record<string, (...a: unknown[]) => unknown>;
    await desktop.openWorkspace!('me', 'w1');
    await desktop.inviteTeammate!({ user: 'bob', hours: 2 });
    expect(stub.ipcRenderer.invoked).toEqual([[desktopChannel('openWorkspace'), 'me', 'w1'], [desktopChannel('inviteTeammate'), { user: 'bob', hours: 2 }]]);
    expect(DESKTOP_CHANGED).toBe('desktop:changed');
  });
});

/**
 * The desktop's hubs as the Hubs page and the tray use them, over a real local hub (in-memory
 * engine): the hub the window talks to is kept in the settings, a workspace opens on it, the ssh
 * command is copied, the local hub cannot be removed, an unknown hub cannot be selected, and the
 * local hub's entry carries why when it could not start.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubClient } from '../../../main/api/hub-client';
import { openLocalHub, type LocalHub } from '../../../main/server/local-hub';
import type { LocalAccess } from '../../../main/server/local-access';
import { ConnectedHubs } from '../../../main/shell/connected-hubs';
import { DesktopHubs } from '../../../main/shell/desktop-hubs';
import { LocalHubRunner } from '../../../main/shell/local-hub-runner';
import type { WorkspaceTarget } from '../../../main/shell/workspace-windows';
import { memorySettings } from '../../support/memory-settings';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'desktop-hubs-'));
let local: LocalHub;
const access = { url: 'http://127.0.0.1:1', sshAddress: null, signInUrl: () => '', stop: async () => undefined } satisfies LocalAccess;

beforeAll(async () => {
  local = await openLocalHub({ admin: 'me', env: {}, dataDir, engine: 'fake' });
});
afterAll(async () => {
  await local.client.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function setup() {
  const mem = memorySettings();
  const settings = await mem.open();
  const shown: WorkspaceTarget[] = [];
  const copied: string[] = [];
  let reloads = 0;
  const connected = new ConnectedHubs({ remoteClient: () => { throw new Error('no remote hubs here'); }, onEvent: () => undefined, onLost: () => undefined });
  const hubs = new DesktopHubs({
    hubs: connected, settings, remoteClient: () => ({}) as HubClient,
    windows: { show: async (t) => { shown.push(t); return null as never; }, closeAll: () => undefined },
    copy: (t) => void copied.push(t), refresh: async () => undefined, rebuildTray: () => undefined, changed: () => undefined,
    reloadMain: () => { reloads++; },
  });
  const runner = new LocalHubRunner({ user: 'me', openLocalHub: async () => local, startLocalAccess: async () => access });
  await hubs.connectAll(await runner.start());
  return { hubs, mem, shown, copied, reloads: () => reloads, runner };
}

describe('the desktop hubs', () => {
  it('answers the Hubs page: the local hub, active', async () => {
    const { hubs } = await setup();
    expect(await hubs.handlers().hubs()).toEqual([expect.objectContaining({ key: 'local', label: 'This computer', url: access.url, user: 'me', admin: true, active: true, error: null })]);
    expect(hubs.activeHub().hub.key).toBe('local');
  });

  it('opens a workspace on the hub the window talks to, signed in by the main process', async () => {
    const { hubs, shown } = await setup();
    expect(await hubs.handlers().openWorkspace('me', 'w1')).toBeNull();
    expect(shown).toEqual([expect.objectContaining({ hubKey: 'local', hubUrl: access.url, user: 'me', name: 'w1', signIn: expect.any(Function) })]);
  });

  it('copies the ssh command of a workspace', async () => {
    const { hubs, copied } = await setup();
    expect(await hubs.handlers().copySshCommand('local', 'w1')).toBe('ssh w1.hubdeck');
    expect(copied).toEqual(['ssh w1.hubdeck']);
    expect(() => hubs.sshCommand('nope', 'w1')).toThrow(/no hub nope/);
  });

  it('refuses to remove the local hub or select one it does not have, changing nothing', async () => {
    const { hubs, mem, reloads } = await setup();
    await expect(hubs.handlers().removeHub('local')).rejects.toThrow(/cannot be removed/);
    await expect(hubs.handlers().selectHub('team')).rejects.toThrow(/no hub team/);
    expect(hubs.activeKey).toBe('local');
    expect(reloads()).toBe(0);
    await hubs.handlers().selectHub('local');
    expect(reloads()).toBe(1);
    expect(mem.file().activeHub).toBe('local');
  });

  it('lists the local hub with why when it could not start', async () => {
    const runner = new LocalHubRunner({ user: 'me', openLocalHub: async () => { throw new Error('Docker is not running'); }, startLocalAccess: async () => access });
    expect(await runner.start()).toMatchObject({ key: 'local', client: null, url: null, error: 'Docker is not running' });
    expect(runner.hub).toBeNull();
    await runner.stopAccess();
  });
});

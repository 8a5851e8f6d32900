/**
 * The desktop's hubs as the Hubs page and the tray use them, over a real local hub (in-memory
 * engine): the hub the window talks to is kept in the settings, a workspace opens on it, the ssh
 * command is copied, the local hub cannot be removed, an unknown hub cannot be selected, and the
 * local hub's entry carries why when it could not start; a settings file of the previous layout
 * (version 3) connects its saved hub as before.
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
import { startApiHub } from '../../support/api-hub';
import { remoteHubClient } from '../../../main/client/remote-hub-client';
import { SETTINGS_VERSION } from '../../../main/shell/settings-schema';

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

async function setup(mem = memorySettings(), remoteClient: typeof remoteHubClient = () => { throw new Error('no remote hubs here'); }) {
  const settings = await mem.open();
  const shown: WorkspaceTarget[] = [];
  const copied: string[] = [];
  let reloads = 0;
  const connected = new ConnectedHubs({ remoteClient, onEvent: () => undefined, onLost: () => undefined });
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

describe('the desktop hubs from a version 3 settings file', () => {
  it('connect its saved hub under its id with the token from the keychain, still the active one; the file becomes version 4', async () => {
    const team = await startApiHub('dhv3');
    try {
      const v3 = { version: 3, activeHub: 'team', hubs: [{ id: 'team', url: team.url, fingerprint: null, user: 'admin', hubId: 'team-hub', addedAt: '2026-03-01T00:00:00Z', kind: 'hubdeck' }] };
      const mem = memorySettings(v3);
      await mem.secretStore.set(`${team.url}#admin`, team.adminToken);
      const { hubs } = await setup(mem, remoteHubClient);
      expect(await hubs.handlers().hubs()).toEqual([
        expect.objectContaining({ key: 'local', active: false }),
        expect.objectContaining({ key: 'team', kind: 'hubdeck', label: 'team', url: team.url, user: 'admin', admin: true, error: null, active: true }),
      ]);
      expect(hubs.activeHub().hub.key).toBe('team');
      expect(mem.file()).toMatchObject({ version: SETTINGS_VERSION, hubs: [{ name: 'team', kind: 'hubdeck', hubId: 'team-hub' }] });
      await hubs.handlers().removeHub('team');
      expect(mem.secrets.size).toBe(0);
    } finally {
      await team.stop();
    }
  });
});

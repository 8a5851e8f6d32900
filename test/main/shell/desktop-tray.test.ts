/**
 * The tray over the connected hubs: the menu comes from the hubs' state, a burst of hub events is
 * one refresh, a user's own workspace becoming ready is a notification (named by hub when there are
 * several, and only when the preference allows), progress is none, and a polled hub's answer only
 * refreshes when whether it answered changed.
 */
import { describe, expect, it } from 'vitest';
import type * as Electron from 'electron';
import type { HubClient } from '../../../main/api/hub-client';
import type { HubEvent } from '../../../main/api/events';
import { ConnectedHubs, type ConnectedHub } from '../../../main/shell/connected-hubs';
import { DesktopTray } from '../../../main/shell/desktop-tray';
import { Menu, Tray } from '../../support/electron-stub';

const at = new Date(0).toISOString();
const hubEntry = (key: string, listed: number[]): ConnectedHub => ({
  key, kind: 'hubdeck', label: key, url: null, user: 'me', admin: true, fingerprint: null, sshAlias: key, error: null, workspaces: [], off: null,
  client: { listWorkspaces: async () => { listed.push(1); return [{ name: 'w1', state: 'running', user: 'me' }]; }, subscribe: async () => () => undefined } as unknown as HubClient,
});

async function setup(o: { notifications?: boolean; hubs?: string[] } = {}) {
  const tray = new Tray({ path: 'icon.png' });
  const shown: { title: string; body: string }[] = [];
  const listed: number[] = [];
  const hubs = new ConnectedHubs({ remoteClient: () => { throw new Error('no remote hubs here'); }, onEvent: () => undefined, onLost: () => undefined });
  for (const key of o.hubs ?? ['local']) await hubs.connect(hubEntry(key, listed));
  const t = new DesktopTray({
    tray: tray as unknown as Electron.Tray, Menu: Menu as unknown as typeof Electron.Menu, hubs, refreshMs: 10,
    sharing: () => null, tunnels: () => [], onAction: () => undefined,
    notifications: () => o.notifications ?? true, notify: (n) => void shown.push(n),
  });
  return { t, tray, shown, listed, hub: hubs.get('local')! };
}
const settle = () => new Promise((r) => setTimeout(r, 50));
const labels = (tray: Tray) => (tray.menus.at(-1)!.template as { label?: string }[]).map((i) => i.label);

describe('the desktop tray', () => {
  it('builds the menu from the hubs, refreshing their workspaces first', async () => {
    const { t, tray } = await setup();
    await t.refresh();
    expect(labels(tray).some((l) => l?.startsWith('● w1'))).toBe(true);
    expect(t.state()).toMatchObject({ hubs: [{ key: 'local', workspaces: [{ name: 'w1', state: 'running' }] }], sharing: null, tunnels: [] });
  });

  it('refreshes once per burst of events and notifies what deserves it', async () => {
    const { t, shown, listed, hub } = await setup();
    for (const e of [
      { type: 'workspace.progress', user: 'me', name: 'w1', progress: { phase: 'create', percent: 50, message: '' }, at },
      { type: 'workspace.state', user: 'me', name: 'w1', state: 'running', at },
      { type: 'workspace.state', user: 'other', name: 'x', state: 'running', at },
    ] as HubEvent[]) t.onEvent(hub, e);
    await settle();
    expect(listed).toHaveLength(1);
    expect(shown).toEqual([{ title: 'w1 is ready', body: 'Open it from the tray or the app.' }]);
  });

  it('names the hub in a notification when there are several, and is silent when the user said so', async () => {
    const several = await setup({ hubs: ['local', 'team'] });
    several.t.onEvent(several.hub, { type: 'workspace.state', user: 'me', name: 'w1', state: 'failed', at });
    expect(several.shown).toEqual([{ title: 'w1 failed (local)', body: 'See its logs for why.' }]);
    const quiet = await setup({ notifications: false });
    quiet.t.onEvent(quiet.hub, { type: 'workspace.state', user: 'me', name: 'w1', state: 'failed', at });
    expect(quiet.shown).toEqual([]);
    await settle();
  });

  it('refreshes on a polled hub only when whether it answered changed', async () => {
    const { t, listed, hub } = await setup();
    t.onEvent(hub, { type: 'hub.polled', ok: true, at } as HubEvent);
    await settle();
    expect(listed).toHaveLength(0);
    t.onEvent(hub, { type: 'hub.polled', ok: false, error: 'timed out', at } as HubEvent);
    expect(hub.error).toBe('timed out');
    await settle();
    expect(listed).toHaveLength(1);
    t.destroy();
  });
});

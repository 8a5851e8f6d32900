/**
 * What each tray item does (tray-menu.ts names the actions): open pages of the main window, share,
 * open and start or stop workspaces, copy ssh commands, run tunnels. A failure is logged and shown
 * as a notification, since a menu click has nobody to answer.
 */
import type { ShowRequest } from '../../preload/desktop-contract';
import type { ConnectedHubs } from './connected-hubs';
import type { DesktopHubs } from './desktop-hubs';
import type { DesktopTray } from './desktop-tray';
import type { DesktopTunnels } from './desktop-tunnels';
import type { ShareSwitch } from './share-switch';
import type { TrayAction } from './tray-menu';
import { errorMessage } from '../core/errors';

export interface TrayActionDeps {
  hubs: DesktopHubs;
  connected: ConnectedHubs;
  sharing: ShareSwitch;
  tunnels: DesktopTunnels;
  tray: DesktopTray;
  /** The desktop's user (the local hub's admin). */
  user: string;
  log: (m: string) => void;
  notify: (n: { title: string; body: string }) => void;
  quit: () => void;
  showMain: () => void;
  showPage: (r: ShowRequest) => void;
}


export function trayActions(d: TrayActionDeps): (a: TrayAction) => void {
  const fail = (what: string) => (e: unknown) => {
    d.log(`${what}: ${errorMessage(e)}`);
    d.notify({ title: `Could not ${what}`, body: errorMessage(e) });
  };
  /** Runs `fn` so that a throw, too, ends in `fail`. */
  const attempt = (what: string, fn: () => unknown) => Promise.resolve().then(fn).catch(fail(what));
  const startStop = (kind: 'start' | 'stop', key: string, name: string) => attempt(`${kind} ${name}`, () => {
    const { hub, client } = d.connected.clientOf(key);
    const ref = { user: hub.user, name };
    return kind === 'start' ? client.startWorkspace(ref) : client.stopWorkspace(ref);
  }).finally(() => d.tray.scheduleRefresh());
  return (a) => {
    switch (a.kind) {
      case 'quit': return d.quit();
      case 'show': return d.showMain();
      case 'settings': case 'tunnels': return d.showPage({ page: a.kind, hub: null });
      case 'new-workspace': return d.showPage({ page: 'new-workspace', hub: a.hub });
      case 'open-admin': return d.showPage({ page: 'admin', hub: a.hub });
      case 'share': return void d.sharing.start().then(() => d.showPage({ page: 'share', hub: 'local' }), fail('share this hub'));
      case 'stop-sharing': return void d.sharing.stop().catch(fail('stop sharing'));
      case 'open': return void attempt(`open ${a.name}`, () => d.hubs.openWorkspace(a.hub, d.connected.get(a.hub)?.user ?? d.user, a.name));
      case 'copy-ssh': return void attempt('copy the SSH command', () => d.hubs.sshCommand(a.hub, a.name));
      case 'start': case 'stop': return void startStop(a.kind, a.hub, a.name);
      case 'tunnel': return void d.tunnels.toggle(a.name, a.run).catch(fail(`${a.run ? 'start' : 'stop'} tunnel ${a.name}`)).finally(() => d.tray.rebuild());
    }
  };
}

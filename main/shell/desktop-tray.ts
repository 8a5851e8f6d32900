/**
 * The tray over every connected hub: its menu rebuilt from the state (tray-menu.ts decides what it
 * shows), one rebuild per burst of hub events, and each hub event that deserves a desktop
 * notification shown. Electron's Tray, Menu and Notification are passed in.
 */
import type * as Electron from 'electron';
import type { HubEvent } from '../api/events';
import type { ConnectedHub, ConnectedHubs } from './connected-hubs';
import { notificationFor } from './notifications';
import { trayTemplate, type TrayAction, type TrayState } from './tray-menu';

export interface DesktopTrayDeps {
  tray: Electron.Tray;
  Menu: Pick<typeof Electron.Menu, 'buildFromTemplate'>;
  hubs: ConnectedHubs;
  /** What the tray shows besides the hubs. */
  sharing: () => string | null;
  tunnels: () => TrayState['tunnels'];
  onAction: (a: TrayAction) => void;
  /** Whether the user wants notifications (a preference). */
  notifications: () => boolean;
  /** Shows a desktop notification when the platform can. */
  notify: (n: { title: string; body: string }) => void;
  /** Coalescing delay of rebuilds after bursts of events. */
  refreshMs: number;
}

export class DesktopTray {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly d: DesktopTrayDeps) {}

  state(): TrayState {
    return { hubs: this.d.hubs.trayHubs(), sharing: this.d.sharing(), tunnels: this.d.tunnels() };
  }

  rebuild(): void {
    this.d.tray.setContextMenu(this.d.Menu.buildFromTemplate(trayTemplate(this.state(), this.d.onAction)));
  }

  /** Every hub's workspaces again, then the menu. */
  async refresh(): Promise<void> {
    await this.d.hubs.refresh();
    this.rebuild();
  }

  /** Events come in bursts (a create is many progress events): one refresh per burst. */
  scheduleRefresh(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.refresh();
    }, this.d.refreshMs);
  }

  onEvent(h: ConnectedHub, e: HubEvent): void {
    if (e.type === 'workspace.progress') return;
    // A polled JupyterHub: its changes come as state events; a poll only says whether it answered.
    if (e.type === 'hub.polled') {
      const error = e.ok ? null : e.error ?? 'did not answer';
      if (error !== h.error) this.scheduleRefresh();
      h.error = error;
      return;
    }
    const n = this.d.notifications() && e.user === h.user ? notificationFor(e) : null;
    if (n) this.d.notify({ ...n, title: this.d.hubs.size > 1 ? `${n.title} (${h.label})` : n.title });
    this.scheduleRefresh();
  }

  destroy(): void {
    if (this.timer) clearTimeout(this.timer);
    this.d.tray.destroy();
  }
}

/**
 * The tunnels the desktop app runs: the same definitions the CLI keeps (the data directory's
 * tunnels.json), started in this process from the tray, and shown as running whether this app or a
 * `hubdeck tunnel start` process carries them. No Electron here, so it tests without it.
 */
import { startForward, type RunningForward } from '../access/port-forward';
import type { PortDialer } from '../client/port-dialer';
import type { Tunnel, TunnelStore } from '../client/tunnel-store';
import { HubdeckError, errorMessage } from '../core/errors';
import type { TunnelInfo, TunnelRequest } from '../../preload/desktop-contract';
import type { SomeDesktopHandlers } from './desktop-api-ipc';

export interface TunnelState {
  name: string;
  running: boolean;
}

export class DesktopTunnels {
  private readonly running = new Map<string, RunningForward>();

  /** `dialerFor` gives the dialer of a tunnel's hub, or null when this app cannot reach it. */
  constructor(private readonly store: TunnelStore, private readonly dialerFor: (t: Tunnel) => PortDialer | null, private readonly log: (m: string) => void) {}

  list(): TunnelState[] {
    return this.store.list().map((t) => ({ name: t.name, running: this.running.has(t.name) || this.store.runningPid(t.name) !== null }));
  }

  /** For the tray: a tunnels file that cannot be read is logged and shows as none. */
  listOrNone(): TunnelState[] {
    try {
      return this.list();
    } catch (e) {
      this.log(`tunnels: ${errorMessage(e)}`);
      return [];
    }
  }

  /** For the Tunnels page: every tunnel with where it goes and whether it runs. */
  infos(): TunnelInfo[] {
    const running = new Map(this.list().map((t) => [t.name, t.running]));
    return this.store.list().map((t) => ({ name: t.name, workspace: t.workspace, user: t.user, hub: t.hub, local: t.local, remote: t.remote, running: running.get(t.name) ?? false }));
  }

  /** A tunnel to a workspace of `user` on the local hub (the app adds only those; the CLI adds others). */
  add(r: TunnelRequest, user: string): void {
    this.store.add({ ...r, user, hub: null, fingerprint: null, createdAt: new Date().toISOString() });
  }

  async remove(name: string): Promise<void> {
    this.store.get(name);
    await this.stop(name);
    this.store.remove(name);
  }

  async start(name: string): Promise<void> {
    const t = this.store.get(name);
    if (this.running.has(name) || this.store.runningPid(name) !== null) return;
    const dialer = this.dialerFor(t);
    if (!dialer) throw new HubdeckError('unavailable', `tunnel ${name} goes to ${t.hub}, which this app is not connected to; start it with hubdeck tunnel start ${name}`);
    this.running.set(name, await startForward({ dialer, ref: { user: t.user, name: t.workspace }, local: t.local, remote: t.remote, log: this.log }));
  }

  async stop(name: string): Promise<void> {
    const f = this.running.get(name);
    this.running.delete(name);
    if (f) await f.close();
    else if (this.store.runningPid(name) !== null) throw new HubdeckError('conflict', `tunnel ${name} runs in another process; stop it with hubdeck tunnel stop ${name}`);
  }

  async toggle(name: string, run: boolean): Promise<void> {
    return run ? this.start(name) : this.stop(name);
  }

  /** The Tunnels page's calls: new tunnels are `user`'s on the local hub; `changed` rebuilds the tray. */
  handlers(user: string, changed: () => void): SomeDesktopHandlers<'tunnels' | 'addTunnel' | 'removeTunnel' | 'setTunnelRunning'> {
    const after = async (fn: () => unknown): Promise<TunnelInfo[]> => {
      await fn();
      changed();
      return this.infos();
    };
    return {
      tunnels: async () => this.infos(),
      addTunnel: (r) => after(() => this.add(r, user)),
      removeTunnel: (name) => after(() => this.remove(name)),
      setTunnelRunning: (name, run) => after(() => this.toggle(name, run)),
    };
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running.values()].map((f) => f.close()));
    this.running.clear();
  }
}

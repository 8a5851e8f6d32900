/**
 * The hubs the desktop app is connected to — this computer's and each saved remote one (a Hubdeck
 * hub or a connected JupyterHub) — with their event subscriptions and the workspaces the tray lists.
 * A hub that cannot be reached stays in the list with why, so the tray and the Hubs page can say
 * so; nothing here touches Electron (the shell decides what an event means for the user).
 */
import { HubdeckError, errorMessage } from '../core/errors';
import type { HubClient } from '../api/hub-client';
import { capabilitiesOf, type HubCapabilities } from '../api/capabilities';
import type { HubEvent } from '../api/events';
import type { RemoteHubClientOptions } from '../client/remote-hub-client';
import { formatFingerprint } from '../client/pinned-agent';
import type { HubSummary } from '../../preload/desktop-contract';
import type { RemoteHubSetting } from './settings-schema';
import type { TrayHub } from './tray-menu';
import { rejoinHint } from './remote-hubs';
import { clientForSavedHub } from '../client/saved-hub-client';

export interface ConnectedHub {
  key: string;
  kind: 'hubdeck' | 'jupyterhub';
  label: string;
  url: string | null;
  user: string;
  admin: boolean;
  fingerprint: string | null;
  /** The alias `hubdeck ssh-config` gives the hub: "hubdeck" for the local hub, else its id. */
  sshAlias: string;
  client: HubClient | null;
  /** What the hub can do, from its info once connected (unset: this computer's hub, a Hubdeck hub). */
  capabilities?: HubCapabilities;
  error: string | null;
  workspaces: TrayHub['workspaces'];
  off: (() => void) | null;
}

export interface ConnectedHubsDeps {
  remoteClient: (o: RemoteHubClientOptions) => HubClient;
  onEvent: (h: ConnectedHub, e: HubEvent) => void;
  /** A hub's event stream ended for good (its error says why). */
  onLost: (h: ConnectedHub) => void;
}


export class ConnectedHubs {
  private readonly hubs = new Map<string, ConnectedHub>();

  constructor(private readonly d: ConnectedHubsDeps) {}

  get size(): number {
    return this.hubs.size;
  }

  get(key: string): ConnectedHub | undefined {
    return this.hubs.get(key);
  }

  list(): ConnectedHub[] {
    return [...this.hubs.values()];
  }

  /** Adds the hub and follows its events (a hub without a client is listed with its error). */
  async connect(h: ConnectedHub): Promise<ConnectedHub> {
    this.hubs.set(h.key, h);
    if (!h.client) return h;
    try {
      h.off = await h.client.subscribe((e) => this.d.onEvent(h, e), { onClose: (why) => { h.error = why.message; this.d.onLost(h); } });
    } catch (e) {
      h.error = errorMessage(e);
    }
    return h;
  }

  /** Connects a saved remote hub with its token from the keychain, replacing one with its name. */
  async connectSaved(saved: RemoteHubSetting, tokenOf: (saved: RemoteHubSetting) => Promise<string | null>): Promise<ConnectedHub> {
    await this.disconnect(saved.name);
    const fingerprint = saved.fingerprint ? formatFingerprint(saved.fingerprint) : null;
    const h: ConnectedHub = { key: saved.name, kind: saved.kind, label: saved.name, url: saved.url, user: saved.user, admin: false, fingerprint, sshAlias: saved.hubId, client: null, error: null, workspaces: [], off: null };
    try {
      const token = await tokenOf(saved);
      if (!token) throw new HubdeckError('unauthorized', `its token is not in the keychain; ${rejoinHint(saved)}`);
      h.client = (await clientForSavedHub(saved, token, { remoteClient: this.d.remoteClient })).client;
      const info = await h.client.info();
      h.admin = info.user.admin;
      h.capabilities = capabilitiesOf(info);
    } catch (e) {
      h.error = errorMessage(e);
    }
    return this.connect(h);
  }

  /** Stops following the hub and closes its client; it leaves the list. */
  async disconnect(key: string): Promise<void> {
    const h = this.hubs.get(key);
    if (!h) return;
    this.hubs.delete(key);
    h.off?.();
    await h.client?.close().catch(() => undefined);
  }

  /** Every hub's own workspaces again, for the tray; a hub that fails keeps why. */
  async refresh(): Promise<void> {
    await Promise.all(this.list().map((h) => this.refreshHub(h)));
  }

  private async refreshHub(h: ConnectedHub): Promise<void> {
    if (!h.client) return;
    try {
      const list = await h.client.listWorkspaces({ user: h.user });
      h.workspaces = list.map((w) => ({ name: w.name, state: w.state, user: w.user }));
      h.error = null;
    } catch (e) {
      h.error = errorMessage(e);
    }
  }

  /** The hub and its client, or why it cannot be used now. */
  clientOf(key: string): { hub: ConnectedHub; client: HubClient } {
    const hub = this.hubs.get(key);
    if (!hub) throw new HubdeckError('not_found', `no hub ${key} in this app`);
    if (!hub.client) throw new HubdeckError('unavailable', `hub ${hub.label} is not connected: ${hub.error ?? 'unknown reason'}`);
    return { hub, client: hub.client };
  }

  summary(h: ConnectedHub, activeKey: string): HubSummary {
    return { key: h.key, kind: h.kind, label: h.label, url: h.url, user: h.user, admin: h.admin, fingerprint: h.fingerprint, error: h.error, active: h.key === activeKey };
  }

  trayHubs(): TrayHub[] {
    return this.list().map((h) => ({ key: h.key, label: h.label, error: h.error, admin: h.admin, user: h.user, workspaces: h.workspaces, ssh: capabilitiesOf(h).ssh }));
  }

  /** Closes every hub, the local one (first connected) last: its client closes the hub itself. */
  async closeAll(): Promise<void> {
    for (const h of this.list().reverse()) await this.disconnect(h.key);
  }
}

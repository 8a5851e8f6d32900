/**
 * The desktop's hubs as the user manages them: which one the main window talks to, joining by
 * invite, adding by address and token, removing, and what acts on one hub's workspace (its window,
 * its ssh command). Saved hubs live in the settings (tokens in the keychain), connections in
 * ConnectedHubs; the Hubs page's calls are answered here (handlers()). No Electron here beyond
 * what is passed in, so the tray and the IPC share one implementation.
 */
import { HubdeckError } from '../core/errors';
import { decodeInvite } from '../core/invite-link';
import { sshAliasOf } from '../access/ssh-hub-entries';
import type { HubClient } from '../api/hub-client';
import type { RemoteHubClientOptions } from '../client/remote-hub-client';
import { formatFingerprint } from '../client/pinned-agent';
import type { HubRequest, HubSummary } from '../../preload/desktop-contract';
import type { ConnectedHub, ConnectedHubs } from './connected-hubs';
import type { SomeDesktopHandlers } from './desktop-api-ipc';
import { checkHub, hubNameFor, type NewHub } from './remote-hubs';
import { capabilitiesOf, requireCapability } from '../api/capabilities';
import { hubPageOf, type WorkspaceWindows } from './workspace-windows';
import type { SettingsStore } from './settings-store';

export interface DesktopHubsDeps {
  hubs: ConnectedHubs;
  settings: SettingsStore;
  windows: Pick<WorkspaceWindows, 'show' | 'closeAll'>;
  remoteClient: (o: RemoteHubClientOptions) => HubClient;
  /** Puts text on the clipboard. */
  copy: (text: string) => void;
  /** Every hub's workspaces again, then the tray. */
  refresh: () => Promise<void>;
  rebuildTray: () => void;
  /** Tells the page the hubs changed. */
  changed: () => void;
  /** The main window now talks to another hub: it forgets its subscription and reloads. */
  reloadMain: () => void;
}

type HubCalls = 'hubs' | 'selectHub' | 'joinHub' | 'addHub' | 'removeHub' | 'openWorkspace' | 'copySshCommand';

export class DesktopHubs {
  private active: string;

  constructor(private readonly d: DesktopHubsDeps) {
    this.active = d.settings.get().activeHub;
  }

  /** The key of the hub the main window talks to. */
  get activeKey(): string {
    return this.active;
  }

  /** The hub the main window talks to, and its client (or why it cannot be used now). */
  activeHub(): { hub: ConnectedHub; client: HubClient } {
    return this.d.hubs.clientOf(this.active);
  }

  /** Connects the local hub, then every saved one; an active hub that is gone falls back to the local one. */
  async connectAll(local: ConnectedHub): Promise<void> {
    await this.d.hubs.connect(local);
    for (const h of this.d.settings.get().hubs) await this.connectSaved(h.name);
    if (!this.d.hubs.get(this.active)) this.active = 'local';
  }

  summary(h: ConnectedHub): HubSummary {
    return this.d.hubs.summary(h, this.active);
  }

  async openWorkspace(key: string, user: string, name: string): Promise<void> {
    const { hub, client } = this.d.hubs.clientOf(key);
    if (!hub.url) throw new HubdeckError('unavailable', `hub ${hub.label} has no address to open workspaces at`);
    const target = { hubKey: key, hubUrl: hub.url, fingerprint: hub.fingerprint, user, name };
    const windows = this.d.windows;
    if (capabilitiesOf(hub).open === 'hub-page') await windows.show({ ...target, hubPage: hubPageOf(await client.workspaceSignIn({ user, name })) });
    else await windows.show({ ...target, signIn: () => client.workspaceSignIn({ user, name }) });
  }

  sshCommand(key: string, name: string): string {
    const hub = this.d.hubs.get(key);
    if (!hub) throw new HubdeckError('not_found', `no hub ${key} in this app`);
    requireCapability(capabilitiesOf(hub), 'ssh', 'SSH');
    const cmd = `ssh ${sshAliasOf(name, hub.sshAlias)}`;
    this.d.copy(cmd);
    return cmd;
  }

  /** Redeems an invite (the hub pinned by its fingerprint), then saves and connects the hub. */
  async joinHub(text: string): Promise<HubSummary> {
    const inv = decodeInvite(text);
    const fingerprint = inv.fingerprint ? formatFingerprint(inv.fingerprint) : undefined;
    const anonymous = this.d.remoteClient({ url: inv.url, token: inv.code, fingerprint });
    const redeemed = await anonymous.redeemInvite({ body: { code: inv.code } }).finally(() => anonymous.close());
    const name = hubNameFor(undefined, redeemed.hubId);
    return this.saveHub({ name, kind: 'hubdeck', url: inv.url, fingerprint: inv.fingerprint, user: redeemed.user, hubId: redeemed.hubId }, redeemed.token.token);
  }

  /** Adds a hub by address and token: the hub must answer with that token (and certificate) first. */
  async addHub(r: HubRequest): Promise<HubSummary> {
    return this.saveHub(await checkHub(r, this.d.remoteClient), r.token);
  }

  async selectHub(key: string): Promise<void> {
    this.d.hubs.clientOf(key);
    this.active = key;
    this.d.settings.update((s) => { s.activeHub = key; });
    // The page reloads onto the other hub: its events come from that hub from now on.
    this.d.reloadMain();
  }

  async removeHub(key: string): Promise<void> {
    if (key === 'local') throw new HubdeckError('invalid', 'the local hub cannot be removed');
    this.d.windows.closeAll(key);
    await this.d.hubs.disconnect(key);
    await this.d.settings.removeHub(key);
    if (this.active === key) this.active = 'local';
    this.d.rebuildTray();
  }

  /** The Hubs page's calls; a workspace opens on the hub the page talks to. */
  handlers(): SomeDesktopHandlers<HubCalls> {
    return {
      hubs: async () => this.d.hubs.list().map((h) => this.summary(h)),
      selectHub: async (key) => { await this.selectHub(key); return null; },
      joinHub: (invite) => this.joinHub(invite),
      addHub: (r) => this.addHub(r),
      removeHub: async (key) => { await this.removeHub(key); return null; },
      openWorkspace: async (user, name) => { await this.openWorkspace(this.active, user, name); return null; },
      copySshCommand: async (key, name) => this.sshCommand(key, name),
    };
  }

  private async connectSaved(name: string): Promise<ConnectedHub> {
    const saved = this.d.settings.get().hubs.find((x) => x.name === name);
    if (!saved) throw new HubdeckError('not_found', `hub ${name} is not in the app's hubs`);
    return this.d.hubs.connectSaved(saved, (s) => this.d.settings.tokenOf(s));
  }

  /** Saves the hub (token to the keychain) and connects it; connectSaved replaces one under the same name. */
  private async saveHub(h: NewHub, token: string): Promise<HubSummary> {
    await this.d.settings.addHub({ ...h, addedAt: new Date().toISOString() }, token);
    const c = await this.connectSaved(h.name);
    await this.d.refresh();
    this.d.changed();
    return this.summary(c);
  }
}

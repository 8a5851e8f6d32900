/**
 * The local hub as the desktop app runs it: opened in this process with its timers, its loopback
 * doors (local-access.ts) started, and listed among the connected hubs as "This computer" — with
 * why, when it could not start (the app still runs for its remote hubs).
 */
import type { Hub } from '../hub/hub';
import type { LocalAccess } from '../server/local-access';
import type { LocalHub } from '../server/local-hub';
import type { ConnectedHub } from './connected-hubs';
import { errorMessage } from '../core/errors';

export interface LocalHubRunnerDeps {
  openLocalHub: () => Promise<LocalHub>;
  startLocalAccess: (local: LocalHub) => Promise<LocalAccess>;
  /** The desktop's user: the local hub's admin. */
  user: string;
}

export class LocalHubRunner {
  private local: LocalHub | null = null;
  private access: LocalAccess | null = null;

  constructor(private readonly d: LocalHubRunnerDeps) {}

  /** The local hub, or null when it is not running. */
  get hub(): Hub | null {
    return this.local?.hub ?? null;
  }

  /** Opens the hub and its doors; answers its entry for ConnectedHubs (with the error when it failed). */
  async start(): Promise<ConnectedHub> {
    const entry: ConnectedHub = { key: 'local', kind: 'hubdeck', label: 'This computer', url: null, user: this.d.user, admin: true, fingerprint: null, sshAlias: 'hubdeck', client: null, error: null, workspaces: [], off: null };
    try {
      this.local = await this.d.openLocalHub();
      this.local.hub.startTimers();
      this.access = await this.d.startLocalAccess(this.local);
      entry.client = this.local.client;
      entry.url = this.access.url;
    } catch (e) {
      entry.error = errorMessage(e);
    }
    return entry;
  }

  /** Closes the loopback doors; the hub itself closes with its client (ConnectedHubs.closeAll). */
  async stopAccess(): Promise<void> {
    await this.access?.stop().catch(() => undefined);
  }
}

/**
 * The sharing switch: whether the local hub is shared on the LAN now, and turning it on and off from the tray or the
 * Share page (the listeners themselves are lan-share.ts). Where it listens comes from the
 * shareListen preference at the moment sharing starts.
 */
import { HubdeckError } from '../core/errors';
import type { Hub } from '../hub/hub';
import type { HubClient } from '../api/hub-client';
import type { ShareStatus } from '../../preload/desktop-contract';
import type { SomeDesktopHandlers } from './desktop-api-ipc';
import { inviteTeammate, startSharing, type Sharing } from './lan-share';

export interface ShareSwitchDeps {
  /** The local hub, or null when it is not running. */
  hub: () => Hub | null;
  dataDir: string;
  /** The shareListen preference: HOST:PORT, or null for every LAN address on port 8585. */
  listen: () => string | null;
  log: (m: string) => void;
  /** Sharing started or stopped: the tray and the pages show it. */
  onChange: () => void;
}

/** HOST:PORT (an IPv6 host in brackets; an empty host = every address) as listen options. Pure. */
export function listenOptions(listen: string | null): { host?: string; port?: number } {
  const m = listen ? /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(listen) : null;
  return m ? { host: m[1] ?? (m[2] || undefined), port: Number(m[3]) } : {};
}

export class ShareSwitch {
  private sharing: Sharing | null = null;

  constructor(private readonly d: ShareSwitchDeps) {}

  /** The LAN address while shared, else null. */
  get url(): string | null {
    return this.sharing?.url ?? null;
  }

  status(): ShareStatus {
    const s = this.sharing;
    return { sharing: Boolean(s), url: s?.url ?? null, fingerprint: s?.fingerprint ?? null, sshAddress: s?.sshAddress ?? null };
  }

  async start(): Promise<ShareStatus> {
    const hub = this.d.hub();
    if (!hub) throw new HubdeckError('unavailable', 'the local hub is not running');
    this.sharing ??= await startSharing(hub, { dataDir: this.d.dataDir, ...listenOptions(this.d.listen()), log: this.d.log });
    this.d.onChange();
    return this.status();
  }

  async stop(): Promise<ShareStatus> {
    const s = this.sharing;
    this.sharing = null;
    await s?.stop();
    this.d.onChange();
    return this.status();
  }

  /** The Share page's calls; inviting shares the hub first if it is not shared yet. */
  handlers(localClient: () => HubClient): SomeDesktopHandlers<'shareStatus' | 'startSharing' | 'stopSharing' | 'inviteTeammate'> {
    return {
      shareStatus: async () => this.status(),
      startSharing: () => this.start(),
      stopSharing: () => this.stop(),
      inviteTeammate: async (r) => {
        if (!this.url) await this.start();
        return inviteTeammate(localClient(), r);
      },
    };
  }
}

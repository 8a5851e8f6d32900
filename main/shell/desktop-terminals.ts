/**
 * The app's terminal tab, relayed by the main process. The app's page talks to hubs over IPC: it
 * has no session cookie with any hub, and its CSP lets it connect nowhere but itself. So the main
 * process opens the hub's terminal socket (main/client/terminal-client.ts) and passes bytes both
 * ways over IPC, by terminal id. No Electron here: tested in plain Node.
 */
import { randomBytes } from 'node:crypto';
import { HubdeckError } from '../core/errors';
import { connectTerminal, type TerminalConnection, type TerminalRequest } from '../client/terminal-client';
import { DESKTOP_TERMINAL, type TerminalEvent } from '../../preload/desktop-contract';
import type { HubClient } from '../api/hub-client';
import { capabilitiesOf, requireCapability } from '../api/capabilities';
import type { ConnectedHub } from './connected-hubs';
import type { SomeDesktopHandlers } from './desktop-api-ipc';
import type { IpcSender } from './hub-api-ipc';

export class DesktopTerminals {
  private readonly open = new Map<string, TerminalConnection>();

  constructor(private readonly connect: (r: TerminalRequest) => Promise<TerminalConnection> = connectTerminal) {}

  /** Connects, and answers the terminal's id once the hub has accepted it (or throws its refusal). */
  async start(r: TerminalRequest, sender: IpcSender): Promise<string> {
    const c = await this.connect(r);
    const id = `t${randomBytes(8).toString('hex')}`;
    this.open.set(id, c);
    const emit = (e: TerminalEvent) => { try { sender.send(DESKTOP_TERMINAL, e); } catch { /* the window is gone */ } };
    c.onData((data) => emit({ id, kind: 'data', data }));
    c.onEnd((normal, reason) => {
      this.open.delete(id);
      emit({ id, kind: 'end', normal, reason });
    });
    // A window that goes away takes its terminals with it.
    sender.once('destroyed', () => this.close(id));
    return id;
  }

  input(id: string, data: Uint8Array): void {
    this.must(id).send(data);
  }

  resize(id: string, cols: number, rows: number): void {
    this.must(id).resize(cols, rows);
  }

  close(id: string): void {
    this.open.get(id)?.close();
  }

  closeAll(): void {
    for (const c of this.open.values()) c.terminate();
    this.open.clear();
  }

  /** The page's terminal calls; a terminal opens on `active()`, the hub the page talks to. */
  handlers(active: () => { hub: ConnectedHub; client: HubClient }): SomeDesktopHandlers<'openTerminal' | 'terminalInput' | 'terminalResize' | 'closeTerminal'> {
    return {
      openTerminal: async (user, name, cols, rows, sender) => {
        const { hub, client } = active();
        requireCapability(capabilitiesOf(hub), 'terminal', 'terminal');
        if (!hub.url) throw new HubdeckError('unavailable', `hub ${hub.label} has no address to open terminals at`);
        const { code } = await client.createLoginCode();
        return this.start({ hubUrl: hub.url, fingerprint: hub.fingerprint, code, user, name, cols, rows }, sender);
      },
      terminalInput: async (id, data) => { this.input(id, data); return null; },
      terminalResize: async (id, cols, rows) => { this.resize(id, cols, rows); return null; },
      closeTerminal: async (id) => { this.close(id); return null; },
    };
  }

  get size(): number {
    return this.open.size;
  }

  private must(id: string): TerminalConnection {
    const c = this.open.get(id);
    if (!c?.open) throw new HubdeckError('not_found', 'this terminal has ended; open it again');
    return c;
  }
}

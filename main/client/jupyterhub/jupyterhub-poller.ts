/**
 * JupyterHub has no event stream, so a connected one is polled: every `pollSeconds` while it
 * answers, backing off (×2 up to a few minutes) while it does not, and at once after an action the
 * app made. Each poll's servers are compared with the last (a pure diff) into the same
 * workspace.state / workspace.removed events a Hubdeck hub sends, then one `hub.polled` event so a
 * UI can say how fresh its list is. Polling runs only while someone listens.
 */
import type { HubEvent } from '../../api/events';
import type { WorkspaceView } from '../../api/dto';
import type { JupyterHubServer } from './jupyterhub-client';
import { displayName } from './jupyterhub-client';
import { serverState } from './jupyterhub-workspaces';
import { errorMessage } from '../../core/errors';

export const POLL_SECONDS = 10;
const MAX_BACKOFF_SECONDS = 300;
/** After an action, one quick look (the hub has usually moved on by then) before the usual pace. */
const SOON_MS = 1_000;

export type ServerStates = ReadonlyMap<string, WorkspaceView['state']>;

/** Each server's state by workspace name. Pure. */
export function statesOf(servers: JupyterHubServer[]): ServerStates {
  return new Map(servers.map((s) => [displayName(s.name), serverState(s)]));
}

/** What changed between two polls, as hub events. Pure. */
export function serverEvents(user: string, before: ServerStates, after: ServerStates, at: string): HubEvent[] {
  const events: HubEvent[] = [];
  for (const [name, state] of after) {
    if (before.get(name) !== state) events.push({ type: 'workspace.state', user, name, state, at });
  }
  for (const name of before.keys()) {
    if (!after.has(name)) events.push({ type: 'workspace.removed', user, name, at });
  }
  return events;
}

/** Seconds to the next poll after `failures` failed polls in a row. Pure. */
export function nextPollSeconds(failures: number, base = POLL_SECONDS): number {
  return failures === 0 ? base : Math.min(base * 2 ** failures, MAX_BACKOFF_SECONDS);
}

export interface PollerDeps {
  user: () => Promise<string>;
  servers: (user: string) => Promise<JupyterHubServer[]>;
  pollSeconds?: number;
  now?: () => Date;
}

type Listener = (e: HubEvent) => void;

export class JupyterHubPoller {
  private readonly listeners = new Set<Listener>();
  private known: ServerStates | null = null;
  private failures = 0;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly d: PollerDeps) {}

  get pollSeconds(): number {
    return this.d.pollSeconds ?? POLL_SECONDS;
  }

  /** Starts polling with the first listener; the first poll is done before this resolves (a baseline, no events). */
  async subscribe(listener: Listener): Promise<() => void> {
    this.listeners.add(listener);
    if (this.listeners.size === 1) await this.poll();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  /** Events the client makes itself (a start's progress) go to the same listeners. */
  emit(e: HubEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** An action changed something: look soon rather than at the next tick. */
  pokeSoon(): void {
    if (this.listeners.size === 0) return;
    this.schedule(SOON_MS);
  }

  /** One poll now (coalesced: a poll asked for during one runs once after it). */
  async poll(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.pollOnce().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        void this.poll();
      }
    });
    return this.running;
  }

  /** No more polling, whoever still listens (the client was closed). */
  close(): void {
    this.listeners.clear();
    this.stop();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.known = null;
    this.failures = 0;
  }

  private async pollOnce(): Promise<void> {
    const at = (this.d.now?.() ?? new Date()).toISOString();
    try {
      const user = await this.d.user();
      const states = statesOf(await this.d.servers(user));
      const events = this.known ? serverEvents(user, this.known, states, at) : [];
      this.known = states;
      this.failures = 0;
      for (const e of events) this.emit(e);
      this.polled(at, null);
    } catch (e) {
      this.failures++;
      this.polled(at, errorMessage(e));
    }
  }

  private polled(at: string, error: string | null): void {
    const next = nextPollSeconds(this.failures, this.pollSeconds);
    this.emit({ type: 'hub.polled', user: null, ok: error === null, ...(error === null ? {} : { error }), nextInSeconds: next, at });
    if (this.listeners.size > 0) this.schedule(next * 1_000);
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.poll();
    }, ms);
    this.timer.unref?.();
  }
}

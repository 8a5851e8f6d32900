/**
 * A connected JupyterHub as a HubClient, so `hubdeck --hub NAME workspace …` and the desktop app run
 * the same commands on it. It reports what it can do in its info's capabilities
 * (jupyterhub-capabilities.ts); the operations it has no counterpart for (jupyterhub-refusals.ts)
 * fail with one clear "not available on a JupyterHub" error rather than a guess. It has no event
 * stream: `subscribe` polls (jupyterhub-poller.ts), and a start or create made here also sends its
 * progress to subscribers.
 */
import { ValidationError } from '../../core/errors';
import { checkWorkspaceName } from '../../core/names';
import type { HubClient, SubscribeOptions } from '../../api/hub-client';
import type { HubEvent } from '../../api/events';
import type { CallOptions, CreateWorkspaceBody } from '../../api/operations';
import type { HubInfo, ProgressEvent, WorkspaceRef, WorkspaceSignIn, WorkspaceView } from '../../api/dto';
import type { JupyterHubOptionsConfig } from '../saved-hub-record';
import { JupyterHubClient, OPEN_TOKEN_SECONDS } from './jupyterhub-client';
import { JupyterHubWorkspaces, missingScopes, serverWorkspace } from './jupyterhub-workspaces';
import { DEFAULT_JUPYTERHUB_OPTIONS, userOptionsForBody } from './jupyterhub-options';
import { JupyterHubPoller } from './jupyterhub-poller';
import type { JupyterHubProgress } from './jupyterhub-progress';
import { jupyterHubCapabilities, unavailableOn } from './jupyterhub-capabilities';
import { JupyterHubRefusals } from './jupyterhub-refusals';

export interface JupyterHubClientOptions {
  options?: JupyterHubOptionsConfig;
  /** What the app calls this hub (its info's hubId); default: the URL's host. */
  hubId?: string;
  pollSeconds?: number;
}

/** JupyterHub's progress event in the shape a Hubdeck create reports. Pure. */
export function progressEvent(e: JupyterHubProgress): ProgressEvent {
  const percent = Math.max(0, Math.min(100, Math.round(e.progress ?? 0)));
  return { phase: e.ready ? 'ready' : 'start', percent, message: e.message ?? (e.ready ? 'ready' : 'starting') };
}

export class JupyterHubHubClient extends JupyterHubRefusals implements HubClient {
  /** The user's servers in workspace terms; the CLI's JupyterHub views read them raw too. */
  readonly workspaces: JupyterHubWorkspaces;
  /** How create's fields become user_options, and what every create sends. */
  readonly options: JupyterHubOptionsConfig;
  private readonly api: JupyterHubClient;
  private readonly poller: JupyterHubPoller;
  private me: Promise<{ name: string; scopes: string[] }> | null = null;

  constructor(readonly url: string, token: string, private readonly opts: JupyterHubClientOptions = {}) {
    super();
    this.options = opts.options ?? DEFAULT_JUPYTERHUB_OPTIONS;
    this.api = new JupyterHubClient(url, token);
    this.workspaces = new JupyterHubWorkspaces(this.api, url);
    this.poller = new JupyterHubPoller({ user: async () => (await this.whoami()).name, servers: (u) => this.workspaces.servers(u), pollSeconds: opts.pollSeconds });
  }

  /** The token's owner and scopes, asked once (again after a failure). */
  whoami(): Promise<{ name: string; scopes: string[] }> {
    return (this.me ??= this.api.whoami().then((u) => ({ name: u.name, scopes: u.scopes ?? [] }), (e: unknown) => { this.me = null; throw e; }));
  }

  async info(): Promise<HubInfo> {
    const [version, user] = await Promise.all([this.api.version(), this.whoami()]);
    const { pollSeconds } = this.poller;
    const missing = missingScopes(user.name, user.scopes);
    return {
      hubId: this.opts.hubId ?? new URL(this.url).host, version, engine: null, ssh: null,
      user: { name: user.name, admin: false },
      capabilities: jupyterHubCapabilities({ options: this.options, pollSeconds, missingScopes: missing }),
      jupyterhub: { version, pollSeconds, optionsForm: this.options.form, defaultOptions: this.options.defaults, missingScopes: missing },
    };
  }

  subscribe(listener: (e: HubEvent) => void, _o?: SubscribeOptions): Promise<() => void> {
    return this.poller.subscribe(listener);
  }

  async listWorkspaces(a: { user?: string; all?: boolean } = {}): Promise<WorkspaceView[]> {
    if (a.all || !a.user) throw unavailableOn('listAllUsersWorkspaces');
    const user = a.user;
    return (await this.workspaces.servers(user)).map((s) => serverWorkspace(this.url, user, s));
  }

  getWorkspace(a: WorkspaceRef): Promise<WorkspaceView> {
    return this.workspaces.get(a.user, a.name);
  }

  async createWorkspace(a: { body: CreateWorkspaceBody; wait?: boolean; timeout?: number }, call?: CallOptions): Promise<WorkspaceView> {
    const user = a.body.user ?? (await this.whoami()).name;
    const name = String(a.body.name ?? '');
    const bad = checkWorkspaceName(name);
    if (bad) throw new ValidationError('name', bad);
    const userOptions = userOptionsForBody(this.options, a.body as Record<string, unknown>);
    return this.acted(this.workspaces.create(user, name, userOptions, { wait: a.wait ?? true, timeoutMs: (a.timeout ?? 300) * 1000, onProgress: this.reporter(user, name, call) }));
  }

  startWorkspace(a: WorkspaceRef, call?: CallOptions): Promise<WorkspaceView> {
    return this.acted(this.workspaces.start(a.user, a.name, this.reporter(a.user, a.name, call)));
  }

  stopWorkspace(a: WorkspaceRef): Promise<WorkspaceView> {
    return this.acted(this.workspaces.stop(a.user, a.name));
  }

  async restartWorkspace(a: WorkspaceRef, call?: CallOptions): Promise<WorkspaceView> {
    await this.workspaces.stop(a.user, a.name);
    return this.startWorkspace(a, call);
  }

  removeWorkspace(a: WorkspaceRef & { deleteData?: boolean }): Promise<void> {
    return this.acted(this.workspaces.remove(a.user, a.name, a.deleteData ?? false));
  }

  /**
   * The server's page (`url`, its path on the hub) and a link that signs a browser in to it: a
   * 5-minute token good for this user's servers only, or the hub's own login on JupyterHub 5+.
   * No code: a JupyterHub's pages are opened, not redeemed (capabilities.open is "hub-page").
   */
  async workspaceSignIn(a: WorkspaceRef): Promise<WorkspaceSignIn> {
    const target = await this.workspaces.openTarget(a.user, a.name);
    const url = new URL(target.basePath, this.url).toString();
    return { url, signInUrl: target.url, code: '', expiresAt: new Date(Date.now() + OPEN_TOKEN_SECONDS * 1000).toISOString() };
  }

  async close(): Promise<void> {
    this.poller.close();
  }

  /** Progress of an action made here: to the caller, and to subscribers as the hub's own events would be. */
  private reporter(user: string, name: string, call?: CallOptions): (e: JupyterHubProgress) => void {
    return (e) => {
      const progress = progressEvent(e);
      call?.onProgress?.(progress);
      this.poller.emit({ type: 'workspace.progress', user, name, progress, at: new Date().toISOString() } satisfies HubEvent);
    };
  }

  private acted<T>(p: Promise<T>): Promise<T> {
    return p.finally(() => this.poller.pokeSoon());
  }
}

export function jupyterHubHubClient(url: string, token: string, o: JupyterHubClientOptions | JupyterHubOptionsConfig = {}): JupyterHubHubClient {
  return new JupyterHubHubClient(url, token, 'form' in o ? { options: o } : o);
}

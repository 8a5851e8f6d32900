/**
 * A connected JupyterHub behind the HubClient interface, so `hubdeck --hub NAME workspace …` and the
 * desktop app run the same commands on it. Operations JupyterHub has no counterpart for (logs,
 * stats, SSH, exec, users, images, settings…) fail with one clear "not available on a JupyterHub"
 * error rather than a guess. It has no event stream: `subscribe` polls (jupyterhub-poller.ts), and a
 * start or create made here also sends its progress to subscribers.
 */
import { HubdeckError, ValidationError } from '../../core/errors';
import { checkWorkspaceName } from '../../core/names';
import type { HubClient, SubscribeOptions } from '../../api/hub-client';
import type { HubEvent } from '../../api/events';
import type { CallOptions, CreateWorkspaceBody } from '../../api/operations';
import { isStreamOperation, type Operation } from '../../api/endpoints';
import type { HubInfo, ProgressEvent } from '../../api/dto';
import type { JupyterHubOptionsConfig } from '../saved-hubs';
import { JupyterHubClient } from './jupyterhub-client';
import { JupyterHubWorkspaces, missingScopes, serverWorkspace } from './jupyterhub-workspaces';
import { DEFAULT_JUPYTERHUB_OPTIONS, userOptionsForBody } from './jupyterhub-options';
import { JupyterHubPoller } from './jupyterhub-poller';
import type { JupyterHubProgress } from './jupyterhub-progress';

/** The extra a JupyterHub session's client carries (see main/cli/jupyterhub-hub.ts). */
export interface JupyterHubHandle {
  workspaces: JupyterHubWorkspaces;
  options: JupyterHubOptionsConfig;
  url: string;
}

/** Why each missing operation is missing, where there is more to say than "JupyterHub has none". */
const WHY: Record<string, string> = {
  workspaceLogs: 'workspace logs: not available on a JupyterHub (its REST API gives no server logs; ask the hub\'s admin or use a terminal in Jupyter)',
  workspaceStats: 'workspace stats: not available on a JupyterHub (its REST API reports no CPU or memory use)',
  watchStats: 'workspace stats: not available on a JupyterHub (its REST API reports no CPU or memory use)',
  listAllUsersWorkspaces: 'workspace list --all: not available on a JupyterHub (it lists one user\'s servers; an admin token can use --user NAME)',
  extendWorkspace: 'workspace extend: not available on a JupyterHub (servers do not expire there; the hub\'s culler decides)',
};

function unavailable(op: string): never {
  const words = op.replace(/([A-Z])/g, ' $1').toLowerCase();
  throw new HubdeckError('invalid', WHY[op] ?? `${words}: not available on a JupyterHub`);
}

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

export function jupyterHubHubClient(url: string, token: string, o: JupyterHubClientOptions | JupyterHubOptionsConfig = {}): HubClient & { jupyterhub: JupyterHubHandle } {
  const opts: JupyterHubClientOptions = 'form' in o ? { options: o } : o;
  const options = opts.options ?? DEFAULT_JUPYTERHUB_OPTIONS;
  const api = new JupyterHubClient(url, token);
  const workspaces = new JupyterHubWorkspaces(api, url);
  let me: Promise<{ name: string; scopes: string[] }> | null = null;
  const whoami = () => (me ??= api.whoami().then((u) => ({ name: u.name, scopes: u.scopes ?? [] }), (e: unknown) => { me = null; throw e; }));
  const poller = new JupyterHubPoller({ user: async () => (await whoami()).name, servers: (u) => workspaces.servers(u), pollSeconds: opts.pollSeconds });

  /** Progress of an action made here: to the caller, and to subscribers as the hub's own events would be. */
  const reporter = (user: string, name: string, call?: CallOptions) => (e: JupyterHubProgress) => {
    const progress = progressEvent(e);
    call?.onProgress?.(progress);
    poller.emit({ type: 'workspace.progress', user, name, progress, at: new Date().toISOString() } satisfies HubEvent);
  };
  const acted = <T>(p: Promise<T>) => p.finally(() => poller.pokeSoon());

  const supported = {
    jupyterhub: { workspaces, options, url } satisfies JupyterHubHandle,
    info: async (): Promise<HubInfo> => {
      const [version, user] = await Promise.all([api.version(), whoami()]);
      return {
        hubId: opts.hubId ?? new URL(url).host, version, engine: null, ssh: null,
        // Hubdeck's admin pages manage Hubdeck hubs; a JupyterHub admin uses the hub's own admin page.
        user: { name: user.name, admin: false },
        jupyterhub: { version, pollSeconds: poller.pollSeconds, optionsForm: options.form, defaultOptions: options.defaults, missingScopes: missingScopes(user.name, user.scopes) },
      };
    },
    subscribe: (listener: (e: HubEvent) => void, _o?: SubscribeOptions) => poller.subscribe(listener),
    listWorkspaces: async (a: { user?: string; all?: boolean }) => {
      if (a.all || !a.user) unavailable('listAllUsersWorkspaces');
      const user = a.user;
      return (await workspaces.servers(user)).map((s) => serverWorkspace(url, user, s));
    },
    getWorkspace: (a: { user: string; name: string }) => workspaces.get(a.user, a.name),
    createWorkspace: async (a: { body: CreateWorkspaceBody; wait?: boolean; timeout?: number }, call?: CallOptions) => {
      const user = a.body.user ?? (await whoami()).name;
      const name = String(a.body.name ?? '');
      const bad = checkWorkspaceName(name);
      if (bad) throw new ValidationError('name', bad);
      const userOptions = userOptionsForBody(options, a.body as Record<string, unknown>);
      return acted(workspaces.create(user, name, userOptions, { wait: a.wait ?? true, timeoutMs: (a.timeout ?? 300) * 1000, onProgress: reporter(user, name, call) }));
    },
    startWorkspace: (a: { user: string; name: string }, call?: CallOptions) => acted(workspaces.start(a.user, a.name, reporter(a.user, a.name, call))),
    stopWorkspace: (a: { user: string; name: string }) => acted(workspaces.stop(a.user, a.name)),
    restartWorkspace: async (a: { user: string; name: string }, call?: CallOptions) => {
      await workspaces.stop(a.user, a.name);
      return acted(workspaces.start(a.user, a.name, reporter(a.user, a.name, call)));
    },
    removeWorkspace: (a: { user: string; name: string; deleteData?: boolean }) => acted(workspaces.remove(a.user, a.name, a.deleteData ?? false)),
    close: async () => poller.close(),
  };
  return new Proxy(supported, {
    get(target, prop) {
      if (typeof prop !== 'string' || prop in target) return (target as Record<string | symbol, unknown>)[prop];
      // `then` must stay undefined: this object is returned from async functions.
      if (prop === 'then' || prop === 'toJSON') return undefined;
      // Like every transport: a call rejects, a stream fails when read (never a throw at the call).
      if (isStreamOperation(prop as Operation)) return () => ({ [Symbol.asyncIterator]: () => ({ next: async () => unavailable(prop) }) });
      return async () => unavailable(prop);
    },
  }) as unknown as HubClient & { jupyterhub: JupyterHubHandle };
}

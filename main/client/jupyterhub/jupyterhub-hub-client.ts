/**
 * A connected JupyterHub behind the HubClient interface, so `hubdeck --hub NAME workspace …` runs the
 * same commands on it. Operations JupyterHub has no counterpart for (logs, stats, SSH, exec, users,
 * images, settings…) fail with one clear "not available on a JupyterHub" error rather than a guess.
 */
import { HubdeckError } from '../../core/errors';
import type { HubClient } from '../../api/hub-client';
import type { JupyterHubOptionsConfig } from '../saved-hubs';
import { JupyterHubClient } from './jupyterhub-client';
import { JupyterHubWorkspaces, serverWorkspace } from './jupyterhub-workspaces';
import { DEFAULT_JUPYTERHUB_OPTIONS } from './jupyterhub-options';

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
  info: 'hub info and SSH: not available on a JupyterHub (it runs no Hubdeck SSH gateway; use a terminal in Jupyter)',
  listAllUsersWorkspaces: 'workspace list --all: not available on a JupyterHub (it lists one user\'s servers; an admin token can use --user NAME)',
  extendWorkspace: 'workspace extend: not available on a JupyterHub (servers do not expire there; the hub\'s culler decides)',
};

function unavailable(op: string): never {
  const words = op.replace(/([A-Z])/g, ' $1').toLowerCase();
  throw new HubdeckError('invalid', WHY[op] ?? `${words}: not available on a JupyterHub`);
}

export function jupyterHubHubClient(url: string, token: string, options?: JupyterHubOptionsConfig): HubClient & { jupyterhub: JupyterHubHandle } {
  const workspaces = new JupyterHubWorkspaces(new JupyterHubClient(url, token), url);
  const supported = {
    jupyterhub: { workspaces, options: options ?? DEFAULT_JUPYTERHUB_OPTIONS, url } satisfies JupyterHubHandle,
    listWorkspaces: async (a: { user?: string; all?: boolean }) => {
      if (a.all || !a.user) unavailable('listAllUsersWorkspaces');
      const user = a.user;
      return (await workspaces.servers(user)).map((s) => serverWorkspace(url, user, s));
    },
    getWorkspace: (a: { user: string; name: string }) => workspaces.get(a.user, a.name),
    startWorkspace: (a: { user: string; name: string }) => workspaces.start(a.user, a.name),
    stopWorkspace: (a: { user: string; name: string }) => workspaces.stop(a.user, a.name),
    restartWorkspace: async (a: { user: string; name: string }) => {
      await workspaces.stop(a.user, a.name);
      return workspaces.start(a.user, a.name);
    },
    removeWorkspace: (a: { user: string; name: string; deleteData?: boolean }) => workspaces.remove(a.user, a.name, a.deleteData ?? false),
    close: async () => undefined,
  };
  return new Proxy(supported, {
    get(target, prop) {
      if (typeof prop !== 'string' || prop in target) return (target as Record<string | symbol, unknown>)[prop];
      // `then` must stay undefined: this object is returned from async functions.
      if (prop === 'then' || prop === 'toJSON') return undefined;
      return () => unavailable(prop);
    },
  }) as unknown as HubClient & { jupyterhub: JupyterHubHandle };
}

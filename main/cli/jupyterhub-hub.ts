/**
 * A saved JupyterHub's CLI session (see main/client/jupyterhub/): its connector (made by
 * main/client/saved-hub-client.ts, which hands it over as itself) with the CLI's JupyterHub views
 * (jupyterhub-workspace-actions.ts). Loaded only when such a hub is used.
 */
import type { JupyterHubHubClient } from '../client/jupyterhub/jupyterhub-hub-client';
import type { WorkspaceViews } from './cli-context';
import { jupyterHubViews } from './jupyterhub-workspace-actions';
import { unavailableOn } from '../client/jupyterhub/jupyterhub-capabilities';

export function jupyterHubConnection(client: JupyterHubHubClient): { client: JupyterHubHubClient; views: WorkspaceViews; checkUser: (name: string) => string; dialer: () => never } {
  // It runs no Hubdeck gateway: no port of its servers can be dialed.
  return { client, views: jupyterHubViews(client), checkUser: (name) => name, dialer: () => { throw unavailableOn('tunnels'); } };
}

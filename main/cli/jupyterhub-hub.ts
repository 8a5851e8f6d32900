/**
 * A saved JupyterHub's CLI session (see main/client/jupyterhub/): its HubClient, built here so the
 * CLI's JupyterHub views (jupyterhub-workspace-actions.ts) get the connector itself, not a handle
 * found on a HubClient. Loaded only when such a hub is used.
 */
import { jupyterHubHubClient, type JupyterHubHubClient } from '../client/jupyterhub/jupyterhub-hub-client';
import type { RemoteHub, WorkspaceViews } from './cli-context';
import { jupyterHubViews } from './jupyterhub-workspace-actions';
import { unavailableOn } from '../client/jupyterhub/jupyterhub-capabilities';

export function connectJupyterHub(remote: RemoteHub): { client: JupyterHubHubClient; views: WorkspaceViews; checkUser: (name: string) => string; dialer: () => never } {
  const client = jupyterHubHubClient(remote.url, remote.token, { options: remote.jupyterHubOptions, hubId: remote.name });
  // It runs no Hubdeck gateway: no port of its servers can be dialed.
  return { client, views: jupyterHubViews(client), checkUser: (name) => name, dialer: () => { throw unavailableOn('tunnels'); } };
}

/**
 * Whether a session's client is a connected JupyterHub (see main/client/jupyterhub/), and its handle.
 * Type-only imports: the JupyterHub code itself is loaded only when such a hub is used.
 */
import type { HubClient } from '../client/hub-client';
import type { JupyterHubHandle } from '../client/jupyterhub/jupyterhub-hub-client';

export function jupyterHubOf(client: HubClient): JupyterHubHandle | null {
  return (client as HubClient & { jupyterhub?: JupyterHubHandle }).jupyterhub ?? null;
}

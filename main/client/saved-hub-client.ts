/**
 * The one place a saved hub's connection type picks its client, for the CLI (main/cli/open-session.ts)
 * and the desktop (main/shell/connected-hubs.ts): a Hubdeck hub's REST client, pinned to its
 * certificate, or a connected JupyterHub's connector (main/client/jupyterhub), which has no pin
 * (JupyterHubs run behind ordinary TLS). Which one is a table by kind; everything after asks the
 * hub's capabilities, never its kind.
 */
import type { HubClient } from '../api/hub-client';
import type { JupyterHubHubClient } from './jupyterhub/jupyterhub-hub-client';
import { remoteHubClient, type RemoteHubClientOptions } from './remote-hub-client';
import { formatFingerprint } from './pinned-agent';
import type { HubConnection, SavedHubKind } from './saved-hub-record';

export interface SavedHubClientDeps {
  /** How a Hubdeck hub's client is made (default remoteHubClient; the desktop passes its own). */
  remoteClient?: (o: RemoteHubClientOptions) => HubClient;
}

/** A saved hub's client, by its kind: a JupyterHub's connector is handed over as itself (the CLI's views read it). */
export type SavedHubClient = { kind: 'hubdeck'; client: HubClient } | { kind: 'jupyterhub'; client: JupyterHubHubClient };

type Connector<K extends SavedHubKind> = (hub: HubConnection, token: string, deps: SavedHubClientDeps) => Promise<Extract<SavedHubClient, { kind: K }>>;

const CONNECTORS: { [K in SavedHubKind]: Connector<K> } = {
  hubdeck: async (hub, token, deps) => {
    const make = deps.remoteClient ?? remoteHubClient;
    return { kind: 'hubdeck', client: make({ url: hub.url, token, fingerprint: hub.fingerprint === null ? undefined : formatFingerprint(hub.fingerprint) }) };
  },
  jupyterhub: async (hub, token) => {
    // Loaded only when a JupyterHub is used: the CLI's other commands do not pay for its code at start-up.
    const { jupyterHubHubClient } = await import('./jupyterhub/jupyterhub-hub-client');
    return { kind: 'jupyterhub', client: jupyterHubHubClient(hub.url, token, { options: hub.jupyterhub?.options, hubId: hub.name }) };
  },
};

/** The client `hub` is reached through with `token`. */
export function clientForSavedHub(hub: HubConnection, token: string, deps: SavedHubClientDeps = {}): Promise<SavedHubClient> {
  return (CONNECTORS[hub.kind] as Connector<SavedHubKind>)(hub, token, deps);
}

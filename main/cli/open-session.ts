/**
 * Opens the session a command runs in: the client of the hub the options name and the user it acts
 * for — a remote hub's from clientForSavedHub (main/client/saved-hub-client.ts, shared with the
 * desktop), with what its kind adds on the command line (a JupyterHub's own CLI views,
 * main/cli/jupyterhub-hub.ts), or the local hub in this process. Commands then ask the hub's
 * capabilities, never its kind.
 */
import { capabilitiesOf, HUBDECK_CAPABILITIES } from '../api/capabilities';
import { clientForSavedHub, type SavedHubClient } from '../client/saved-hub-client';
import { remoteDialer, type PortDialer } from '../client/port-dialer';
import { checkedUser, osUserName, remoteHub, type CliIo, type GlobalOptions, type RemoteHub, type Session } from './cli-context';

export async function openSession(g: GlobalOptions, env: CliIo['env']): Promise<Session> {
  const remote = remoteHub(g, env);
  const explicitUser = g.user ?? (env.HUBDECK_USER || undefined);
  if (remote) return openRemote(remote, explicitUser);
  const admin = osUserName();
  // Loaded only for the local hub: a command against a remote hub needs no engine, store or server.
  const { openLocalHub } = await import('../server/local-hub');
  const { client } = await openLocalHub({ admin, env, dataDir: g.data, dockerHost: g.dockerHost, origin: g.origin });
  // This process's own hub is a Hubdeck hub: what it can do needs no engine call to know.
  return { client, capabilities: async () => HUBDECK_CAPABILITIES, user: explicitUser ? checkedUser(explicitUser) : admin };
}

/** A remote hub's session; its user is asked of the hub unless the options name one. */
export async function openRemote(remote: RemoteHub, explicitUser: string | undefined): Promise<Session> {
  const { client, views, checkUser } = await connectRemote(remote);
  const info = once(() => client.info());
  return { client, views, capabilities: async () => capabilitiesOf(await info()), user: explicitUser ? checkUser(explicitUser) : (await info()).user.name };
}

/** `f`'s promise, made on the first call and kept (again after a failure: the session ends with it anyway). */
function once<T>(f: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | null = null;
  return () => (p ??= f());
}

/** What a remote hub's connection gives the commands. */
export interface Connection extends Pick<Session, 'client' | 'views'> {
  /** Its rule for user names (a JupyterHub's names are its own: taken as given). */
  checkUser: (name: string) => string;
  /** A port dialer to its workspaces (forwards, tunnels); throws where the connection has none. */
  dialer: () => PortDialer;
}

/** What each kind of client adds on the command line (kept with the kinds, so a new one adds a row). */
const CLI_CONNECTIONS: { [K in SavedHubClient['kind']]: (c: Extract<SavedHubClient, { kind: K }>, remote: RemoteHub) => Promise<Connection> } = {
  hubdeck: async ({ client }, remote) => ({ client, checkUser: checkedUser, dialer: () => remoteDialer({ url: remote.url, token: remote.token, fingerprint: remote.fingerprint ?? undefined }) }),
  // Loaded only when a JupyterHub is used, as its client is.
  jupyterhub: async ({ client }) => (await import('./jupyterhub-hub')).jupyterHubConnection(client),
};

/** The client of a remote hub (by its saved connection type), with its backend's own CLI views. */
export async function connectRemote(remote: RemoteHub): Promise<Connection> {
  const made = await clientForSavedHub(remote, remote.token);
  return (CLI_CONNECTIONS[made.kind] as (c: SavedHubClient, r: RemoteHub) => Promise<Connection>)(made, remote);
}

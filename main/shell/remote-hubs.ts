/**
 * The desktop's remote hubs, of either kind: checking a hub before it is saved (it must answer with
 * the token, and a Hubdeck hub with its pinned certificate), and what to say when its token is
 * gone. A connected JupyterHub is checked with its own REST client (main/client/jupyterhub) and has
 * no pin: JupyterHubs run behind ordinary TLS. The client a saved hub is then reached through comes
 * from main/client/saved-hub-client.ts, as the CLI's does; everything after asks its capabilities.
 */
import { HubdeckError } from '../core/errors';
import type { HubClient } from '../api/hub-client';
import type { RemoteHubClientOptions } from '../client/remote-hub-client';
import { formatFingerprint } from '../client/pinned-agent';
import { defaultHubName } from '../client/saved-hub-record';
import { probeJupyterHub } from '../client/jupyterhub/jupyterhub-workspaces';
import type { HubRequest } from '../../preload/desktop-contract';
import type { RemoteHubSetting } from './settings-schema';

export type NewHub = Omit<RemoteHubSetting, 'addedAt'>;

/** The name a hub is saved under: the name asked for, else one made from what the hub says it is. Pure. */
export function hubNameFor(asked: string | undefined, fallback: string): string {
  if (asked) return asked;
  const name = defaultHubName(fallback);
  return name === 'local' ? 'local-hub' : name;
}

/** Asks the hub who the token is, before anything is saved; a refusal is the error the user sees. */
export async function checkHub(r: HubRequest, remoteClient: (o: RemoteHubClientOptions) => HubClient): Promise<NewHub> {
  const url = r.url.replace(/\/+$/, '');
  if (r.kind === 'jupyterhub') return checkJupyterHub(r, url);
  if (r.optionsForm !== undefined || r.defaultOptions !== undefined) {
    throw new HubdeckError('invalid', 'options form and default options are for a JupyterHub: a Hubdeck hub has its own New-workspace form');
  }
  const raw = r.fingerprint ? r.fingerprint.replace(/:/g, '').toUpperCase() : null;
  const probe = remoteClient({ url: r.url, token: r.token, fingerprint: raw ? formatFingerprint(raw) : undefined });
  const info = await probe.info().finally(() => probe.close());
  return { name: hubNameFor(r.name, info.hubId), kind: 'hubdeck', url, fingerprint: raw, user: info.user.name, hubId: info.hubId };
}

async function checkJupyterHub(r: HubRequest, url: string): Promise<NewHub> {
  if (r.fingerprint) throw new HubdeckError('invalid', 'fingerprint: a JupyterHub is reached over ordinary TLS; a pinned certificate is for Hubdeck hubs');
  const { version, user } = await probeJupyterHub(url, r.token);
  const name = hubNameFor(r.name, new URL(url).hostname);
  return {
    name, kind: 'jupyterhub', url, fingerprint: null, user, hubId: name,
    jupyterhub: { version, options: { form: r.optionsForm ?? 'json', defaults: r.defaultOptions ?? {} } },
  };
}

/** What to do when a saved hub's token is gone: get one of its kind again. */
export function rejoinHint(saved: RemoteHubSetting): string {
  return saved.kind === 'jupyterhub' ? 'add it again with a JupyterHub token' : 'join the hub again';
}

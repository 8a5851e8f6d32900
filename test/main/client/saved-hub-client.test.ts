// The one factory from a saved hub to its client: a Hubdeck hub's REST client pinned to its saved
// certificate (checked against the real client's own refusals), a JupyterHub's connector with its
// saved New-workspace form, named as saved — for the CLI and the desktop alike.
import { describe, expect, it } from 'vitest';
import { clientForSavedHub } from '../../../main/client/saved-hub-client';
import { remoteHubClient, type RemoteHubClientOptions } from '../../../main/client/remote-hub-client';
import { JupyterHubHubClient } from '../../../main/client/jupyterhub/jupyterhub-hub-client';
import type { HubConnection } from '../../../main/client/saved-hub-record';

const FP = 'AB'.repeat(32);
const HUB: HubConnection = { name: 'team', kind: 'hubdeck', url: 'https://10.0.0.5:8585', fingerprint: FP };

describe('clientForSavedHub', () => {
  it('reaches a Hubdeck hub through the given REST client factory, pinned to its certificate as users see it', async () => {
    const made: RemoteHubClientOptions[] = [];
    const remoteClient = (o: RemoteHubClientOptions) => { made.push(o); return remoteHubClient(o); };
    const c = await clientForSavedHub(HUB, 'hdk_x', { remoteClient });
    expect(c.kind).toBe('hubdeck');
    await c.client.close();
    const open = await clientForSavedHub({ ...HUB, fingerprint: null }, 'hdk_y', { remoteClient });
    await open.client.close();
    expect(made).toEqual([
      { url: HUB.url, token: 'hdk_x', fingerprint: FP.match(/.{2}/g)!.join(':') },
      { url: HUB.url, token: 'hdk_y', fingerprint: undefined },
    ]);
  });

  it('uses the real REST client by default: its refusals are the saved hub\'s', async () => {
    await expect(clientForSavedHub({ ...HUB, url: 'http://10.0.0.5:8585' }, 't')).rejects.toThrow(/^fingerprint: only an https:\/\/ hub has a certificate to pin/);
    await expect(clientForSavedHub(HUB, 'a token with spaces')).rejects.toThrow(/^token: must be a non-empty token without spaces/);
  });

  it('reaches a JupyterHub through its connector, with the saved form and defaults, under the saved name', async () => {
    const jh: HubConnection = { name: 'lab', kind: 'jupyterhub', url: 'https://jh.example.org', fingerprint: null, jupyterhub: { version: '3.0.0', options: { form: 'mlhub', defaults: { team: 'ml' } } } };
    const c = await clientForSavedHub(jh, 'jh-token', { remoteClient: () => { throw new Error('not for a JupyterHub'); } });
    expect(c.kind).toBe('jupyterhub');
    expect(c.client).toBeInstanceOf(JupyterHubHubClient);
    if (c.kind !== 'jupyterhub') return;
    expect(c.client.url).toBe(jh.url);
    expect(c.client.options).toEqual({ form: 'mlhub', defaults: { team: 'ml' } });
    // A JupyterHub named by URL alone (no saved details) gets the default form.
    const bare = await clientForSavedHub({ kind: 'jupyterhub', url: jh.url, fingerprint: null }, 'jh-token');
    expect(bare.client).toBeInstanceOf(JupyterHubHubClient);
    expect((bare.client as JupyterHubHubClient).options).toEqual({ form: 'json', defaults: {} });
    await Promise.all([c.client.close(), bare.client.close()]);
  });
});

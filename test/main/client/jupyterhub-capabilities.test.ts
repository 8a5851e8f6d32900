// What a connected JupyterHub reports it can do, and how it refuses the rest
// (main/client/jupyterhub/jupyterhub-capabilities.ts, jupyterhub-refusals.ts): no network needed.
import { describe, expect, it } from 'vitest';
import { CAPABILITIES, UnavailableError } from '../../../main/api/capabilities';
import { OPERATIONS } from '../../../main/api/endpoints';
import { jupyterHubCapabilities, unavailableOn } from '../../../main/client/jupyterhub/jupyterhub-capabilities';
import { JupyterHubHubClient } from '../../../main/client/jupyterhub/jupyterhub-hub-client';
import { JupyterHubRefusals } from '../../../main/client/jupyterhub/jupyterhub-refusals';

describe('a JupyterHub\'s capabilities', () => {
  it('none of the yes/no abilities; a user_options form, polled state, pages opened on the hub', () => {
    const caps = jupyterHubCapabilities({ options: { form: 'mlhub', defaults: { team: 'ml' } }, pollSeconds: 7, missingScopes: ['tokens'] });
    for (const c of CAPABILITIES) expect(caps[c], c).toBe(false);
    expect(caps).toMatchObject({
      product: 'JupyterHub', runsOn: 'its spawner runs the servers', pollSeconds: 7, open: 'hub-page',
      create: { form: 'user-options', mapping: 'mlhub', defaults: { team: 'ml' }, missingScopes: ['tokens'] },
    });
    // Each section the app would show has the hub's reason.
    for (const c of ['ssh', 'tunnels', 'terminal', 'logs', 'stats', 'extend', 'listAll', 'volumes'] as const) expect(caps.why[c], c).toBeTruthy();
  });

  it('refuses an operation in its ability\'s words, or by the operation\'s name', () => {
    expect(unavailableOn('workspaceLogs')).toMatchObject({ code: 'invalid', capability: 'logs', message: expect.stringMatching(/^workspace logs: not available on a JupyterHub \(its REST API gives no server logs/) as unknown });
    expect(unavailableOn('listAllUsersWorkspaces').message).toBe('workspace list --all: not available on a JupyterHub (it lists one user\'s servers; an admin token can use --user NAME)');
    expect(unavailableOn('listUsers')).toMatchObject({ capability: null, message: 'list users: not available on a JupyterHub' });
  });
});

describe('the JupyterHub HubClient', () => {
  it('has every operation of the API, each its own method (no Proxy behind it)', () => {
    const c = new JupyterHubHubClient('http://127.0.0.1:9', 'x');
    for (const op of OPERATIONS) expect(typeof c[op], op).toBe('function');
    expect(Object.keys(new JupyterHubRefusals()).sort()).toEqual(OPERATIONS.filter((op) => !(op in JupyterHubHubClient.prototype)).sort());
    // Returned from async functions, it must not look like a promise.
    expect('then' in c).toBe(false);
  });

  it('refuses what it cannot do as every transport does: a call rejects, a stream fails when read', async () => {
    const r = new JupyterHubRefusals();
    const call = r.getSettings();
    await expect(call).rejects.toBeInstanceOf(UnavailableError);
    await expect(r.cleanup()).rejects.toThrow('cleanup: not available on a JupyterHub');
    const stream = r.workspaceLogs();
    await expect((async () => { for await (const _ of stream) return _; })()).rejects.toThrow(/^workspace logs: not available on a JupyterHub/);
  });
});

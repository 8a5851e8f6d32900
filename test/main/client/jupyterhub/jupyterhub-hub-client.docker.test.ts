// A connected JupyterHub behind the HubClient interface (what the desktop app and `--hub NAME` use),
// against the real JupyterHub 3 fixture: info, the polled event stream, create with form fields and
// raw options (progress to the caller and to subscribers), a failed spawn's reason, stop, remove, and
// the clear refusals for what JupyterHub has no counterpart for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubEvent } from '../../../../main/api/events';
import type { HubClient } from '../../../../main/api/hub-client';
import type { ProgressEvent } from '../../../../main/api/dto';
import { jupyterHubHubClient } from '../../../../main/client/jupyterhub/jupyterhub-hub-client';
import { JupyterHubClient } from '../../../../main/client/jupyterhub/jupyterhub-client';
import { startJupyterHub, type TestJupyterHub } from '../../../support/jupyterhub-fixture';

let hub: TestJupyterHub;
let client: HubClient;
beforeAll(async () => {
  hub = await startJupyterHub();
  client = jupyterHubHubClient(hub.url, await hub.userToken('alice'), { options: { form: 'mlhub', defaults: { team: 'ml' } }, hubId: 'lab-jh', pollSeconds: 1 });
}, 90_000);
afterAll(async () => {
  await client?.close();
  await hub?.stop();
}, 30_000);

/** Resolves with the first event `match` accepts (or fails after `ms`). */
function next(events: HubEvent[], match: (e: HubEvent) => boolean, ms = 15_000): Promise<HubEvent> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      const found = events.find(match);
      if (found) return resolve(found);
      if (Date.now() - t0 > ms) return reject(new Error(`no such event in ${JSON.stringify(events.map((e) => e.type))}`));
      setTimeout(tick, 50);
    };
    tick();
  });
}

describe('a JupyterHub as a HubClient', () => {
  it('describes itself: version, the token owner, no engine or SSH, how it is polled', async () => {
    const info = await client.info();
    expect(info).toMatchObject({ hubId: 'lab-jh', engine: null, ssh: null, user: { name: 'alice', admin: false } });
    expect(info.version).toMatch(/^3\./);
    expect(info.jupyterhub).toEqual({ version: info.version, pollSeconds: 1, optionsForm: 'mlhub', defaultOptions: { team: 'ml' }, missingScopes: [] });
    // What the UIs ask: nothing but the servers, a user_options form, polled state, pages on the hub.
    expect(info.capabilities).toMatchObject({
      product: 'JupyterHub', ssh: false, terminal: false, logs: false, stats: false, extend: false, admin: false, tunnels: false, volumes: false,
      pollSeconds: 1, open: 'hub-page', create: { form: 'user-options', mapping: 'mlhub', defaults: { team: 'ml' }, missingScopes: [] },
    });
  });

  it('creates a server from the form with progress to the caller and subscribers, and polls what others change', async () => {
    const events: HubEvent[] = [];
    const off = await client.subscribe((e) => events.push(e));
    try {
      await next(events, (e) => e.type === 'hub.polled' && e.ok);
      const progress: ProgressEvent[] = [];
      const w = await client.createWorkspace({ body: { name: 'exp1', image: 'lab/img:1', cpus: 2, userOptions: { delay: 2 } } }, { onProgress: (p) => progress.push(p) });
      expect(w).toMatchObject({ name: 'exp1', user: 'alice', state: 'running', origin: 'jupyterhub', image: 'lab/img:1' });
      expect(progress.map((p) => p.message)).toContain('Test spawner: preparing');
      expect(progress.at(-1)).toMatchObject({ phase: 'ready', percent: 100 });
      expect(events.some((e) => e.type === 'workspace.progress' && e.name === 'exp1' && e.progress.phase === 'ready')).toBe(true);
      // What the spawner got: the form mapped with ML Hub's keys, the defaults and the raw options.
      const raw = new JupyterHubClient(hub.url, hub.adminToken);
      expect((await raw.listServers('alice')).find((s) => s.name === 'exp1')?.user_options).toEqual({ team: 'ml', image: 'lab/img:1', cpu_limit: '2', delay: 2 });
      await next(events, (e) => e.type === 'workspace.state' && e.name === 'exp1' && e.state === 'running');
      // Opening it: the server's page, and a link with a short token that signs a browser in.
      const signIn = await client.workspaceSignIn({ user: 'alice', name: 'exp1' });
      expect(signIn.url).toBe(`${hub.url}/user/alice/exp1/`);
      expect(signIn.signInUrl).toMatch(new RegExp(`^${hub.url}/user/alice/exp1/\\?token=[0-9a-f]+$`));
      expect((await fetch(signIn.signInUrl)).status).toBe(200);

      // A change made elsewhere (JupyterHub's own API) arrives through polling.
      await raw.stopServer('alice', 'exp1');
      await next(events, (e) => e.type === 'workspace.state' && e.name === 'exp1' && e.state === 'stopped');

      const started: ProgressEvent[] = [];
      expect(await client.startWorkspace({ user: 'alice', name: 'exp1' }, { onProgress: (p) => started.push(p) })).toMatchObject({ state: 'running' });
      expect(started.at(-1)).toMatchObject({ phase: 'ready' });
      expect(await client.stopWorkspace({ user: 'alice', name: 'exp1' })).toMatchObject({ state: 'stopped' });
      await client.removeWorkspace({ user: 'alice', name: 'exp1' });
      await next(events, (e) => e.type === 'workspace.removed' && e.name === 'exp1');
      expect((await client.listWorkspaces({ user: 'alice' })).map((x) => x.name)).not.toContain('exp1');
    } finally {
      off();
    }
  }, 90_000);

  it("gives a failed spawn's reason, and refuses what the hub cannot do", async () => {
    await expect(client.createWorkspace({ body: { name: 'broken', userOptions: { fail: 'no GPU left on node gpu1' } } }))
      .rejects.toThrow('server "broken" of alice failed to start: Spawn failed: no GPU left on node gpu1');
    await expect(client.createWorkspace({ body: { name: 'x1', webPort: 8080 } })).rejects.toThrow(/not available on a JupyterHub/);
    await expect(client.createWorkspace({ body: { name: 'Bad Name' } })).rejects.toThrow(/name/);
    await expect((async () => { for await (const line of client.workspaceLogs({ user: 'alice', name: 'broken' })) return line; })()).rejects.toThrow(/workspace logs: not available on a JupyterHub/);
    await expect(client.extendWorkspace({ user: 'alice', name: 'broken', body: { days: 1 } })).rejects.toThrow(/not available on a JupyterHub/);
    await expect(client.listUsers()).rejects.toThrow(/list users: not available on a JupyterHub/);
  }, 60_000);

  it('says when the token is bad', async () => {
    const bad = jupyterHubHubClient(hub.url, 'not-a-token');
    await expect(bad.info()).rejects.toThrow(/refused the token \(403\)/);
    await bad.close();
  });
});

describe('operations a JupyterHub has no counterpart for', () => {
  it('reject like any transport: a call as a rejected promise, a stream when read', async () => {
    const c = jupyterHubHubClient('http://127.0.0.1:9', 'x');
    const call = c.capacity();
    expect(call).toBeInstanceOf(Promise);
    await expect(call).rejects.toThrow('capacity: not available on a JupyterHub');
    const stream = c.watchStats({ user: 'alice', name: 'x' });
    await expect((async () => { for await (const _ of stream) return _; })()).rejects.toThrow(/workspace stats: not available on a JupyterHub \(its REST API reports no CPU or memory use\)/);
  });
});

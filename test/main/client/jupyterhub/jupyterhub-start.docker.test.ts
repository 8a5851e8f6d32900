// Starting JupyterHub servers through the connector, against the real JupyterHub 3 fixture: the 201,
// 202 and 500 answers, the progress stream opened while the POST is in flight, and the hub's refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JupyterHubClient } from '../../../../main/client/jupyterhub/jupyterhub-client';
import type { JupyterHubProgress } from '../../../../main/client/jupyterhub/jupyterhub-progress';
import { startJupyterHub, type TestJupyterHub } from '../../../support/jupyterhub-fixture';

let hub: TestJupyterHub;
beforeAll(async () => {
  hub = await startJupyterHub();
}, 90_000);
afterAll(async () => {
  await hub?.stop();
}, 30_000);

async function clientFor(user: string): Promise<JupyterHubClient> {
  return new JupyterHubClient(hub.url, await hub.userToken(user));
}

describe('JupyterHubClient.startServer', () => {
  it('starts a named server with options and reports progress up to ready', async () => {
    const client = await clientFor('alice');
    const events: JupyterHubProgress[] = [];
    expect(await client.startServer('alice', 'quick', { userOptions: { image: 'ignored/by-test-spawner' }, onProgress: (e) => events.push(e) })).toBe('ready');
    expect(events.at(-1)).toMatchObject({ ready: true, progress: 100, url: '/user/alice/quick/' });
    const server = (await client.listServers('alice')).find((s) => s.name === 'quick');
    expect(server).toMatchObject({ ready: true, user_options: { image: 'ignored/by-test-spawner' } });
    // Running already: the hub's own words.
    await expect(client.startServer('alice', 'quick')).rejects.toThrow(/answered 400: alice:quick is already running/);
  }, 60_000);

  it('follows a slow start (202) through its progress events, or returns at once without wait', async () => {
    const client = await clientFor('alice');
    const events: JupyterHubProgress[] = [];
    const t0 = Date.now();
    expect(await client.startServer('alice', 'slow', { userOptions: { delay: 11 }, onProgress: (e) => events.push(e) })).toBe('ready');
    expect(Date.now() - t0).toBeGreaterThan(10_000);
    const messages = events.map((e) => e.message);
    expect(messages).toContain('Test spawner: halfway through a 11s delay');
    expect(events.at(-1)).toMatchObject({ ready: true });
    expect(await client.startServer('alice', 'later', { userOptions: { delay: 11 }, wait: false })).toBe('starting');
    expect((await client.listServers('alice')).find((s) => s.name === 'later')).toMatchObject({ ready: false, pending: 'spawn' });
    // A stop during the start is refused by JupyterHub (400 pending spawn): the client waits it out.
    expect(await client.stopServer('alice', 'later', { remove: true })).toBe('stopped');
    expect((await client.listServers('alice')).map((s) => s.name)).not.toContain('later');
  }, 90_000);

  it('says why a spawn failed, from the progress stream', async () => {
    const client = await clientFor('bob');
    const err = await client.startServer('bob', 'broken', { userOptions: { fail: 'no GPU left on node gpu1' } }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe('server "broken" of bob failed to start: Spawn failed: no GPU left on node gpu1');
    // The default server fails the same way.
    await expect(client.startServer('bob', '', { userOptions: { fail: 'quota exceeded' } })).rejects.toThrow('server "default" of bob failed to start: Spawn failed: quota exceeded');
  }, 60_000);

  it("gives the hub's named-server limit message", async () => {
    const client = await clientFor('bob');
    for (const name of ['n1', 'n2']) await client.startServer('bob', name, { userOptions: { fail: 'kept stopped' } }).catch(() => undefined);
    // bob now has broken, n1, n2: the limit is 3.
    await expect(client.startServer('bob', 'n4')).rejects.toThrow(/answered 400: User bob already has the maximum of 3 named servers/);
  }, 60_000);
});

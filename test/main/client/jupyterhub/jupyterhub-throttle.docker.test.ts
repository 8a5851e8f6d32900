// A JupyterHub that limits concurrent spawns answers 429 (Retry-After 30-60 s) while one is pending:
// the connector waits as asked and retries the start instead of failing (real JupyterHub 3, concurrent_spawn_limit = 1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JupyterHubClient } from '../../../../main/client/jupyterhub/jupyterhub-client';
import { startJupyterHub, type TestJupyterHub } from '../../../support/jupyterhub-fixture';

let hub: TestJupyterHub;
beforeAll(async () => {
  hub = await startJupyterHub({ concurrentSpawnLimit: 1 });
}, 90_000);
afterAll(async () => {
  await hub?.stop();
}, 30_000);

describe('a throttled start (429)', () => {
  it('is retried until the pending spawn is done', async () => {
    const alice = new JupyterHubClient(hub.url, await hub.userToken('alice'));
    const bobToken = await hub.userToken('bob');
    const bob = new JupyterHubClient(hub.url, bobToken);
    // alice's spawn stays pending for 14 s; JupyterHub answers her POST with 202 after 10 s.
    expect(await alice.startServer('alice', 'big', { userOptions: { delay: 14 }, wait: false })).toBe('starting');
    const raw = await fetch(`${hub.url}/hub/api/users/bob/server`, { method: 'POST', headers: { Authorization: `token ${bobToken}` }, body: '{}' });
    expect(raw.status).toBe(429);
    expect(((await raw.json()) as { message: string }).message).toMatch(/^Too many users trying to log in right now/);
    const t0 = Date.now();
    const messages: string[] = [];
    expect(await bob.startServer('bob', '', { userOptions: {}, onProgress: (e) => messages.push(e.message ?? '') })).toBe('ready');
    // JupyterHub 3 asks for 30-60 s (Retry-After); the connector waits that long, and says so.
    expect(Date.now() - t0).toBeGreaterThan(29_000);
    expect(messages[0]).toMatch(/^JupyterHub is busy \(429\): retrying in \d+ s as it asks$/);
    expect(messages.at(-1)).toMatch(/^Server ready at/);
    expect((await alice.listServers('alice')).find((s) => s.name === 'big')?.ready).toBe(true);
  }, 90_000);
});

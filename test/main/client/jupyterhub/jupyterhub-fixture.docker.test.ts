// The real JupyterHub 3 the connector tests run against: its API answers, users get tokens, and the
// test spawner's user_options produce the 201/202/500 answers the connector must handle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJupyterHub, type TestJupyterHub } from '../../../support/jupyterhub-fixture';

let hub: TestJupyterHub;
beforeAll(async () => {
  hub = await startJupyterHub();
}, 90_000);
afterAll(async () => {
  await hub?.stop();
}, 30_000);

async function api(token: string, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${hub.url}/hub/api${path}`, { ...init, headers: { Authorization: `token ${token}`, 'Content-Type': 'application/json' } });
}

describe('test JupyterHub', () => {
  it('reports version 3 and knows the token holder', async () => {
    const version = (await (await fetch(`${hub.url}/hub/api`)).json()) as { version: string };
    expect(version.version).toMatch(/^3\./);
    const token = await hub.userToken('alice');
    const me = (await (await api(token, '/user')).json()) as { name: string };
    expect(me.name).toBe('alice');
    expect((await api('not-a-token', '/user')).status).toBe(403);
  });

  it('starts a named server slowly (202) and fails one with the given reason (500)', async () => {
    const token = await hub.userToken('alice');
    const slow = await api(token, '/users/alice/servers/slow', { method: 'POST', body: JSON.stringify({ delay: 12 }) });
    expect(slow.status).toBe(202);
    const failed = await api(token, '/users/alice/servers/broken', { method: 'POST', body: JSON.stringify({ fail: 'no GPU left' }) });
    expect(failed.status).toBe(500);
  }, 60_000);

  it('runs a real singleuser server that becomes ready', async () => {
    const token = await hub.userToken('bob');
    const start = await api(token, '/users/bob/server', { method: 'POST', body: JSON.stringify({}) });
    expect([201, 202]).toContain(start.status);
    const deadline = Date.now() + 30_000;
    let ready = false;
    while (!ready && Date.now() < deadline) {
      const user = (await (await api(token, '/users/bob')).json()) as { servers: Record<string, { ready: boolean }> };
      ready = user.servers['']?.ready ?? false;
      if (!ready) await new Promise((r) => setTimeout(r, 500));
    }
    expect(ready).toBe(true);
  }, 60_000);
});

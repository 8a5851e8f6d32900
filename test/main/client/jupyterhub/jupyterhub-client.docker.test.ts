// The JupyterHub connector's client against a real JupyterHub 3 (test/support/jupyterhub-fixture.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JupyterHubClient } from '../../../../main/client/jupyterhub/jupyterhub-client';
import { startJupyterHub, type TestJupyterHub } from '../../../support/jupyterhub-fixture';

let hub: TestJupyterHub;
beforeAll(async () => {
  hub = await startJupyterHub();
}, 90_000);
afterAll(async () => {
  await hub?.stop();
}, 30_000);

describe('JupyterHubClient', () => {
  it('checks the version and lists stopped servers too', async () => {
    const token = await hub.userToken('alice');
    const client = new JupyterHubClient(`${hub.url}/`, token);
    expect(await client.version()).toMatch(/^3\./);
    expect((await client.whoami()).name).toBe('alice');
    // A failed spawn leaves a stopped named server that only include_stopped_servers shows.
    await fetch(`${hub.url}/hub/api/users/alice/servers/gone`, { method: 'POST', headers: { Authorization: `token ${token}` }, body: '{"fail":"x"}' });
    const servers = await client.listServers('alice');
    expect(servers.map((s) => s.name)).toContain('gone');
    expect(servers.find((s) => s.name === 'gone')).toMatchObject({ ready: false, stopped: true });
  }, 60_000);

  it('says a bad token is refused, with the 403', async () => {
    const client = new JupyterHubClient(hub.url, 'wrong-token');
    await expect(client.whoami()).rejects.toThrow(/refused the token \(403\): it is wrong, expired or revoked/);
  });

  it('stops a server (204), waits out a slow stop (202) and removes a named server', async () => {
    const token = await hub.userToken('bob');
    const client = new JupyterHubClient(hub.url, token);
    const start = (name: string, options: object) =>
      fetch(`${hub.url}/hub/api/users/bob/servers/${name}`, { method: 'POST', headers: { Authorization: `token ${token}` }, body: JSON.stringify(options) });
    await start('quick', {});
    await start('lazy', { slow_stop: 12 });
    await waitReady(client, ['quick', 'lazy']);
    expect(await client.stopServer('bob', 'quick')).toBe('stopped');
    expect(await client.stopServer('bob', 'lazy')).toBe('stopped-after-wait');
    let servers = await client.listServers('bob');
    expect(servers.filter((s) => ['quick', 'lazy'].includes(s.name)).map((s) => [s.name, s.stopped, s.pending ?? null])).toEqual([
      ['quick', true, null],
      ['lazy', true, null],
    ]);
    await client.stopServer('bob', 'quick', { remove: true });
    servers = await client.listServers('bob');
    expect(servers.map((s) => s.name)).not.toContain('quick');
  }, 90_000);
});

async function waitReady(client: JupyterHubClient, names: string[]): Promise<void> {
  const deadline = Date.now() + 40_000;
  while (Date.now() < deadline) {
    const servers = await client.listServers('bob');
    if (names.every((n) => servers.find((s) => s.name === n)?.ready)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`servers ${names.join(', ')} not ready`);
}

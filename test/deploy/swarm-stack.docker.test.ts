// The team hub on a Swarm the way deploy/swarm/stack.yml runs it: `docker stack deploy`, one task
// pinned to a manager with the manager's Docker socket and a data volume. It creates workspace
// services on the user's attachable overlay network and reaches them over it (its container joins
// that network), serves the proxy and the SSH gateway, and a replaced task keeps everything.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api-hub';
import { sweep, testOrigin } from '../support/docker-fixture';
import { sweepSwarm } from '../support/swarm-fixture';
import { createAndReachWorkspace, ensureHubImage, run } from '../support/deployed-hub';
import { freePort } from '../support/oidc-provider-fixture';
import { wsFetch } from '../support/workspace-fetch';

const ROOT = path.join(__dirname, '../..');
const origin = testOrigin('stk');
const stack = `hd${origin.replace(/[^a-z0-9]/g, '').slice(-10)}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-stack-'));

const logs = async () => { const r = await run('docker', ['service', 'logs', '--raw', `${stack}_hub`]); return r.stdout + r.stderr; };
let base: string;
let sshPort: number;
let token = '';

async function healthy(ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await fetch(`${base}/api/v1/health`).then((r) => r.ok, () => false)) return;
    if (Date.now() > deadline) throw new Error(`the hub's task did not answer:\n${await logs()}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function hubTask(): Promise<string> {
  return (await run('docker', ['ps', '-q', '--filter', `label=com.docker.swarm.service.name=${stack}_hub`])).stdout.trim();
}

beforeAll(async () => {
  await ensureHubImage();
  const http = await freePort();
  sshPort = await freePort();
  base = `http://localhost:${http}`;
  // The stack's own file, its ports and id set through the variables it reads; a public URL and
  // workspace host so sign-in links name the port this test publishes.
  const file = path.join(tmp, 'stack.yml');
  const text = fs.readFileSync(path.join(ROOT, 'deploy/swarm/stack.yml'), 'utf8')
    .replace('      - --tls\n', `      - --public-url=${base}\n      - --workspace-host=*.localhost\n`)
    .replace('published: 8585', `published: ${http}`).replace('published: 2222', `published: ${sshPort}`);
  fs.writeFileSync(file, text);
  const deployed = await run('docker', ['stack', 'deploy', '-c', file, stack], { env: { HUBDECK_ORIGIN: origin } });
  expect(deployed.code, deployed.stderr).toBe(0);
  await healthy();
  // Service logs reach the manager a moment after the task wrote them.
  for (let i = 0; i < 100 && !token; i++) {
    token = /^admin token: (\S+)$/m.exec(await logs())?.[1] ?? '';
    if (!token) await new Promise((r) => setTimeout(r, 300));
  }
  expect(token, await logs()).toMatch(/^hdk_/);
}, 1_200_000);

afterAll(async () => {
  await run('docker', ['stack', 'rm', stack]);
  await sweepSwarm(origin);
  await sweep(origin);
  for (let i = 0; i < 50 && (await hubTask()); i++) await new Promise((r) => setTimeout(r, 200));
  await run('docker', ['volume', 'rm', `${stack}_hubdeck-data`]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the hub as a Swarm stack', () => {
  it('creates a workspace service, opens it through its proxy over the overlay, and reaches it with ssh', async () => {
    const info = await api(base, 'GET', '/info', token);
    expect(info.body).toMatchObject({ engine: { kind: 'swarm' } });
    await createAndReachWorkspace({ base, token, sshHost: '127.0.0.1', sshPort, fetchSite: wsFetch, tmp });
  }, 400_000);

  it('opens a workspace on a worker node through its proxy, over the overlay, with no address for that node\'s engine', async () => {
    // hd-node1 (scripts/start-swarm-nodes.sh) is another dockerd in its own network namespace; the
    // hub's task on the manager reaches the workspace's task there over the user's overlay only.
    const zone = `hubdeck-test-stack-${origin.slice(-6)}`;
    expect((await run('docker', ['node', 'update', '--availability', 'active', '--label-add', `${zone}=w`, 'hd-node1'])).code).toBe(0);
    try {
      const created = await api(base, 'POST', '/workspaces?wait=1&timeout=180', token, { name: 'e2', image: 'web', volume: false, placement: { [zone]: 'w' } });
      expect(created.status, created.text).toBe(201);
      expect(created.body).toMatchObject({ node: 'hd-node1', state: 'running' });
      const s = (await api(base, 'POST', '/workspaces/admin/e2/sign-in', token)).body as { signInUrl: string; url: string };
      const signIn = await wsFetch(s.signInUrl);
      expect(signIn.status).toBe(302);
      // busybox httpd's own answer for a path it has no file for: the proxy reached the workspace.
      const page = await wsFetch(s.url, { headers: { cookie: signIn.headers.get('set-cookie')!.split(';')[0]! } });
      expect(await page.text()).toMatch(/404 Not Found/);
      expect(page.status).toBe(404);
      expect((await api(base, 'DELETE', '/workspaces/admin/e2?deleteData=1', token)).status).toBe(204);
    } finally {
      await run('docker', ['node', 'update', '--availability', 'drain', '--label-rm', zone, 'hd-node1']);
    }
  }, 300_000);

  it('keeps users, tokens and workspaces when its task is replaced', async () => {
    const before = await hubTask();
    expect((await run('docker', ['rm', '-f', before])).code).toBe(0);
    for (let i = 0; i < 300 && [before, ''].includes(await hubTask()); i++) await new Promise((r) => setTimeout(r, 300));
    await healthy();
    const list = await api(base, 'GET', '/workspaces', token);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([expect.objectContaining({ name: 'e1', user: 'admin', state: 'running' })]);
  }, 240_000);
});

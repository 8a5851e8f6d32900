// The team hub the way ML Hub's quick start runs it: one `docker run` of `npm run image:hub`'s
// image with the host's Docker socket and a data volume. It creates sibling workspaces on the
// host's engine and reaches them (it joins their networks), prints the admin token once, serves the
// proxy and the SSH gateway on its published ports, and loses nothing on `docker restart`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api-hub';
import { sweep, testOrigin } from '../support/docker-fixture';
import { createAndReachWorkspace, ensureHubImage, run } from '../support/deployed-hub';
import { freePort } from '../support/oidc-provider-fixture';
import { wsFetch } from '../support/workspace-fetch';

const origin = testOrigin('img');
const name = `hubdeck-${origin}`;
const volume = `${name}-data`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-docker-hub-'));

const logs = async () => { const r = await run('docker', ['logs', name]); return r.stdout + r.stderr; };

let base: string;
let sshPort: string;
let token: string;

async function published(port: number): Promise<string> {
  const r = await run('docker', ['port', name, `${port}/tcp`]);
  return /:(\d+)\s*$/m.exec(r.stdout)![1]!;
}

async function healthy(ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await fetch(`${base}/api/v1/health`).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`the hub container did not answer /health:\n${await logs()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  await ensureHubImage();
  // The hub must know the address browsers reach it at (sign-in links, workspace origins): a port
  // picked here, published as itself.
  const port = await freePort();
  const started = await run('docker', ['run', '-d', '--name', name, '-v', '/var/run/docker.sock:/var/run/docker.sock',
    '-v', `${volume}:/data`, '-e', `HUBDECK_ORIGIN=${origin}`, '-p', `127.0.0.1:${port}:8585`, '-p', '127.0.0.1::2222', 'hubdeck/hub:latest',
    'hub', 'serve', '--listen=0.0.0.0:8585', '--ssh-listen=0.0.0.0:2222', `--public-url=http://localhost:${port}`, '--workspace-host=*.localhost']);
  expect(started.code, started.stderr).toBe(0);
  base = `http://127.0.0.1:${port}`;
  sshPort = await published(2222);
  await healthy();
  token = /^admin token: (\S+)$/m.exec(await logs())![1]!;
}, 1_200_000);

afterAll(async () => {
  await run('docker', ['rm', '-f', name]);
  await sweep(origin);
  await run('docker', ['volume', 'rm', volume]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the hub image, run with the Docker socket', () => {
  it('runs as an unprivileged user that may use the socket, with its data in /data', async () => {
    const top = await run('docker', ['top', name, '-o', 'pid,uid,args']);
    expect(top.stdout).toMatch(/^\s*\d+\s+10001\s+node \/app\/bin\/hubdeck\.js hub serve/m);
    const info = await api(base, 'GET', '/info', token);
    expect(info.status, info.text).toBe(200);
    expect(info.body).toMatchObject({ engine: { kind: 'docker' } });
  });

  it('creates a sibling workspace on the host engine, opens it through its proxy and reaches it with ssh', async () => {
    await createAndReachWorkspace({ base, token, sshHost: '127.0.0.1', sshPort: Number(sshPort), fetchSite: wsFetch, tmp });
  }, 300_000);

  it('keeps users, tokens and workspaces over docker restart, and prints the admin token once', async () => {
    expect((await run('docker', ['restart', name])).code).toBe(0);
    await healthy();
    const list = await api(base, 'GET', '/workspaces', token);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([expect.objectContaining({ name: 'e1', user: 'admin', state: 'running' })]);
    expect((await logs()).match(/admin token:/g)).toHaveLength(1);
  }, 120_000);
});

/**
 * Checks shared by the tests of the hub as it is deployed (test/deploy): running a command, and
 * the round every deployment must pass — an admin's busybox workspace created through the API,
 * reached with stock `ssh` through the hub's gateway, and opened through its proxy on its own origin.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { api } from './api-hub';
import { TEST_IMAGES } from './test-images';

export interface Run { code: number; stdout: string; stderr: string }

const ROOT = path.join(__dirname, '../..');

/** A command from the repository's root; never rejects. */
export function run(cmd: string, args: string[], o: { env?: Record<string, string>; timeout?: number } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: ROOT, timeout: o.timeout ?? 120_000, maxBuffer: 16 << 20, env: { ...process.env, ...o.env } }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 255) : 0, stdout, stderr }));
  });
}

/** Builds hubdeck/hub:latest when a run has not built it yet (.ci/run does, before the tests). */
export async function ensureHubImage(): Promise<void> {
  if ((await run('docker', ['image', 'inspect', 'hubdeck/hub:latest'])).code === 0) return;
  const built = await run('bash', ['scripts/build-hub-image.sh'], { timeout: 900_000 });
  expect(built.code, built.stderr).toBe(0);
}

export interface DeployedHub {
  base: string;
  token: string;
  /** Where its SSH gateway answers. */
  sshHost: string;
  sshPort: number;
  /** fetch that reaches the workspace's own origin (redirects not followed). */
  fetchSite: (url: string, init?: { headers?: Record<string, string> }) => Promise<Response>;
  tmp: string;
}

/** Creates admin/e1 from the busybox image, then reaches it with ssh and through the proxy. */
export async function createAndReachWorkspace(h: DeployedHub): Promise<void> {
  expect((await api(h.base, 'POST', '/images', h.token, { name: 'web', ref: TEST_IMAGES.busybox })).status).toBe(201);
  const created = await api(h.base, 'POST', '/workspaces?wait=1&timeout=180', h.token, { name: 'e1', image: 'web', memory: '256m' });
  expect(created.status, created.text).toBe(201);
  const key = path.join(h.tmp, 'id');
  expect((await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key])).code).toBe(0);
  expect((await api(h.base, 'POST', '/users/admin/keys', h.token, { key: fs.readFileSync(`${key}.pub`, 'utf8') })).status).toBe(201);
  const ssh = await run('ssh', ['-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-i', key, '-p', String(h.sshPort),
    '-o', `UserKnownHostsFile=${path.join(h.tmp, 'known_hosts')}`, '-o', 'StrictHostKeyChecking=accept-new', `admin.e1@${h.sshHost}`,
    // busybox httpd serves /www by path: a page where the proxy's path lands.
    'mkdir -p /www/user/admin/e1 && cp /www/index.html /www/user/admin/e1/ && echo $((6*7))']);
  expect(ssh, ssh.stderr).toMatchObject({ code: 0, stdout: '42\n' });
  const s = (await api(h.base, 'POST', '/workspaces/admin/e1/sign-in', h.token)).body as { signInUrl: string; url: string };
  const signIn = await h.fetchSite(s.signInUrl);
  expect(signIn.status, await signIn.clone().text()).toBe(302);
  const page = await h.fetchSite(s.url, { headers: { cookie: signIn.headers.get('set-cookie')!.split(';')[0]! } });
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('hubdeck busybox workspace');
}

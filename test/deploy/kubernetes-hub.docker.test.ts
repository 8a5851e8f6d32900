// The hub as a team deploys it into a cluster: `npm run image:hub`'s image, applied with kustomize
// (deploy/kubernetes/overlays/test-cluster on the base), running as its ServiceAccount with the
// in-cluster config, reached only through its Service (kube-proxy's ClusterIP): the API, a
// workspace it creates opened through its proxy, `ssh` through its gateway, and a replacement pod
// that keeps users, tokens and workspaces because hub.db lives on the claim.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppsV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api-hub';
import { requireCluster } from '../support/kube-fixture';
import { TEST_IMAGES } from '../support/test-images';

const ROOT = path.join(__dirname, '../..');
const OVERLAY = 'deploy/kubernetes/overlays/test-cluster';
const NS = 'hubdeck-e2e';
const NAME = 'hubdeck-e2e';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-k8s-hub-'));

interface Run { code: number; stdout: string; stderr: string }
function run(cmd: string, args: string[], timeout = 120_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: ROOT, timeout, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 255) : 0, stdout, stderr }));
  });
}
const kubectl = (...args: string[]) => run('bash', ['scripts/start-test-cluster.sh', 'kubectl', ...args]);

let kc: KubeConfig;
let core: CoreV1Api;
let ip: string;
let base: string;
let token: string;

/** fetch where every name (the workspace's own origin included) is the hub Service's ClusterIP. */
const toService = new Agent({
  connect: {
    lookup: ((_h: string, o: { all?: boolean }, cb: (e: null, a: unknown, f?: number) => void) =>
      (o?.all ? cb(null, [{ address: ip, family: 4 }]) : cb(null, ip, 4))) as never,
  },
});
const serviceFetch = (url: string, init: Record<string, unknown> = {}) =>
  undiciFetch(url, { redirect: 'manual', ...init, dispatcher: toService });

/** Retries `check` every half second until it passes; its last failure after `ms`. */
async function eventually(check: () => Promise<unknown>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function hubPod(): Promise<{ name: string; ready: boolean }> {
  const pods = await core.listNamespacedPod({ namespace: NS, labelSelector: 'app.kubernetes.io/name=hubdeck' });
  const live = pods.items.filter((p) => !p.metadata?.deletionTimestamp);
  const p = live[0];
  return { name: p?.metadata?.name ?? '', ready: live.length === 1 && Boolean(p?.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True')) };
}

async function podLog(name: string): Promise<string> {
  return core.readNamespacedPodLog({ name, namespace: NS, container: 'hub' });
}

async function waitReady(): Promise<string> {
  let pod = { name: '', ready: false };
  await eventually(async () => {
    pod = await hubPod();
    expect(pod.ready).toBe(true);
    expect((await serviceFetch(`${base}/api/v1/health`)).status).toBe(200);
  }, 240_000);
  return pod.name;
}

beforeAll(async () => {
  kc = await requireCluster();
  core = kc.makeApiClient(CoreV1Api);
  // The image users run: built here when a run has not built it yet (.ci/run does, before the tests).
  if ((await run('docker', ['image', 'inspect', 'hubdeck/hub:latest'])).code !== 0) {
    const built = await run('bash', ['scripts/build-hub-image.sh'], 900_000);
    expect(built.code, built.stderr).toBe(0);
  }
  await kubectl('delete', '-k', OVERLAY, '--ignore-not-found', '--wait=true');
  const applied = await kubectl('apply', '-k', OVERLAY);
  expect(applied.code, applied.stderr).toBe(0);
  const svc = await core.readNamespacedService({ name: NAME, namespace: NS });
  ip = svc.spec!.clusterIP!;
  base = `http://${ip}:8585`;
  const pod = await waitReady();
  const admin = /^admin token: (\S+)$/m.exec(await podLog(pod));
  expect(admin, 'the first start prints the admin token').not.toBeNull();
  token = admin![1]!;
}, 1_200_000);

afterAll(async () => {
  await kubectl('delete', '-k', OVERLAY, '--ignore-not-found', '--wait=false');
  toService.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the hub deployed into the cluster it manages', () => {
  it('answers through its Service as the Kubernetes hub, with its ServiceAccount', async () => {
    const info = await api(base, 'GET', '/info', token);
    expect(info.status, info.text).toBe(200);
    expect(info.body).toMatchObject({ engine: { kind: 'kubernetes' } });
    const dep = await kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: NAME, namespace: NS });
    expect(dep.spec!.template.spec!.serviceAccountName).toBe(NAME);
    expect(dep.spec!.template.spec!.containers[0]!.image).toBe('hubdeck/hub:latest');
  });

  it('creates a workspace, opens it through its proxy, and reaches it with ssh through its gateway', async () => {
    expect((await api(base, 'POST', '/images', token, { name: 'web', ref: TEST_IMAGES.busybox })).status).toBe(201);
    const created = await api(base, 'POST', '/workspaces?wait=1&timeout=180', token, { name: 'e1', image: 'web', memory: '256m' });
    expect(created.status, created.text).toBe(201);
    const key = path.join(tmp, 'id');
    expect((await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key])).code).toBe(0);
    expect((await api(base, 'POST', '/users/admin/keys', token, { key: fs.readFileSync(`${key}.pub`, 'utf8') })).status).toBe(201);
    const ssh = await run('ssh', ['-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-i', key, '-p', '2222',
      '-o', `UserKnownHostsFile=${path.join(tmp, 'known_hosts')}`, '-o', 'StrictHostKeyChecking=accept-new', `admin.e1@${ip}`,
      // busybox httpd serves /www by path: a page where the proxy's path lands.
      'mkdir -p /www/user/admin/e1 && cp /www/index.html /www/user/admin/e1/ && echo $((6*7))']);
    expect(ssh, ssh.stderr).toMatchObject({ code: 0, stdout: '42\n' });
    // The hub in the pod reaches the workspace's pod by its IP (no port-forward through the API server).
    const s = (await api(base, 'POST', '/workspaces/admin/e1/sign-in', token)).body as { signInUrl: string; url: string };
    const signIn = await serviceFetch(s.signInUrl);
    expect(signIn.status).toBe(302);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const page = await serviceFetch(s.url, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('hubdeck busybox workspace');
  }, 300_000);

  it('keeps users, tokens and workspaces when its pod is replaced (hub.db on the claim)', async () => {
    const before = await hubPod();
    await core.deleteNamespacedPod({ name: before.name, namespace: NS });
    await eventually(async () => expect((await hubPod()).name).not.toBe(before.name), 120_000);
    const after = await waitReady();
    const list = await api(base, 'GET', '/workspaces', token);
    expect(list.status, 'the same token still signs in').toBe(200);
    expect(list.body).toEqual([expect.objectContaining({ name: 'e1', user: 'admin', state: 'running' })]);
    expect(await podLog(after), 'the admin token is printed once, at the first start only').not.toMatch(/admin token:/);
  }, 400_000);
});

// The hub as a team deploys it into a cluster: `npm run image:hub`'s image, applied with kustomize
// (deploy/kubernetes/overlays/test-cluster on the base), running as its ServiceAccount with the
// in-cluster config, reached only through its Service (kube-proxy's ClusterIP): the API, a
// workspace it creates opened through its proxy, `ssh` through its gateway, and a replacement pod
// that keeps users, tokens and workspaces because hub.db lives on the claim.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppsV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api-hub';
import { requireCluster } from '../support/kube-fixture';
import { createAndReachWorkspace, ensureHubImage, run } from '../support/deployed-hub';

const OVERLAY = 'deploy/kubernetes/overlays/test-cluster';
const NS = 'hubdeck-e2e';
const NAME = 'hubdeck-e2e';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-k8s-hub-'));

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
  await ensureHubImage();
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
    // The hub in the pod reaches the workspace's pod by its IP (no port-forward through the API server).
    await createAndReachWorkspace({ base, token, sshHost: ip, sshPort: 2222, fetchSite: serviceFetch as never, tmp });
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

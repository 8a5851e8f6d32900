/**
 * `hubdeck hub serve --engine kubernetes --kube-context C --namespace N` end to end: a real hub
 * process on the real test cluster, driven by the real CLI — a workspace created as a pod (and
 * waited for through port-forward), its logs and stats, stop (pod deleted) and start, the hub
 * restarted from scratch finding it again by labels, then removed with its data. Bad Kubernetes
 * flags fail at start, naming the flag.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABELS } from '../../../../main/core/labels';
import { hubdeck } from '../../../support/cli';
import { testOrigin } from '../../../support/docker-fixture';
import { startServe, type ServeProcess } from '../../../support/hub-process';
import { createTestNamespace, deleteTestNamespace, requireCluster, TEST_KUBECONFIG } from '../../../support/kube-fixture';
import { TEST_IMAGES } from '../../../support/test-images';

const origin = testOrigin('srvk');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'serve-k8s-'));
let serveArgs: string[];
let srv: ServeProcess;
let ns: string;
let core: CoreV1Api;
let admin: Awaited<ReturnType<typeof requireCluster>>;
let alice = '';
const as = (token: string, ...args: string[]) => hubdeck(['--hub', srv.url, '--token', token, ...args]);
const pods = async () => (await core.listNamespacedPod({ namespace: ns, labelSelector: `${LABELS.origin}=${origin}` })).items;

beforeAll(async () => {
  admin = await requireCluster();
  core = admin.makeApiClient(CoreV1Api);
  ns = await createTestNamespace(admin, 'serve');
  serveArgs = ['--data', dataDir, '--listen', '127.0.0.1:0', '--engine', 'kubernetes', '--kubeconfig', TEST_KUBECONFIG, '--kube-context', 'hubdeck-test', '--namespace', ns, '--volume-size', '64Mi', '--origin', origin, '--tick', '1'];
  srv = await startServe(serveArgs);
});
afterAll(async () => {
  await srv?.stop('SIGKILL').catch(() => undefined);
  if (ns) await deleteTestNamespace(admin, ns);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('hub serve --engine kubernetes', () => {
  it('starts on the cluster and says which context and namespace', async () => {
    expect(srv.stdout()).toMatch(new RegExp(`engine Kubernetes v1\\.20\\.2 \\(context hubdeck-test, namespace ${ns}, https://127\\.0\\.0\\.1:\\d+\\)`));
    expect((await as(srv.adminToken!, 'user', 'add', 'alice', '--self-service')).code).toBe(0);
    alice = JSON.parse((await as(srv.adminToken!, '--json', 'token', 'create', 'alice')).stdout).token;
    expect((await as(srv.adminToken!, 'image', 'add', 'busybox', TEST_IMAGES.busybox)).code).toBe(0);
  });

  it('creates a workspace as a pod, waits until it answers, and shows its logs and stats', async () => {
    const created = await as(alice, '--json', 'workspace', 'create', 'w1', '--image', TEST_IMAGES.busybox, '--cpus', '0.5', '--memory', '64m', '--days', '2');
    expect(created.stderr).toContain('waiting for /user/alice/w1/ to answer');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ name: 'w1', user: 'alice', state: 'running', cpus: 0.5, memory: 64 * 1024 ** 2 });
    const [pod] = await pods();
    expect(pod!.metadata!.labels).toMatchObject({ [LABELS.user]: 'alice', [LABELS.workspace]: 'w1' });
    expect(pod!.spec!.containers[0]!.resources!.limits).toEqual({ cpu: '500m', memory: String(64 * 1024 ** 2) });
    const logs = await as(alice, 'workspace', 'logs', 'w1', '--tail', '5');
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/response:/); // busybox httpd logged the readiness probe
    expect(JSON.parse((await as(alice, '--json', 'workspace', 'stats', 'w1')).stdout)).toMatchObject({ memoryLimit: 64 * 1024 ** 2 });
  });

  it('stops by deleting the pod and starts again', async () => {
    expect(JSON.parse((await as(alice, '--json', 'workspace', 'stop', 'w1')).stdout)).toMatchObject({ name: 'w1', state: 'stopped' });
    expect(await pods()).toEqual([]);
    const start = await as(alice, 'workspace', 'start', 'w1');
    expect(start.stdout).toMatch(/^alice\/w1: running/);
    expect((await pods()).length).toBe(1);
  });

  it('finds the workspace again after a restart of the hub (labels are the truth), then removes it with its data', async () => {
    await srv.stop('SIGTERM');
    srv = await startServe(serveArgs);
    expect(srv.reconciled).toBe('reconciled: 1 workspace(s), 0 orphaned');
    const list = JSON.parse((await as(alice, '--json', 'workspace', 'list')).stdout) as { name: string; state: string }[];
    expect(list).toMatchObject([{ name: 'w1', state: 'running' }]);
    const rm = await as(alice, '--json', 'workspace', 'remove', 'w1', '--delete-data');
    expect(JSON.parse(rm.stdout)).toEqual({ name: 'w1', user: 'alice', removed: true, dataDeleted: true });
    expect(await pods()).toEqual([]);
    expect((await core.listNamespacedPersistentVolumeClaim({ namespace: ns, labelSelector: `${LABELS.origin}=${origin}` })).items).toEqual([]);
  });

  it('refuses bad Kubernetes flags at start, naming the flag', async () => {
    const data = () => fs.mkdtempSync(path.join(os.tmpdir(), 'serve-k8s-bad-'));
    const ctx = await hubdeck(['hub', 'serve', '--data', data(), '--listen', '127.0.0.1:0', '--engine', 'kubernetes', '--kubeconfig', TEST_KUBECONFIG, '--kube-context', 'nope']);
    expect(ctx.code).not.toBe(0);
    expect(ctx.stderr.trim()).toBe('hubdeck: kube context "nope" is not in the kubeconfig (it has: hubdeck-test)');
    const badNs = await hubdeck(['hub', 'serve', '--data', data(), '--listen', '127.0.0.1:0', '--engine', 'kubernetes', '--namespace', 'Not_A_Namespace']);
    expect(badNs.stderr.trim()).toBe('hubdeck: namespace: "Not_A_Namespace" is not a Kubernetes namespace name');
    const size = await hubdeck(['hub', 'serve', '--data', data(), '--listen', '127.0.0.1:0', '--engine', 'kubernetes', '--volume-size', 'huge']);
    expect(size.stderr.trim()).toBe('hubdeck: volume-size: "huge" is not a size Kubernetes understands (e.g. 10Gi)');
  });
});

// What only the Kubernetes engine does, on the real test cluster: the objects a workspace becomes
// (limits and requests, /dev/shm, owner references, encoded labels, the token in a Secret),
// Events as progress, the errors of starts that cannot succeed (no node has the GPUs, the image
// cannot be pulled), kubectl-style deletion of the root, and connect by pod IP.
import { CoreV1Api, PatchStrategy, setHeaderOptions, type V1Pod } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LABELS } from '../../../../main/core/labels';
import { parseWorkspaceRequest, type WorkspaceRequest } from '../../../../main/core/workspace-spec';
import type { ProgressEvent, WorkspaceRef } from '../../../../main/engine/engine';
import { KubernetesEngine } from '../../../../main/engine/kubernetes/kubernetes-engine';
import { kubeNames } from '../../../../main/engine/kubernetes/kube-names';
import { httpProbe, waitReady } from '../../../../main/engine/wait-ready';
import { refusal, run } from '../../../support/engine-contract';
import { testOrigin } from '../../../support/docker-fixture';
import { createTestNamespace, deleteTestNamespace, requireCluster, TEST_KUBECONFIG } from '../../../support/kube-fixture';
import { TEST_IMAGES } from '../../../support/test-images';

describe('KubernetesEngine on a real cluster', () => {
  let ns: string;
  let core: CoreV1Api;
  let admin: Awaited<ReturnType<typeof requireCluster>>;
  const origin = testOrigin('ke');
  let engine: KubernetesEngine;
  const made: WorkspaceRef[] = [];
  const spec = (ref: WorkspaceRef, r: Partial<WorkspaceRequest> = {}) => parseWorkspaceRequest({ image: TEST_IMAGES.busybox, ...r, ...ref }, { now: new Date() });
  const key = (ref: WorkspaceRef) => ({ origin, ...ref });
  const pod = (ref: WorkspaceRef): Promise<V1Pod> => core.readNamespacedPod({ name: kubeNames.pod(key(ref)), namespace: ns });

  beforeAll(async () => {
    admin = await requireCluster();
    core = admin.makeApiClient(CoreV1Api);
    ns = await createTestNamespace(admin, 'engine');
    engine = new KubernetesEngine({ origin, kubeconfig: TEST_KUBECONFIG, namespace: ns, volumeSize: '64Mi', startTimeoutMs: 60_000 });
  });
  afterEach(async () => {
    for (const ref of made.splice(0)) await engine.remove(ref, { deleteData: true }).catch(() => undefined);
  });
  afterAll(async () => {
    await deleteTestNamespace(admin, ns);
  });

  it('makes a pod with limits, requests, a sized /dev/shm and the token from a Secret, owned by the root Service', async () => {
    const ref = { user: 'alice', name: 'shape' };
    made.push(ref);
    const events: ProgressEvent[] = [];
    const w = await engine.create(spec(ref, { cpus: 0.5, memory: '96m', shm: '32m', reservations: { cpus: 0.25, memory: '48m' }, placement: { 'kubernetes.io/hostname': 'localhost' } }), { onProgress: (e) => events.push(e) });
    expect(w.state).toBe('running');
    // Progress comes from the pod's Events, in order, ending ready.
    const messages = events.map((e) => e.message).join('\n');
    expect(messages).toMatch(/Successfully assigned/);
    expect(messages).toMatch(/Started container/);
    expect(events.at(-1)).toMatchObject({ phase: 'ready', percent: 100 });

    const p = await pod(ref);
    const c = p.spec!.containers[0]!;
    expect(c.resources).toEqual({ limits: { cpu: '500m', memory: String(96 * 1024 ** 2) }, requests: { cpu: '250m', memory: String(48 * 1024 ** 2) } });
    expect(c.imagePullPolicy).toBe('IfNotPresent');
    expect(p.spec!.nodeSelector).toEqual({ 'kubernetes.io/hostname': 'localhost' });
    expect(p.spec!.volumes!.find((v) => v.name === 'dshm')!.emptyDir).toEqual({ medium: 'Memory', sizeLimit: String(32 * 1024 ** 2) });
    // The kernel sees the memory-backed /dev/shm.
    expect((await run(engine, ref, ['sh', '-c', 'grep " /dev/shm " /proc/mounts'])).out).toMatch(/tmpfs \/dev\/shm tmpfs/);
    // The token is not in the pod spec, only a reference to the Secret; the workspace has it.
    expect(JSON.stringify(p.spec)).not.toContain((await engine.webToken(ref))!);
    expect(c.env!.find((e) => e.name === 'JUPYTER_TOKEN')!.valueFrom!.secretKeyRef!.name).toBe(kubeNames.secret(key(ref)));
    expect((await run(engine, ref, ['sh', '-c', 'echo "$JUPYTER_TOKEN"'])).out.trim()).toBe(await engine.webToken(ref));

    const root = await core.readNamespacedService({ name: kubeNames.root(key(ref)), namespace: ns });
    expect(root.metadata!.uid).toBe(w.id);
    expect(root.metadata!.labels).toMatchObject({ [LABELS.origin]: origin, [LABELS.user]: 'alice', [LABELS.workspace]: 'shape', [LABELS.kind]: 'workspace' });
    expect(JSON.parse(root.metadata!.annotations![LABELS.spec]!)).toEqual(w.spec);
    for (const o of [p, await core.readNamespacedSecret({ name: kubeNames.secret(key(ref)), namespace: ns }), await core.readNamespacedPersistentVolumeClaim({ name: kubeNames.claim(key(ref)), namespace: ns })]) {
      expect(o.metadata!.ownerReferences).toEqual([expect.objectContaining({ kind: 'Service', uid: w.id, controller: true })]);
    }
  });

  it('stops by deleting the pod and keeps the root, Secret and claim', async () => {
    const ref = { user: 'alice', name: 'stopper' };
    made.push(ref);
    await engine.create(spec(ref));
    expect((await engine.stop(ref, { timeoutSeconds: 1 })).state).toBe('stopped');
    expect(await refusal(pod(ref))).toMatchObject({ code: 404 });
    await core.readNamespacedSecret({ name: kubeNames.secret(key(ref)), namespace: ns });
    await core.readNamespacedPersistentVolumeClaim({ name: kubeNames.claim(key(ref)), namespace: ns });
  });

  it('deleting the root (as kubectl would) removes the pod, Secret and data through owner references', async () => {
    const ref = { user: 'bob', name: 'cascade' };
    made.push(ref);
    await engine.create(spec(ref));
    await core.deleteNamespacedService({ name: kubeNames.root(key(ref)), namespace: ns, propagationPolicy: 'Foreground' });
    const gone = async () => {
      const [pods, secrets, claims] = await Promise.all([
        core.listNamespacedPod({ namespace: ns, labelSelector: `${LABELS.workspace}=cascade` }),
        core.listNamespacedSecret({ namespace: ns, labelSelector: `${LABELS.workspace}=cascade` }),
        core.listNamespacedPersistentVolumeClaim({ namespace: ns, labelSelector: `${LABELS.workspace}=cascade` }),
      ]);
      return pods.items.length + secrets.items.length + claims.items.filter((c) => !c.metadata?.deletionTimestamp).length;
    };
    await expect.poll(gone, { timeout: 60_000, interval: 500 }).toBe(0);
    await expect.poll(() => engine.get(ref), { timeout: 30_000, interval: 500 }).toBeNull();
  });

  it('refuses GPUs no node has, with the scheduler\'s reason, and leaves nothing behind', async () => {
    const ref = { user: 'carol', name: 'gpu' };
    made.push(ref);
    const e = await refusal(engine.create(spec(ref, { gpus: 1 })));
    expect(e).toMatchObject({ code: 'quota', message: expect.stringMatching(/no node can run this workspace now: .*Insufficient nvidia.com\/gpu/) });
    expect(await engine.get(ref)).toBeNull();
    expect((await engine.resources()).filter((r) => r.user === 'carol' && r.kind !== 'network')).toEqual([]);
    // Device ids and "all" are Docker's forms: refused before anything is made.
    expect(await refusal(engine.create(spec(ref, { gpus: 'all' })))).toMatchObject({ code: 'invalid', field: 'gpus' });
  });

  it('schedules GPUs by count on a node that advertises nvidia.com/gpu, and counts them in capacity', async () => {
    // The documented way to advertise an extended resource without a device plugin: patch the
    // node's status. Undone afterwards, so the other tests see a node without GPUs.
    const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);
    const gpuPath = '/status/capacity/nvidia.com~1gpu';
    await core.patchNodeStatus({ name: 'localhost', body: [{ op: 'add', path: gpuPath, value: '2' }] }, jsonPatch);
    try {
      await expect.poll(async () => (await engine.capacity()).nodes[0]!.gpus, { timeout: 30_000, interval: 250 }).toBe(2);
      const ref = { user: 'carol', name: 'gpus' };
      made.push(ref);
      const w = await engine.create(spec(ref, { gpus: 2, volume: false }));
      expect(w).toMatchObject({ state: 'running', limits: { gpus: { kind: 'count', count: 2 } } });
      expect((await pod(ref)).spec!.containers[0]!.resources!.limits).toEqual({ 'nvidia.com/gpu': '2' });
      await engine.remove(ref);
    } finally {
      await core.patchNodeStatus({ name: 'localhost', body: [{ op: 'remove', path: gpuPath }] }, jsonPatch).catch(() => undefined);
      await expect.poll(async () => (await engine.capacity()).nodes[0]!.gpus, { timeout: 30_000, interval: 250 }).toBe(0);
    }
  });

  it('fails a start whose image cannot be pulled with a clear error', async () => {
    const ref = { user: 'carol', name: 'noimage' };
    made.push(ref);
    const e = await refusal(engine.create(spec(ref, { image: '127.0.0.1:1/hubdeck-test/never-built:0' })));
    // an unreachable registry reads as on Docker: the field, the registry, unavailable (CLI exit 5)
    expect(e).toMatchObject({ code: 'unavailable', field: 'image', message: expect.stringMatching(/^image: cannot reach 127\.0\.0\.1:1 from this engine \(Kubernetes\) to pull "127\.0\.0\.1:1\/hubdeck-test\/never-built:0"/) });
    expect(await engine.get(ref)).toBeNull();
  });

  it('says a registry out of reach (quay.io, offline) is unreachable, and reports availability as present or unknown', async () => {
    const ref = { user: 'carol', name: 'offline' };
    made.push(ref);
    const e = await refusal(engine.create(spec(ref, { image: 'quay.io/jupyter/base-notebook' })));
    expect(e).toMatchObject({ code: 'unavailable', field: 'image', message: expect.stringMatching(/^image: cannot reach quay\.io from this engine \(Kubernetes\)/) });
    expect(await engine.imageAvailability(TEST_IMAGES.busybox)).toEqual({ state: 'present', detail: null });
    expect((await engine.imageAvailability('quay.io/jupyter/base-notebook')).state).toBe('unknown');
  });

  it('says when its namespace does not exist, instead of "not found"', async () => {
    const lost = new KubernetesEngine({ origin, kubeconfig: TEST_KUBECONFIG, namespace: `${ns}-missing` });
    const e = await refusal(lost.create(spec({ user: 'erin', name: 'lost' })));
    expect(e).toMatchObject({ code: 'unavailable', message: expect.stringMatching(new RegExp(`^Kubernetes namespace "${ns}-missing" does not exist \\(context hubdeck-test`)) });
  });

  it('connects by pod IP as a hub inside the cluster does, and by port-forward', async () => {
    const ref = { user: 'dave', name: 'web' };
    made.push(ref);
    await engine.create(spec(ref, { volume: false }));
    await waitReady(engine, ref, { timeoutMs: 30_000 });
    const inside = new KubernetesEngine({ origin, kubeconfig: TEST_KUBECONFIG, namespace: ns, connectMode: 'pod-ip' });
    const w = (await inside.get(ref))!;
    for (const e of [engine, inside]) {
      const status = await httpProbe(await e.connect(ref, 8888), w.baseUrl, 10_000);
      expect(status).toBeGreaterThanOrEqual(100);
    }
    const s = await engine.stats(ref);
    expect(s.memoryUsed).toBeGreaterThan(0);
    expect(s.onlineCpus).toBe((await engine.capacity()).nodes[0]!.cpus);
  });
});

// The Kubernetes engine's pure parts: label values under Kubernetes rules, object names, resource
// quantities, pod → workspace state, the objects a spec becomes, image lookup, stats parsing,
// exec exit codes and the stdin framing (run through a real sh and dd).
import { spawn, spawnSync } from 'node:child_process';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LABELS } from '../../../../main/core/labels';
import { parseWorkspaceRequest } from '../../../../main/core/workspace-spec';
import { exitCodeOf, framedStdinCommand } from '../../../../main/engine/kubernetes/kube-exec';
import { imageGroups, resolveImage } from '../../../../main/engine/kubernetes/kube-images';
import { decodeLabelValue, encodeLabelValue } from '../../../../main/engine/kubernetes/kube-labels';
import { kubeNames } from '../../../../main/engine/kubernetes/kube-names';
import { checkGpus, planNetworkPolicy, planPod, planRoot } from '../../../../main/engine/kubernetes/kube-plan';
import { fatalEvent, fatalState, progressOf } from '../../../../main/engine/kubernetes/kube-pod';
import { cpusFrom, parseQuantity } from '../../../../main/engine/kubernetes/kube-quantity';
import { podState } from '../../../../main/engine/kubernetes/kube-state';
import { resourcesOf } from '../../../../main/engine/kubernetes/kube-resources';
import { parseCgroupSample } from '../../../../main/engine/kubernetes/kube-stats';

const LABEL_VALUE = /^([A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?)?$/;

describe('label values', () => {
  it('keeps valid values, encodes the rest reversibly, and refuses (never truncates) what cannot fit', () => {
    expect(encodeLabelValue('k', 'alice')).toBe('alice');
    expect(encodeLabelValue('k', '1767225600')).toBe('1767225600');
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (v) => {
      const e = encodeLabelValue('k', v);
      expect(e.length).toBeLessThanOrEqual(63);
      expect(e).toMatch(LABEL_VALUE);
      expect(decodeLabelValue(e)).toBe(v);
    }), { numRuns: 2000 });
    // A raw value that looks encoded is encoded too, so decoding is never ambiguous.
    expect(decodeLabelValue(encodeLabelValue('k', 'b64.YQ.e'))).toBe('b64.YQ.e');
    expect(() => encodeLabelValue('hubdeck.io/x', 'é'.repeat(40))).toThrow(/label hubdeck.io\/x is too long for Kubernetes \(40 characters/);
  });
});

describe('names', () => {
  it('are DNS-1035 labels of at most 63 characters, unique per origin/user/name', () => {
    const long = { origin: 'o'.repeat(24), user: `u${'a'.repeat(31)}`, name: 'n'.repeat(40) };
    for (const n of [kubeNames.root(long), kubeNames.claim(long), kubeNames.secret(long), kubeNames.userClaim(long.origin, long.user, 'x'.repeat(40)), kubeNames.networkPolicy(long.origin, long.user)]) {
      expect(n.length).toBeLessThanOrEqual(63);
      expect(n).toMatch(/^[a-z]([a-z0-9-]*[a-z0-9])?$/);
    }
    expect(kubeNames.root({ origin: 'a', user: 'u', name: 'x-y' })).not.toBe(kubeNames.root({ origin: 'a', user: 'u-x', name: 'y' }));
    expect(kubeNames.root({ origin: 'a', user: 'u', name: 'w' })).not.toBe(kubeNames.root({ origin: 'b', user: 'u', name: 'w' }));
  });
});

describe('quantities', () => {
  it('reads the forms the API server returns', () => {
    expect(cpusFrom('500m')).toBe(0.5);
    expect(cpusFrom('2')).toBe(2);
    expect(parseQuantity('64Mi')).toBe(64 * 1024 ** 2);
    expect(parseQuantity('67108864')).toBe(67108864);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('12345n')).toBeCloseTo(12345e-9);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('lots')).toBeNull();
  });
});

const pod = (status: V1Pod['status'], extra: Partial<V1Pod['metadata']> = {}): V1Pod => ({ metadata: { name: 'p', ...extra }, status });

describe('pod state', () => {
  it('maps pods to workspace states with the reason', () => {
    expect(podState(null)).toEqual({ state: 'stopped', status: 'stopped' });
    expect(podState(pod({ phase: 'Running', containerStatuses: [{ name: 'workspace', image: 'i', imageID: '', ready: true, restartCount: 0, state: { running: {} } }] })).state).toBe('running');
    expect(podState(pod({ phase: 'Failed', containerStatuses: [{ name: 'workspace', image: 'i', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 3, reason: 'Error' } } }] }))).toEqual({ state: 'failed', status: 'exited with code 3' });
    expect(podState(pod({ phase: 'Failed', containerStatuses: [{ name: 'workspace', image: 'i', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }] }))).toEqual({ state: 'failed', status: 'killed: out of memory' });
    expect(podState(pod({ phase: 'Pending', containerStatuses: [{ name: 'workspace', image: 'i', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "x"' } } }] }))).toEqual({ state: 'failed', status: 'ImagePullBackOff: Back-off pulling image "x"' });
    expect(podState(pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', message: '0/1 nodes are available' }] }))).toEqual({ state: 'starting', status: 'pending: 0/1 nodes are available' });
    expect(podState(pod({ phase: 'Running' }, { deletionTimestamp: new Date() })).state).toBe('stopping');
    expect(podState(pod({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' }))).toEqual({ state: 'failed', status: 'Evicted: The node was low on resource: memory.' });
  });

  it('turns Events into progress, and the hopeless ones into errors', () => {
    expect(progressOf({ reason: 'Pulling', message: 'Pulling image "x"' }, 'x')).toMatchObject({ phase: 'pull', image: 'x' });
    expect(progressOf({ reason: 'Killing' }, 'x')).toBeNull();
    expect(fatalEvent({ reason: 'FailedScheduling', message: '0/1 nodes are available: 1 pod has unbound immediate PersistentVolumeClaims.' }, 'x')).toBeNull();
    expect(fatalEvent({ reason: 'FailedScheduling', message: '0/3 nodes are available: 3 Insufficient memory.' }, 'x')).toMatchObject({ code: 'quota' });
    expect(fatalEvent({ reason: 'FailedScheduling', message: "0/1 nodes are available: 1 node(s) didn't match node selector." }, 'x')).toMatchObject({ code: 'quota' });
    expect(fatalEvent({ reason: 'Failed', message: 'Error: ErrImagePull' }, 'x')!.message).toBe('image "x" could not be pulled: Error: ErrImagePull');
  });
});

describe('plan', () => {
  const spec = parseWorkspaceRequest({ user: 'alice', name: 'nb', image: 'img:1', cpus: 2, memory: '1g', gpus: 2, shm: '256m', env: { A: 'b' }, days: 2, mounts: ['scratch:/scratch:ro'] }, { now: new Date('2030-01-01T00:00:00Z') });
  const root = { name: 'r', uid: 'u-1' };

  it('makes a pod that runs the spec and never restarts by itself', () => {
    const p = planPod(spec, 'hub', root);
    const c = p.spec!.containers[0]!;
    expect(p.spec!.restartPolicy).toBe('Never');
    expect(p.spec!.automountServiceAccountToken).toBe(false);
    expect(c.resources).toEqual({ limits: { cpu: '2000m', memory: String(1024 ** 3), 'nvidia.com/gpu': '2' }, requests: undefined });
    expect(c.env).toContainEqual({ name: 'A', value: 'b' });
    expect(c.env).toContainEqual({ name: 'JUPYTERHUB_SERVICE_PREFIX', value: '/user/alice/nb/' });
    expect(c.env!.filter((e) => e.name === 'JUPYTER_TOKEN')).toEqual([{ name: 'JUPYTER_TOKEN', valueFrom: { secretKeyRef: { name: kubeNames.secret({ origin: 'hub', user: 'alice', name: 'nb' }), key: 'token' } } }]);
    expect(c.volumeMounts).toEqual([
      { name: 'data', mountPath: spec.volumePath },
      { name: 'dshm', mountPath: '/dev/shm' },
      { name: 'vol-0', mountPath: '/scratch', readOnly: true },
    ]);
    expect(p.metadata!.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Service', name: 'r', uid: 'u-1', controller: true, blockOwnerDeletion: true }]);
  });

  it('keeps the spec and expiry on the root and selects the pod by identity', () => {
    const r = planRoot(spec, 'hub');
    expect(JSON.parse(r.metadata!.annotations![LABELS.spec]!)).toEqual(spec);
    expect(r.metadata!.annotations![LABELS.expiresAt]).toBe(spec.expiresAt);
    expect(r.spec!.selector).toEqual({ [LABELS.origin]: 'hub', [LABELS.user]: 'alice', [LABELS.workspace]: 'nb' });
    expect(planNetworkPolicy('hub', 'alice').spec!.podSelector!.matchLabels).toEqual({ [LABELS.origin]: 'hub', [LABELS.user]: 'alice' });
  });

  it('refuses what Kubernetes cannot do: GPU device ids or "all", host paths', () => {
    const s = (r: object) => parseWorkspaceRequest({ user: 'a', name: 'b', ...r }, { now: new Date() });
    expect(() => checkGpus(s({ gpus: 'all' }))).toThrow(/gpus: Kubernetes schedules a number of GPUs/);
    expect(() => checkGpus(s({ gpus: '0,2' }))).toThrow(/ask for a count instead of "0,2"/);
    expect(() => checkGpus(s({ mounts: ['/srv/data:/data'] }))).toThrow(/does not mount host paths/);
  });
});

describe('images', () => {
  const id = `sha256:${'ab'.repeat(32)}`;
  const nodes: V1Node[] = [{ status: { images: [{ names: ['registry.example/ml/torch@sha256:' + 'cd'.repeat(32), 'registry.example/ml/torch:2'] }, { names: ['busybox:1'] }] } }];
  const pods: V1Pod[] = [{ status: { containerStatuses: [{ name: 'workspace', image: 'registry.example/ml/torch:2', imageID: `docker://${id}`, ready: true, restartCount: 0 }] } }];

  it('resolves tags, ids, short ids and digests to one image; unknown ones to null', () => {
    const g = imageGroups(nodes, pods);
    const info = resolveImage(g, 'registry.example/ml/torch:2')!;
    expect(info).toEqual({ id, tags: ['registry.example/ml/torch:2'], digests: ['registry.example/ml/torch@sha256:' + 'cd'.repeat(32)] });
    expect(resolveImage(g, id)).toEqual(info);
    expect(resolveImage(g, 'ab'.repeat(6))).toEqual(info);
    expect(resolveImage(g, info.digests[0]!)).toEqual(info);
    expect(resolveImage(g, 'docker.io/library/busybox:1')!.tags).toEqual(['busybox:1']);
    expect(resolveImage(g, 'busybox:2')).toBeNull();
    expect(resolveImage(g, `sha256:${'0'.repeat(64)}`)).toBeNull();
  });
});

describe('stats and exec helpers', () => {
  it('computes CPU percent over the sampled interval and memory from the cgroup line', () => {
    expect(parseCgroupSample('1000000000 1500000000 100.00 100.50 4096\n')).toEqual({ cpuPercent: 100, memoryUsed: 4096 });
    expect(parseCgroupSample('cat: can\'t open')).toBeNull();
  });

  it('reads exit codes from the API server\'s status', () => {
    expect(exitCodeOf({ status: 'Success' })).toBe(0);
    expect(exitCodeOf({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '7' }] } })).toBe(7);
    expect(exitCodeOf(null)).toBe(-1);
  });

  it('frames stdin so the command sees exactly the bytes and then end of file', () => {
    const chunks = [Buffer.from('hello\n'), Buffer.from([0, 1, 2, 255, 10, 48]), Buffer.alloc(70_000, 'x')];
    const framed = Buffer.concat([...chunks.flatMap((c) => [Buffer.from(`${c.length}\n`), c]), Buffer.from('0\n')]);
    const [cmd, ...args] = framedStdinCommand(['sh', '-c', 'cat; echo "[eof $1]"', 'x', 'arg one']);
    const r = spawnSync(cmd!, args, { input: framed });
    expect(r.status).toBe(0);
    expect(Buffer.compare(r.stdout, Buffer.concat([...chunks, Buffer.from('[eof arg one]\n')]))).toBe(0);
  });

  it('ends with the command even when the input stays open (ssh host cmd), with its exit code', async () => {
    const [cmd, ...args] = framedStdinCommand(['sh', '-c', 'echo done; exit 4']);
    const child = spawn(cmd!, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin.write('5\nhello');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.stdin.destroy();
    expect({ code, out }).toEqual({ code: 4, out: 'done\n' });
  });
});

describe('resources', () => {
  const meta = (name: string, labels: Record<string, string>, extra: object = {}) => ({ metadata: { name, labels: { [LABELS.origin]: 'hub', ...labels }, ...extra } });
  it('lists workspaces, data and named volumes and networks, with use and removal order; leaves out what is being deleted', () => {
    const roots = [meta('r1', { [LABELS.kind]: 'workspace', [LABELS.user]: 'alice', [LABELS.workspace]: 'nb' })];
    const claims = [
      meta('c1', { [LABELS.kind]: 'volume', [LABELS.user]: 'alice', [LABELS.workspace]: 'nb' }),
      meta('c2', { [LABELS.kind]: 'volume', [LABELS.user]: 'alice', [LABELS.workspace]: 'gone' }),
      { ...meta('c3', { [LABELS.kind]: 'user-volume', [LABELS.user]: 'alice' }), metadata: { ...meta('c3', { [LABELS.kind]: 'user-volume', [LABELS.user]: 'alice' }).metadata, annotations: { 'hubdeck.io/volume-source': 'scratch' } } },
      meta('c4', { [LABELS.kind]: 'volume', [LABELS.user]: 'bob', [LABELS.workspace]: 'x' }, { deletionTimestamp: new Date() }),
    ];
    const policies = [meta('n1', { [LABELS.kind]: 'network', [LABELS.user]: 'alice' }), meta('n2', { [LABELS.kind]: 'network', [LABELS.user]: 'bob' })];
    const pods = [{ spec: { containers: [], volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'c3' } }] } }];
    const r = resourcesOf(roots, claims, policies, pods as V1Pod[]);
    expect(r.map((x) => [x.kind, x.id, x.name, x.user, x.workspace, x.inUse, x.order])).toEqual([
      ['workspace', 'r1', 'nb', 'alice', 'nb', true, 0],
      ['volume', 'c1', 'c1', 'alice', 'nb', true, 1],
      ['volume', 'c2', 'c2', 'alice', 'gone', false, 1],
      ['user-volume', 'c3', 'scratch', 'alice', null, true, 1],
      ['network', 'n1', 'n1', 'alice', null, true, 2],
      ['network', 'n2', 'n2', 'bob', null, false, 2],
    ]);
  });
});

describe('a pod waiting on its container', () => {
  const waitingOn = (reason: string, message: string) => ({ status: { containerStatuses: [{ name: 'workspace', state: { waiting: { reason, message } } }] } }) as never;
  it('waits while the kubelet syncs a secret, and fails on a real configuration error', () => {
    expect(fatalState(waitingOn('CreateContainerConfigError', 'failed to sync secret cache: timed out waiting for the condition'), 'img')).toBeNull();
    expect(fatalState(waitingOn('CreateContainerConfigError', 'secret "x" not found'), 'img')?.message).toMatch(/could not be started \(CreateContainerConfigError\): secret "x" not found/);
    expect(fatalState(waitingOn('ErrImagePull', 'no such image'), 'img')?.message).toMatch(/image "img" could not be pulled/);
  });

  it('is still starting, not failed, while the kubelet syncs a secret (waitReady reads this state)', () => {
    expect(podState(waitingOn('CreateContainerConfigError', 'failed to sync secret cache: timed out waiting for the condition')).state).toBe('starting');
    expect(podState(waitingOn('CreateContainerConfigError', 'secret "x" not found')).state).toBe('failed');
  });
});

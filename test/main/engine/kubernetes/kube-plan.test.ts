// main/engine/kubernetes/kube-plan.ts: the objects a workspace spec becomes.
import { describe, expect, it } from 'vitest';
import { LABELS } from '../../../../main/core/labels';
import { parseWorkspaceRequest } from '../../../../main/core/workspace-spec';
import { kubeNames } from '../../../../main/engine/kubernetes/kube-names';
import { checkGpus, planNetworkPolicy, planPod, planRoot } from '../../../../main/engine/kubernetes/kube-plan';

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

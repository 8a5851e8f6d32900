import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { LABELS } from '../../../../main/core/labels';
import { parseWorkspaceRequest } from '../../../../main/core/workspace-spec';
import { parseNodeHosts } from '../../../../main/engine/swarm/swarm-node-clients';
import { serviceName } from '../../../../main/engine/swarm/swarm-names';
import { gpuResources, planService } from '../../../../main/engine/swarm/swarm-plan';
import { describeResources } from '../../../../main/engine/swarm/swarm-resources';
import { limitsOf, toWorkspace } from '../../../../main/engine/swarm/swarm-workspace';
import { nodeView, type SwarmNode } from '../../../../main/engine/swarm/swarm-nodes';

const spec = parseWorkspaceRequest({
  name: 'train', user: 'alice', image: 'ml/torch:2', cpus: 2, memory: '4g', shm: '1g', gpus: '2', env: ['A=1'], days: 1,
  reservations: { cpus: 1, memory: '2g' }, mounts: ['datasets:/data:ro', '/srv/models:/models'],
}, { now: new Date('2030-01-01T00:00:00Z') });
const plan = planService(spec, { origin: 'hub1', webToken: 'tok', rules: { constraints: [{ key: 'node.labels.gpu', op: '==', value: 'yes' }], preferences: ['node.labels.zone'] }, start: true });
const t = plan.spec.TaskTemplate as Docker.ContainerTaskSpec;

describe('swarm service plan', () => {
  it('maps limits, reservations, GPUs, placement, network and restart policy', () => {
    expect(t.Resources).toEqual({
      Limits: { NanoCPUs: 2e9, MemoryBytes: 4 * 1024 ** 3 },
      Reservations: { NanoCPUs: 1e9, MemoryBytes: 2 * 1024 ** 3, GenericResources: [{ DiscreteResourceSpec: { Kind: 'NVIDIA-GPU', Value: 2 } }] },
    });
    expect(t.Placement).toEqual({ Constraints: ['node.labels.gpu==yes'], Preferences: [{ Spread: { SpreadDescriptor: 'node.labels.zone' } }] });
    expect(t.RestartPolicy).toEqual({ Condition: 'none' });
    expect(t.Networks).toEqual([{ Target: 'hubdeck-hub1-alice', Aliases: ['train'] }]);
    expect(plan.spec.Mode).toEqual({ Replicated: { Replicas: 1 } });
    expect(plan.spec.EndpointSpec).toEqual({ Mode: 'dnsrr' });
    expect(t.ContainerSpec!.Env).toEqual(expect.arrayContaining(['A=1', 'JUPYTER_TOKEN=tok', 'JUPYTERHUB_SERVICE_PREFIX=/user/alice/train/']));
  });

  it('labels the service and its tasks alike, and the volumes Swarm makes with theirs; shm is a sized tmpfs', () => {
    expect(t.ContainerSpec!.Labels).toEqual(plan.spec.Labels);
    expect(plan.spec.Labels).toMatchObject({ [LABELS.origin]: 'hub1', [LABELS.user]: 'alice', [LABELS.workspace]: 'train', [LABELS.kind]: 'workspace' });
    const mounts = t.ContainerSpec!.Mounts as (Docker.MountSettings & { VolumeOptions?: { Labels: Record<string, string> }; TmpfsOptions?: { SizeBytes: number } })[];
    expect(mounts.map((m) => [m.Type, m.Source, m.Target, m.ReadOnly ?? false])).toEqual([
      ['volume', plan.volumes[0], '/home/jovyan/work', false], ['volume', 'hubdeck-hub1-alice-vol-datasets', '/data', true], ['bind', '/srv/models', '/models', false], ['tmpfs', undefined, '/dev/shm', false],
    ]);
    expect(mounts[0]!.VolumeOptions!.Labels).toMatchObject({ [LABELS.kind]: 'volume', [LABELS.workspace]: 'train' });
    expect(mounts[1]!.VolumeOptions!.Labels).toMatchObject({ [LABELS.kind]: 'user-volume', [LABELS.user]: 'alice' });
    expect(mounts[3]!.TmpfsOptions).toEqual({ SizeBytes: 1024 ** 3 });
  });

  it('reads a service back: spec from labels, limits from the service, state from its task', () => {
    const service = { ID: 'svc1', CreatedAt: '2030-01-01T00:00:00Z', Spec: plan.spec } as Docker.Service;
    const w = toWorkspace(service, [{ ID: 't1', NodeID: 'n1', DesiredState: 'running', Status: { State: 'running', Timestamp: '2030-01-01T00:00:05Z' } }], () => 'gpu-1')!;
    expect(w).toMatchObject({ id: 'svc1', user: 'alice', name: 'train', state: 'running', spec, node: 'gpu-1', startedAt: '2030-01-01T00:00:05Z', network: 'hubdeck-hub1-alice', volume: plan.volumes[0], expiresAt: spec.expiresAt });
    expect(limitsOf(service)).toEqual({ cpus: 2, memory: 4 * 1024 ** 3, gpus: { kind: 'count', count: 2 } });
  });

  it('says where a workspace kept on a lost node is, instead of "starting" for ever', () => {
    const pinnedSpec = structuredClone(plan.spec);
    (pinnedSpec.TaskTemplate as Docker.ContainerTaskSpec).Placement = { Constraints: ['node.labels.zone==a', 'node.id==n2'] };
    const service = { ID: 'svc1', CreatedAt: '2030-01-01T00:00:00Z', Spec: pinnedSpec } as Docker.Service;
    const nodes = (byId: Record<string, SwarmNode>) => nodeView(Object.entries(byId).map(([ID, n]) => ({ ...n, ID })));
    const ready: SwarmNode = { ID: '', Description: { Hostname: 'gpu-2' }, Status: { State: 'ready' }, Spec: { Availability: 'active' } };
    const pending = { ID: 't2', DesiredState: 'running', Status: { State: 'pending', Err: 'no suitable node (scheduling constraints not satisfied on 3 nodes)' } };
    const down = nodes({ n2: { ...ready, Status: { State: 'down', Message: 'heartbeat failure' } } });
    expect(toWorkspace(service, [pending], down)).toMatchObject({ state: 'unknown', node: 'gpu-2', status: "node gpu-2 is down (heartbeat failure): it holds this workspace's data, so the workspace waits for it" });
    const drained = nodes({ n2: { ...ready, Spec: { Availability: 'drain' } } });
    expect(toWorkspace(service, [pending], drained)?.status).toBe("node gpu-2 is drained (docker node update --availability active gpu-2): it holds this workspace's data, so the workspace waits for it");
    // Still listed as running by Swarm, on a node that stopped answering.
    const running = { ID: 't1', NodeID: 'n2', DesiredState: 'running', Status: { State: 'running' } };
    expect(toWorkspace(service, [running], down)).toMatchObject({ state: 'unknown', status: 'node gpu-2 is down (heartbeat failure): the workspace cannot be reached until it returns' });
    expect(toWorkspace(service, [running], nodes({ n2: ready }))?.state).toBe('running');
    // Stopped by its owner (0 replicas): a lost node is no news.
    const stoppedSpec = { ...pinnedSpec, Mode: { Replicated: { Replicas: 0 } } };
    expect(toWorkspace({ ...service, Spec: stoppedSpec } as Docker.Service, [], down)?.state).toBe('stopped');
  });

  it('names GPUs by id, keeps service names within 63 characters and unique, parses node addresses', () => {
    expect(gpuResources({ kind: 'devices', ids: ['GPU-a', 'GPU-b'] }, 'gpu')).toEqual([{ NamedResourceSpec: { Kind: 'gpu', Value: 'GPU-a' } }, { NamedResourceSpec: { Kind: 'gpu', Value: 'GPU-b' } }]);
    expect(gpuResources({ kind: 'all' })).toBeUndefined();
    const long = { origin: 'o', user: 'u'.repeat(32), name: 'n'.repeat(40) };
    expect(serviceName(long).length).toBeLessThanOrEqual(63);
    expect(serviceName(long)).not.toBe(serviceName({ ...long, name: `${'n'.repeat(39)}m` }));
    expect(serviceName({ origin: 'o', user: 'a', name: 'b' })).toMatch(/^hubdeck-a-b-[0-9a-z]{7}$/);
    expect(parseNodeHosts(['gpu1=ssh://admin@gpu1.lan', 'n2=tcp://10.0.0.2:2376'])).toEqual({ gpu1: 'ssh://admin@gpu1.lan', n2: 'tcp://10.0.0.2:2376' });
    expect(() => parseNodeHosts(['gpu1=gpu1.lan'])).toThrow(/^swarm-node: "gpu1=gpu1.lan" is not NODE=DOCKER_HOST/);
    expect(() => parseNodeHosts(['a=ssh://x', 'a=ssh://y'])).toThrow(/given twice/);
  });

  it('lists resources with node locations; networks are in use when a service attaches them by id or name', () => {
    const service = { ID: 'svc1', Spec: { ...plan.spec, TaskTemplate: { ...t, Networks: [{ Target: 'netid' }] } } } as Docker.Service;
    const vol = (name: string, labels: Record<string, string>) => ({ Name: name, Labels: labels }) as Docker.VolumeInspectInfo;
    const r = describeResources([service], [{ Id: 'netid', Name: 'hubdeck-hub1-alice', Labels: { [LABELS.user]: 'alice' } } as unknown as Docker.NetworkInspectInfo], [
      { location: 'gpu-1', volumes: [vol(plan.volumes[0]!, { [LABELS.user]: 'alice', [LABELS.workspace]: 'train', [LABELS.kind]: 'volume' }), vol('hubdeck-hub1-alice-vol-old', { [LABELS.user]: 'alice', [LABELS.kind]: 'user-volume' })] },
    ]);
    expect(r.map((x) => [x.kind, x.inUse, x.location, x.order])).toEqual([['workspace', true, null, 0], ['volume', true, 'gpu-1', 1], ['user-volume', false, 'gpu-1', 1], ['network', true, null, 2]]);
  });
});

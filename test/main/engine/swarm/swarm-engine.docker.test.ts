/**
 * What only Swarm does, on the real single-node swarm: limits and reservations in the service spec
 * (and enforced on the task's container), our labels on service, task, volumes and the attachable
 * overlay network, stop = 0 replicas keeping the volume, task errors as status and as refusals
 * naming the field, hub / per-image / spec placement, GPUs as generic resources.
 */
import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABELS } from '../../../../main/core/labels';
import { parseWorkspaceRequest, type WorkspaceRequest } from '../../../../main/core/workspace-spec';
import { SwarmEngine } from '../../../../main/engine/swarm/swarm-engine';
import { docker, testOrigin } from '../../../support/docker-fixture';
import { refusal, run } from '../../../support/engine-contract';
import { requireSwarm, sweepSwarm } from '../../../support/swarm-fixture';
import { TEST_IMAGES } from '../../../support/test-images';

const origin = testOrigin('sw');
const engines: SwarmEngine[] = [];
const make = (o: Partial<ConstructorParameters<typeof SwarmEngine>[0]> = {}) => {
  const e = new SwarmEngine({ origin, ...o });
  engines.push(e);
  return e;
};
const engine = make();
const spec = (r: Partial<WorkspaceRequest> & { name: string; user: string }) => parseWorkspaceRequest({ image: TEST_IMAGES.busybox, ...r }, { now: new Date() });
const serviceOf = async (id: string) => (await docker.getService(id).inspect()) as Docker.Service;
const tasksOf = async (id: string) => (await docker.listTasks({ filters: { service: [id] } })) as { ID: string; Status: { State: string; ContainerStatus?: { ContainerID?: string } }; Spec: { ContainerSpec: { Labels?: Record<string, string> } } }[];
const nodeLabel = `hubdeck-test-${randomBytes(3).toString('hex')}`;
let nodeId = '';

async function setNodeLabel(value: string | null): Promise<void> {
  const node = docker.getNode(nodeId);
  const n = (await node.inspect()) as { Version: { Index: number }; Spec: { Labels?: Record<string, string> } };
  const labels = { ...n.Spec.Labels };
  if (value === null) delete labels[nodeLabel];
  else labels[nodeLabel] = value;
  await node.update({ version: n.Version.Index, ...n.Spec, Labels: labels } as never);
}

beforeAll(async () => {
  await requireSwarm();
  nodeId = ((await docker.info()) as { Swarm: { NodeID: string } }).Swarm.NodeID;
});
afterAll(async () => {
  await setNodeLabel(null).catch(() => undefined);
  await sweepSwarm(origin);
  for (const e of engines) await e.close();
});

describe('SwarmEngine', () => {
  it('puts limits and reservations in the service spec, enforced on the task container, with /dev/shm sized', async () => {
    const ref = { user: 'lim', name: 'w1' };
    const w = await engine.create(spec({ ...ref, cpus: 0.5, memory: '96m', shm: '16m', reservations: { cpus: 0.25, memory: '32m' }, volume: false }));
    const s = await serviceOf(w.id);
    const t = s.Spec!.TaskTemplate as Docker.ContainerTaskSpec;
    expect(t.Resources).toEqual({ Limits: { NanoCPUs: 5e8, MemoryBytes: 96 * 1024 ** 2 }, Reservations: { NanoCPUs: 2.5e8, MemoryBytes: 32 * 1024 ** 2 } });
    expect(t.RestartPolicy?.Condition).toBe('none');
    const [task] = await tasksOf(w.id);
    const c = await docker.getContainer(task!.Status.ContainerStatus!.ContainerID!).inspect();
    expect([c.HostConfig.NanoCpus, c.HostConfig.Memory]).toEqual([5e8, 96 * 1024 ** 2]);
    expect((await run(engine, ref, ['sh', '-c', "df -k /dev/shm | tail -1 | awk '{print $2}'"])).out.trim()).toBe('16384');
    expect(w.limits).toEqual({ cpus: 0.5, memory: 96 * 1024 ** 2, gpus: null });
    expect((await engine.stats(ref)).memoryLimit).toBe(96 * 1024 ** 2);
  });

  it('labels the service, its task and container, the volumes Swarm makes, and the attachable overlay network', async () => {
    const ref = { user: 'lab', name: 'w2' };
    const w = await engine.create(spec({ ...ref, mounts: ['scratch:/mnt/scratch'], days: 2 }));
    const s = await serviceOf(w.id);
    for (const labels of [s.Spec!.Labels!, (await tasksOf(w.id))[0]!.Spec.ContainerSpec.Labels!]) {
      expect(labels).toMatchObject({ [LABELS.origin]: origin, [LABELS.user]: 'lab', [LABELS.workspace]: 'w2', [LABELS.kind]: 'workspace' });
      expect(JSON.parse(labels[LABELS.spec]!)).toEqual(w.spec);
    }
    const [task] = await tasksOf(w.id);
    expect((await docker.getContainer(task!.Status.ContainerStatus!.ContainerID!).inspect()).Config.Labels).toMatchObject({ [LABELS.origin]: origin, [LABELS.workspace]: 'w2' });
    const data = await docker.getVolume(w.volume!).inspect();
    expect(data.Labels).toMatchObject({ [LABELS.origin]: origin, [LABELS.user]: 'lab', [LABELS.workspace]: 'w2', [LABELS.kind]: 'volume' });
    const user = ((await docker.listVolumes({ filters: { label: [`${LABELS.origin}=${origin}`, `${LABELS.kind}=user-volume`, `${LABELS.user}=lab`] } })).Volumes ?? []);
    expect(user.map((v) => v.Name)).toEqual([`hubdeck-${origin}-lab-vol-scratch`]);
    const net = await docker.getNetwork(w.network!).inspect();
    expect(net).toMatchObject({ Driver: 'overlay', Attachable: true, Scope: 'swarm', Labels: { [LABELS.origin]: origin, [LABELS.user]: 'lab', [LABELS.kind]: 'network' } });
  });

  it('stops by scaling to 0, keeping the volume and pinning to its node; a new expiry makes no new task', async () => {
    const ref = { user: 'stp', name: 'w3' };
    const w = await engine.create(spec(ref));
    await run(engine, ref, ['sh', '-c', `echo kept > ${w.spec!.volumePath}/f`]);
    const taskIds = (await tasksOf(w.id)).map((t) => t.ID);
    await engine.setExpiry(ref, '2032-01-01T00:00:00.000Z');
    expect((await tasksOf(w.id)).map((t) => t.ID)).toEqual(taskIds);
    const stopped = await engine.stop(ref, { timeoutSeconds: 2 });
    expect(stopped).toMatchObject({ state: 'stopped', volume: w.volume, expiresAt: '2032-01-01T00:00:00.000Z' });
    const s = await serviceOf(w.id);
    expect(s.Spec!.Mode!.Replicated!.Replicas).toBe(0);
    expect((s.Spec!.TaskTemplate as Docker.ContainerTaskSpec).Placement!.Constraints).toContain(`node.id==${nodeId}`);
    expect((await docker.getVolume(w.volume!).inspect()).Name).toBe(w.volume);
    expect(await refusal(engine.exec(ref, { cmd: ['true'] }))).toMatchObject({ code: 'conflict' });
    expect((await engine.start(ref)).state).toBe('running');
    expect((await run(engine, ref, ['cat', `${w.spec!.volumePath}/f`])).out).toBe('kept\n');
  });

  it('turns task errors into status and into refusals naming the field, leaving nothing behind', async () => {
    const crash = { user: 'err', name: 'crash' };
    await engine.create(spec({ ...crash, env: ['FAIL_WITH=boom'], volume: false }));
    await expect.poll(async () => (await engine.get(crash))!.status, { timeout: 30_000 }).toBe('exited with code 3');
    expect((await engine.get(crash))!.state).toBe('failed');
    expect((await engine.list({ user: 'err' }))[0]).toMatchObject({ state: 'failed', status: 'exited with code 3' });

    const count = async () => (await docker.listServices({ filters: { label: [`${LABELS.origin}=${origin}`, `${LABELS.user}=err`] } })).length;
    const before = await count();
    const noImage = await refusal(engine.create(spec({ user: 'err', name: 'noimg', image: 'hubdeck-test/never-built:0', volume: false })));
    // Docker Hub is out of reach here: the manager's registry question turns "No such image" into why
    expect(noImage).toMatchObject({ code: 'unavailable', field: 'image' });
    expect(noImage.message).toMatch(/^image: cannot reach docker\.io from this engine \(Swarm\) to pull "hubdeck-test\/never-built:0"/);
    const noPath = await refusal(engine.create(spec({ user: 'err', name: 'nobind', mounts: ['/no/such/host/dir:/m:ro'], volume: false })));
    expect(noPath).toMatchObject({ code: 'invalid', field: 'mounts' });
    expect(noPath.message).toMatch(/bind source path does not exist/);
    expect(await count()).toBe(before);
  });

  it('places by hub, per-image and spec constraints, refusing what no node satisfies before making anything', async () => {
    const hub = make({ placement: { constraints: [`node.labels.${nodeLabel}==yes`], preferences: ['node.labels.zone'], imageConstraints: [`${TEST_IMAGES.jupyter}=node.role==worker`] } });
    const refused = await refusal(hub.create(spec({ user: 'plc', name: 'p1', volume: false })));
    expect(refused).toMatchObject({ code: 'invalid', field: 'placement' });
    expect(refused.message).toBe(`placement: no node of this swarm satisfies node.labels.${nodeLabel}==yes`);
    expect(await hub.get({ user: 'plc', name: 'p1' })).toBeNull();

    await setNodeLabel('yes');
    const w = await hub.create(spec({ user: 'plc', name: 'p2', volume: false, placement: { [nodeLabel]: 'yes' } }));
    const t = (await serviceOf(w.id)).Spec!.TaskTemplate as Docker.ContainerTaskSpec;
    expect(t.Placement).toEqual({ Constraints: [`node.labels.${nodeLabel}==yes`, `node.labels.${nodeLabel}==yes`], Preferences: [{ Spread: { SpreadDescriptor: 'node.labels.zone' } }] });
    // The per-image rule (workers only) applies to that image alone: the workers are drained here.
    const jup = await refusal(hub.create(spec({ user: 'plc', name: 'p3', image: TEST_IMAGES.jupyter, volume: false })));
    expect(jup.message).toMatch(/satisfies .*node\.role==worker/);

    // A node that changes under a stopped workspace: start says why and leaves it stopped, not pending.
    await hub.stop({ user: 'plc', name: 'p2' }, { timeoutSeconds: 1 });
    await setNodeLabel('no');
    expect(await refusal(hub.start({ user: 'plc', name: 'p2' }))).toMatchObject({ code: 'invalid', field: 'placement', message: expect.stringMatching(/^placement: no suitable node \(.*scheduling constraints not satisfied/) });
    expect((await hub.get({ user: 'plc', name: 'p2' }))!.state).toBe('stopped');
  });

  it('refuses GPUs no node advertises, and reports node capacity from the swarm', async () => {
    const e = await refusal(engine.create(spec({ user: 'gpu', name: 'g', gpus: 1, volume: false })));
    expect(e).toMatchObject({ code: 'invalid', field: 'gpus', message: expect.stringMatching(/NVIDIA-GPU/) });
    const cap = await engine.capacity();
    const info = (await docker.info()) as { Name: string; NCPU: number; MemTotal: number };
    expect(cap.nodes).toEqual([{ name: info.Name, cpus: info.NCPU, memory: info.MemTotal, gpus: 0, labels: expect.any(Object) }]);
    expect(cap.description).toMatch(/^Docker Swarm, 1 of \d+ nodes? ready/);
    expect(engine.capabilities.gpuRequests).toEqual(['count', 'devices']);
  });

  it('names the manager it cannot reach', async () => {
    const outside = make({ host: 'tcp://127.0.0.1:1' });
    expect(await refusal(outside.list())).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/swarm manager tcp:\/\/127\.0\.0\.1:1/) });
  });
});

/**
 * Creating a fake workspace, in Docker's order: refuse what cannot be honoured (nothing made yet),
 * pull the image, then make the user's network, the data volume (reused when an earlier workspace
 * of the same name left it), the user's named volumes and the container, and start it. A failure
 * after that point — injected, aborted, removed meanwhile — rolls back what this create made, so a
 * failed create leaves nothing; `leaveBehind` keeps it all, as a crashed hub process would.
 */
import { randomBytes } from 'node:crypto';
import { HubdeckError } from '../../core/errors';
import { flatLabels, userLabels, workspaceLabels } from '../../core/labels';
import { resourceNames } from '../../core/names';
import type { WorkspaceSpec } from '../../core/workspace-spec';
import type { CreateOptions, EngineCapabilities, WorkspaceRef } from '../engine';
import { workspaceEnv } from '../workspace-env';
import { checkCapabilities, chooseNode } from './fake-admission';
import { FileStore } from './fake-fs';
import type { ContainerMount, FakeContainer } from './fake-objects';
import type { FakeOp, FaultPlan, Injection } from './fake-faults';
import { pullImage } from './fake-pull';
import { behaviourOf, newId, type FakeWorld } from './fake-world';

/**
 * What a create needs of its engine (FakeEngine is one): named here rather than imported, so the
 * engine can import this file without the two importing each other.
 */
export interface CreateHost {
  readonly world: FakeWorld;
  readonly origin: string;
  readonly capabilities: EngineCapabilities;
  readonly faults: FaultPlan;
  find(ref: WorkspaceRef): FakeContainer | undefined;
  take(op: FakeOp): Injection | null;
  delay(op: FakeOp, signal?: AbortSignal): Promise<void>;
  boot(c: FakeContainer): void;
  dropContainer(id: string): void;
}

interface Made {
  container: FakeContainer;
  volumes: string[];
  network: string | null;
}

export async function createWorkspace(e: CreateHost, spec: WorkspaceSpec, opts: CreateOptions): Promise<FakeContainer> {
  const world = e.world;
  const ref = { user: spec.user, name: spec.name };
  const exists = () => new HubdeckError('conflict', `workspace "${spec.name}" of ${spec.user} already exists`, 'name');
  if (e.find(ref)) throw exists();
  checkCapabilities(spec, e.capabilities);
  const busy = (node: string) => [...world.containers.values()].filter((c) => c.node === node && c.state === 'running').length;
  const node = chooseNode(spec, world.nodes, busy);

  const pullFault = e.take('pull');
  if (pullFault) throw pullFault.error;
  await pullImage(world, spec.image, opts, (e.faults.delays.pull ?? 0) + (world.faults.delays.pull ?? 0));
  opts.signal?.throwIfAborted();

  // From here to the container, nothing awaits: two racing creates cannot both pass this check.
  if (e.find(ref)) throw exists();
  const made = makeObjects(world, e.origin, spec, node.name);
  const c = made.container;
  let leave = false;
  try {
    opts.onProgress?.({ phase: 'create', percent: 100, message: `creating ${c.name}` });
    await e.delay('create', opts.signal);
    const fault = e.take('create');
    if (fault) {
      leave = fault.leaveBehind === true;
      if (leave) Object.assign(c, { state: 'stopped', status: 'created' });
      throw fault.error;
    }
    if (opts.start === false) {
      Object.assign(c, { state: 'stopped', status: 'created' });
      return c;
    }
    opts.onProgress?.({ phase: 'start', percent: 100, message: 'starting' });
    Object.assign(c, { state: 'starting', status: 'starting' });
    await e.delay('start', opts.signal);
    const startFault = e.take('start');
    if (startFault) throw startFault.error;
    if (!world.containers.has(c.id)) throw new HubdeckError('not_found', `workspace "${spec.name}" of ${spec.user} was removed while it was being created`);
    e.boot(c);
    return c;
  } catch (err) {
    if (!leave) rollback(e, made);
    throw err;
  }
}

function makeObjects(world: FakeWorld, origin: string, spec: WorkspaceSpec, node: string): Made {
  const key = { origin, user: spec.user, name: spec.name };
  const netName = resourceNames.network(origin, spec.user);
  const existingNet = world.networks.get(netName);
  if (existingNet && existingNet.labels['hubdeck.io/origin'] !== origin) {
    throw new HubdeckError('conflict', `network ${netName} exists but was not created by this hub`);
  }
  const network = existingNet ? null : world.insertRawNetwork({ name: netName, labels: userLabels(origin, spec.user, 'network') }).name;
  const volumes: string[] = [];
  const mounts: ContainerMount[] = [];
  const ensureVolume = (name: string, labels: Record<string, string>) => {
    if (!world.volumes.has(name)) {
      world.insertRawVolume({ name, labels });
      volumes.push(name);
    }
  };
  const dataVolume = spec.volume ? resourceNames.volume(key) : null;
  if (dataVolume) {
    ensureVolume(dataVolume, flatLabels(workspaceLabels(spec, origin, 'volume')));
    mounts.push({ target: spec.volumePath, volume: dataVolume, readOnly: false });
  }
  for (const m of spec.mounts) {
    if (m.type === 'volume') {
      const name = resourceNames.userVolume(origin, spec.user, m.source);
      ensureVolume(name, userLabels(origin, spec.user, 'user-volume'));
      mounts.push({ target: m.target, volume: name, readOnly: m.readOnly });
    } else {
      world.host.mkdirs(m.source);
      mounts.push({ target: m.target, hostPath: m.source, readOnly: m.readOnly });
    }
  }
  const token = randomBytes(24).toString('hex');
  const now = world.now();
  // The image's environment, the user's, then the hub's (which wins, as on the real engines).
  const env = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/root', HOSTNAME: spec.name, ...workspaceEnv(spec, token) };
  const container: FakeContainer = {
    id: newId(), name: resourceNames.container(key), labels: flatLabels(workspaceLabels(spec, origin)), image: spec.image,
    createdAt: now, startedAt: null, lastStartedAt: null, state: 'creating', status: 'creating', node, network: netName, volume: dataVolume,
    limits: { cpus: spec.cpus, memory: spec.memory, gpus: spec.gpus }, env, webPort: spec.webPort, workdir: spec.volumePath, token, mounts,
    // Like the test image, which has its working directory even without a volume over it.
    files: new FileStore(['/tmp', '/root', spec.volumePath]),
    logs: [], behaviour: behaviourOf(spec.env), app: { lastActivity: now, kernels: [] }, load: { cpuPercent: 0.5, memoryUsed: 24 * 1024 ** 2 },
  };
  world.containers.set(container.id, container);
  return { container, volumes, network };
}

function rollback(e: CreateHost, made: Made): void {
  const world = e.world;
  e.dropContainer(made.container.id);
  for (const v of made.volumes) {
    if (![...world.containers.values()].some((c) => c.mounts.some((m) => m.volume === v))) world.volumes.delete(v);
  }
  if (made.network && ![...world.containers.values()].some((c) => c.network === made.network)) world.networks.delete(made.network);
}

/**
 * The Docker Swarm backend of WorkspaceEngine, on dockerode services. A workspace is a replicated
 * service (1 replica running, 0 stopped: stopping keeps its volumes) found by our labels on the
 * service, whose labels — unlike a container's — can change, so expiry is kept there. Tasks give
 * state and status; exec, logs, stats and connect go through the running task's container on its
 * node's engine, reusing the Docker engine's modules (exec, logs, stats, connect, pull progress).
 * Node listing, removal on the nodes and connect routes: swarm-node-list.ts, swarm-removal.ts, swarm-route.ts.
 */
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { HubdeckError } from '../../core/errors';
import { expiryLabels, LABELS, labelSelector, NEVER } from '../../core/labels';
import type { WorkspaceSpec } from '../../core/workspace-spec';
import type {
  ConnectOptions, Capacity, CreateOptions, EngineCapabilities, EngineResource, ExecOptions, ExecSession, ImageAvailability, ImageInfo, LogOptions, RemoveOptions, StopOptions,
  Workspace, WorkspaceEngine, WorkspaceRef, WorkspaceStats,
} from '../engine';
import { ALL_CAPABILITIES } from '../engine';
import { openDockerClient, type DockerClient, type DockerClientOptions } from '../docker/docker-client';
import type { ConnectMode } from '../docker/docker-connect';
import { dockerCalls, type DockerCalls } from '../docker/docker-errors';
import { dockerExec } from '../docker/docker-exec';
import { ensureImage, imageInfo, presentImages } from '../docker/docker-images';
import { dockerImageAvailability } from '../docker/docker-availability';
import { EngineRefusal, explainEngineText } from '../engine-errors';
import { containerLogs } from '../docker/docker-logs';
import { statsFromSample, type DockerStatsSample } from '../docker/docker-stats';
import { byUserAndName } from '../docker/docker-workspace';
import { NodeClients, parseNodeHosts, type NodeClient } from './swarm-node-clients';
import { SwarmNodeList } from './swarm-node-list';
import { describeSwarm, engineNode, nodeFacts, usable } from './swarm-nodes';
import { NO_PLACEMENT, parseSwarmPlacement, placementFor, placementProblem, type PlacementInput, type SwarmPlacement } from './swarm-placement';
import { DEFAULT_GPU_KIND, planService } from './swarm-plan';
import { dataVolumes, removeService, removeSwarmResource, swarmResources, type RemovalContext } from './swarm-removal';
import { whenFreed } from './swarm-resources';
import { routeTo, type Route, type Running } from './swarm-route';
import { overlayRoute } from './swarm-self-route';
import { SelfContainer } from '../docker/self-container';
import { currentTask, LIVE_STATES, type SwarmTask } from './swarm-task';
import { waitAllDown, waitForNewTask, waitRunning, type TaskWatch } from './swarm-wait';
import { pinnedNode, replicasOf, taskTemplateOf, toWorkspace, webTokenOf } from './swarm-workspace';
import { ensureOverlay, checkVolumesOwned, pinToNode, updateService } from './swarm-service';

export interface SwarmEngineOptions extends DockerClientOptions {
  /** Hub id stamped on everything created (label hubdeck.io/origin). */
  origin: string;
  /** The hub's and per-image constraints and spread preferences (validated here). */
  placement?: PlacementInput;
  /** `NODE=DOCKER_HOST` lines (node host name or id), for exec/logs/stats/connect on other nodes. */
  nodeHosts?: string[];
  /** Generic resource kind GPUs are advertised under (default NVIDIA-GPU). */
  gpuKind?: string;
  /** Volume driver; `local` (default) keeps data on the node, so a stopped workspace is pinned there. */
  volumeDriver?: string;
  connectMode?: ConnectMode | 'auto';
  /** How long create, start and restart wait for a task to run, pulls included (default 15 min). */
  startTimeoutMs?: number;
}

// Generic resources are counted or named units: "all" has no Swarm form.
export const SWARM_CAPABILITIES: EngineCapabilities = { ...ALL_CAPABILITIES, gpuRequests: ['count', 'devices'] };

/** How long connect() trusts where it last found a running workspace (as the Docker engine does). */
const LOCATED_TTL_MS = 5_000;

export class SwarmEngine implements WorkspaceEngine {
  readonly kind = 'swarm' as const;
  readonly capabilities = SWARM_CAPABILITIES;
  readonly origin: string;
  readonly client: DockerClient;
  private readonly calls: DockerCalls;
  private readonly placement: SwarmPlacement;
  private readonly gpuKind: string;
  private readonly nodes: NodeClients;
  private readonly nodeList: SwarmNodeList;
  private readonly removal: RemovalContext;
  private readonly located = new Map<string, { connect: Route; until: number }>();
  /** The hub's own container on the manager, if it runs in one (looked up once, on first connect). */
  private self: Promise<SelfContainer | null> | null = null;

  constructor(private readonly opts: SwarmEngineOptions) {
    this.origin = opts.origin;
    this.placement = opts.placement ? parseSwarmPlacement(opts.placement) : NO_PLACEMENT;
    this.gpuKind = opts.gpuKind ?? DEFAULT_GPU_KIND;
    this.client = openDockerClient(opts);
    this.calls = dockerCalls(`swarm manager ${this.client.connection.description}`, () => this.client.sshRefusal());
    const connectMode = opts.connectMode && opts.connectMode !== 'auto' ? opts.connectMode : undefined;
    this.nodeList = new SwarmNodeList(this.client, this.calls);
    this.nodes = new NodeClients({
      manager: this.client, nodeHosts: parseNodeHosts(opts.nodeHosts ?? []), env: opts.env, ssh: opts.ssh, homeDir: opts.homeDir, connectMode,
      localNodeId: () => this.nodeList.localNodeId(),
    });
    this.removal = { client: this.client, calls: this.calls, origin: this.origin, nodes: this.nodes, nodeList: this.nodeList };
  }

  private get docker(): Docker {
    return this.client.docker;
  }

  private get where(): string {
    return this.client.connection.description;
  }

  private label(ref: WorkspaceRef): string {
    return `workspace "${ref.name}" of ${ref.user}`;
  }

  private services(extra: Record<string, string>): Promise<Docker.Service[]> {
    return this.calls.call(() => this.docker.listServices({ filters: { label: labelSelector(this.origin, { [LABELS.kind]: 'workspace', ...extra }) } }));
  }

  private async find(ref: WorkspaceRef): Promise<Docker.Service | null> {
    return (await this.services({ [LABELS.user]: ref.user, [LABELS.workspace]: ref.name }))[0] ?? null;
  }

  private async mustFind(ref: WorkspaceRef): Promise<Docker.Service> {
    const s = await this.find(ref);
    if (!s) throw new HubdeckError('not_found', `${this.label(ref)} does not exist`);
    return s;
  }

  private tasksOf(serviceIds: string[]): Promise<SwarmTask[]> {
    if (serviceIds.length === 0) return Promise.resolve([]);
    return this.calls.call(() => this.docker.listTasks({ filters: { service: serviceIds } }) as Promise<SwarmTask[]>);
  }

  async get(ref: WorkspaceRef): Promise<Workspace | null> {
    const s = await this.find(ref);
    if (!s) return null;
    const [tasks, nodes] = await Promise.all([this.tasksOf([s.ID]), this.nodeList.view()]);
    return toWorkspace(s, tasks.filter((t) => t.ServiceID === s.ID), nodes);
  }

  private async mustGet(ref: WorkspaceRef): Promise<Workspace> {
    const w = await this.get(ref);
    if (!w) throw new HubdeckError('not_found', `${this.label(ref)} does not exist`);
    return w;
  }

  async list(filter: { user?: string } = {}): Promise<Workspace[]> {
    const services = await this.services(filter.user ? { [LABELS.user]: filter.user } : {});
    const [tasks, nodes] = await Promise.all([this.tasksOf(services.map((s) => s.ID)), this.nodeList.view()]);
    return services
      .map((s) => toWorkspace(s, tasks.filter((t) => t.ServiceID === s.ID), nodes))
      .filter((w): w is Workspace => w !== null)
      .sort(byUserAndName);
  }

  private watch(ref: WorkspaceRef, s: { ID: string }, image: string, opts: CreateOptions = {}): TaskWatch {
    let live = true;
    const onProgress = opts.onProgress && ((e: Parameters<NonNullable<CreateOptions['onProgress']>>[0]) => { if (live) opts.onProgress!(e); });
    return {
      tasks: () => this.tasksOf([s.ID]).then((ts) => ts.filter((t) => t.ServiceID === s.ID)),
      label: this.label(ref), image, signal: opts.signal, onProgress,
      timeoutMs: this.opts.startTimeoutMs ?? 15 * 60_000,
      // Swarm pulls without telling anyone how far it is; a pull of the same image on that node
      // joins the one in progress and reports its layers. Its failure is the task's to report.
      onPreparing: onProgress && ((t) => void this.followPull(t, image, onProgress, opts.signal).finally(() => undefined)),
      done: () => { live = false; },
    } as TaskWatch & { done: () => void };
  }

  private async followPull(t: SwarmTask, image: string, onProgress: NonNullable<CreateOptions['onProgress']>, signal?: AbortSignal): Promise<void> {
    try {
      const node = await this.nodeOf(t);
      await ensureImage(node.client.docker, image, { onProgress, signal }, node.name);
    } catch {
      // The task says whether the image could be had.
    }
  }

  /**
   * A task refused with "No such image" says only that its node has none: the node's pull error is
   * not in the task. The manager asks the registry (without pulling) whether it is unreachable,
   * which is the sentence (and exit 5) a person needs.
   */
  private async whyNoImage(e: unknown, image: string): Promise<unknown> {
    if (!(e instanceof EngineRefusal) || e.field !== 'image' || e.code !== 'invalid') return e;
    const a = await this.imageAvailability(image).catch(() => null);
    if (a?.state !== 'unreachable' || !a.detail) return e;
    return explainEngineText(a.detail, { image, engine: 'Swarm', present: await presentImages(this.docker) }) ?? e;
  }

  async create(spec: WorkspaceSpec, opts: CreateOptions = {}): Promise<Workspace> {
    const ref = { user: spec.user, name: spec.name };
    if (await this.find(ref)) throw new HubdeckError('conflict', `${this.label(ref)} already exists`, 'name');
    const rules = placementFor(this.placement, spec.image, spec.placement);
    await this.admit(spec, rules);
    const plan = planService(spec, { origin: this.origin, webToken: randomBytes(24).toString('hex'), rules, gpuKind: this.gpuKind, volumeDriver: this.opts.volumeDriver, start: opts.start !== false });
    // Volumes are made by Swarm on the node; the manager's own node is where we can look first.
    await checkVolumesOwned(this.docker, this.calls, plan.volumes, this.origin, spec.user);
    opts.onProgress?.({ phase: 'create', percent: 0, message: `creating service ${plan.name}` });
    await ensureOverlay(this.docker, this.calls, plan.network, this.origin);
    const created = await this.calls.call(() => this.docker.createService(plan.spec as Docker.CreateServiceOptions));
    const service = { ID: (created as unknown as { id?: string; ID?: string }).id ?? (created as unknown as { ID: string }).ID };
    if (opts.start !== false) {
      const w = this.watch(ref, service, spec.image, opts);
      try {
        const task = await this.waitRunning(w, service.ID, new Set());
        // Kept on the node that made its local volume from now on: were that node lost, Swarm
        // would otherwise start the workspace elsewhere on an empty volume. Swarm does not restart
        // a task for a placement change that it still satisfies.
        await updateService(this.docker, this.calls, service.ID, (_spec, t) => pinToNode(t, [task], this.opts.volumeDriver));
      } catch (e) {
        await removeService(this.removal, service.ID).catch(() => undefined);
        throw await this.whyNoImage(e, spec.image);
      } finally {
        (w as TaskWatch & { done: () => void }).done();
      }
      opts.onProgress?.({ phase: 'start', percent: 100, message: 'running' });
    }
    return this.mustGet(ref);
  }

  /** Refuses, before anything is made, a placement no node satisfies and GPUs no node has. */
  private async admit(spec: WorkspaceSpec, rules: ReturnType<typeof placementFor>): Promise<void> {
    await this.nodeList.localNodeId();
    const nodes = (await this.nodeList.list(true)).filter(usable);
    const problem = placementProblem(nodes.map(nodeFacts), rules);
    if (problem) throw new HubdeckError('invalid', `placement: ${problem}`, 'placement');
    if (spec.gpus && !nodes.some((n) => engineNode(n, this.gpuKind).gpus > 0)) {
      throw new HubdeckError('invalid', `gpus: no node of this swarm advertises ${this.gpuKind} generic resources (dockerd --node-generic-resource)`, 'gpus');
    }
  }

  async start(ref: WorkspaceRef): Promise<Workspace> {
    this.located.delete(`${ref.user}/${ref.name}`);
    const s = await this.mustFind(ref);
    await this.refuseLostNode(ref, s);
    const tasks = await this.tasksOf([s.ID]);
    const cur = currentTask(tasks);
    const alive = replicasOf(s) > 0 && cur?.DesiredState === 'running' && LIVE_STATES.has(cur.Status?.State ?? '');
    const w = this.watch(ref, s, taskTemplateOf(s).ContainerSpec?.Image ?? '');
    if (alive) {
      if (cur!.Status?.State !== 'running') await waitForNewTask(w, new Set(tasks.filter((t) => t.ID !== cur!.ID).map((t) => t.ID)));
      return this.mustGet(ref);
    }
    // Scaled to 0: scale up. Still at 1 but its task ended (crashed, exited): force a new task.
    await updateService(this.docker, this.calls, s.ID, (spec, t) => {
      if (replicasOf({ Spec: spec }) > 0) t.ForceUpdate = (t.ForceUpdate ?? 0) + 1;
      spec.Mode = { Replicated: { Replicas: 1 } };
    });
    try {
      await this.waitRunning(w, s.ID, new Set(tasks.map((t) => t.ID)));
    } catch (e) {
      // Never leave a workspace pending forever for a node that is not there.
      await updateService(this.docker, this.calls, s.ID, (spec) => { spec.Mode = { Replicated: { Replicas: 0 } }; })
        .then(() => waitAllDown({ ...w, timeoutMs: 30_000 }))
        .catch(() => undefined);
      throw e;
    }
    return this.mustGet(ref);
  }

  /** A workspace kept on a node that is down or drained cannot start anywhere else: say so. */
  private async refuseLostNode(ref: WorkspaceRef, s: Docker.Service): Promise<void> {
    const pinned = pinnedNode(s);
    const issue = pinned ? (await this.nodeList.view()).issue(pinned) : null;
    if (issue) throw new HubdeckError('unavailable', `${this.label(ref)} cannot start: ${issue.text}, and its data is there`);
  }

  async stop(ref: WorkspaceRef, opts: StopOptions = {}): Promise<Workspace> {
    const { s } = await this.rescale(ref, 0, opts);
    await waitAllDown({ ...this.watch(ref, s, ''), timeoutMs: ((opts.timeoutSeconds ?? 10) + 60) * 1000 });
    return this.mustGet(ref);
  }

  private waitRunning(w: TaskWatch, id: string, before: Set<string>): Promise<SwarmTask> {
    return waitRunning(w, before, this.nudge(id));
  }

  /** A forced update makes Swarm look at the service again (swarm-wait.ts onNoTask). */
  private nudge(id: string): () => Promise<void> {
    return () => updateService(this.docker, this.calls, id, (_spec, t) => { t.ForceUpdate = (t.ForceUpdate ?? 0) + 1; });
  }

  async restart(ref: WorkspaceRef, opts: StopOptions = {}): Promise<Workspace> {
    const { s, tasks } = await this.rescale(ref, 1, opts);
    await this.waitRunning(this.watch(ref, s, taskTemplateOf(s).ContainerSpec?.Image ?? ''), s.ID, new Set(tasks.map((t) => t.ID)));
    return this.mustGet(ref);
  }

  /**
   * Stop (0 replicas) or restart (1, forced: a new task even when one runs) a workspace's service,
   * with the stop grace period asked for, kept on the node that holds its local volume.
   */
  private async rescale(ref: WorkspaceRef, replicas: 0 | 1, opts: StopOptions): Promise<{ s: Docker.Service; tasks: SwarmTask[] }> {
    this.located.delete(`${ref.user}/${ref.name}`);
    const s = await this.mustFind(ref);
    const tasks = await this.tasksOf([s.ID]);
    await updateService(this.docker, this.calls, s.ID, (spec, t) => {
      spec.Mode = { Replicated: { Replicas: replicas } };
      if (replicas === 1) t.ForceUpdate = (t.ForceUpdate ?? 0) + 1;
      t.ContainerSpec = { ...t.ContainerSpec, StopGracePeriod: (opts.timeoutSeconds ?? 10) * 1e9 };
      pinToNode(t, tasks, this.opts.volumeDriver);
    });
    return { s, tasks };
  }

  /** Service labels can change (no new task is made for it): the expiry lives there. */
  async setExpiry(ref: WorkspaceRef, expiresAt: string | null): Promise<Workspace> {
    const s = await this.mustFind(ref);
    await updateService(this.docker, this.calls, s.ID, (spec) => {
      const labels = { ...spec.Labels };
      delete labels[LABELS.expires];
      delete labels[LABELS.expiresAt];
      const e = expiryLabels(expiresAt);
      spec.Labels = expiresAt === null ? { ...labels, [LABELS.expires]: NEVER, [LABELS.expiresAt]: NEVER } : { ...labels, ...e.labels, ...e.annotations };
    });
    return this.mustGet(ref);
  }

  async remove(ref: WorkspaceRef, opts: RemoveOptions = {}): Promise<void> {
    this.located.delete(`${ref.user}/${ref.name}`);
    const s = await this.find(ref);
    if (s) await removeService(this.removal, s.ID);
    const volumes = opts.deleteData ? await dataVolumes(this.removal, ref) : [];
    if (!s && volumes.length === 0) throw new HubdeckError('not_found', `${this.label(ref)} does not exist`);
    for (const v of volumes) await v.node.calls.call(() => whenFreed(() => v.node.client.docker.getVolume(v.name).remove()));
  }

  /** The engine of the node a task is on (swarm-node-clients.ts). */
  private async nodeOf(t: SwarmTask): Promise<NodeClient> {
    return this.nodes.forNode(t.NodeID ?? '', (await this.nodeList.names())(t.NodeID ?? ''));
  }

  /** The running task of a workspace, without its node's engine. */
  private async runningTask(ref: WorkspaceRef, s?: Docker.Service): Promise<Omit<Running, 'node' | 'container'>> {
    const service = s ?? (await this.mustFind(ref));
    const task = currentTask(await this.tasksOf([service.ID]));
    const containerId = task?.Status?.ContainerStatus?.ContainerID;
    if (!task || task.Status?.State !== 'running' || !containerId || replicasOf(service) === 0) {
      throw new HubdeckError('conflict', `${this.label(ref)} is not running`);
    }
    return { service, task, containerId };
  }

  /** The running task's container on its node's engine. */
  private async running(ref: WorkspaceRef, s?: Docker.Service): Promise<Running> {
    const t = await this.runningTask(ref, s);
    const node = await this.nodeOf(t.task);
    return { ...t, node, container: node.client.docker.getContainer(t.containerId) };
  }

  async stats(ref: WorkspaceRef): Promise<WorkspaceStats> {
    const r = await this.running(ref);
    return statsFromSample((await r.node.calls.call(() => r.container.stats({ stream: false }))) as DockerStatsSample);
  }

  async *logs(ref: WorkspaceRef, opts: LogOptions = {}): AsyncIterable<string> {
    const s = await this.mustFind(ref);
    const task = currentTask(await this.tasksOf([s.ID]));
    const containerId = task?.Status?.ContainerStatus?.ContainerID;
    if (!task || !containerId) return; // never ran: nothing written
    const node = await this.nodeOf(task).catch(() => null);
    if (node) {
      yield* containerLogs(node.client.docker, node.client.docker.getContainer(containerId), opts, node.calls.call);
      return;
    }
    // A node this hub cannot reach: its task's logs still come through the manager.
    const viaManager = { logs: (o: object) => (this.docker.getTask(task.ID) as unknown as { logs(o: object): Promise<unknown> }).logs(o) } as unknown as Docker.Container;
    yield* containerLogs(this.docker, viaManager, opts, this.calls.call);
  }

  async exec(ref: WorkspaceRef, opts: ExecOptions): Promise<ExecSession> {
    const r = await this.running(ref);
    return dockerExec(r.node.client.docker, r.container, opts, r.node.calls.call);
  }

  async capacity(): Promise<Capacity> {
    const nodes = await this.nodeList.list(true);
    return { nodes: nodes.filter(usable).map((n) => engineNode(n, this.gpuKind)), description: describeSwarm(nodes, this.where) };
  }

  resources(): Promise<EngineResource[]> {
    return swarmResources(this.removal);
  }

  removeResource(r: EngineResource): Promise<void> {
    return removeSwarmResource(this.removal, r);
  }

  /** Through the route to the task (swarm-route.ts), kept a few seconds unless it is an exec relay. */
  async connect(ref: WorkspaceRef, port: number, opts: ConnectOptions = {}): Promise<Duplex> {
    const to = opts.to ?? 'address';
    const key = `${ref.user}/${ref.name}`;
    const cached = this.located.get(key);
    if (cached && cached.until > Date.now()) {
      try {
        return await cached.connect(port, to);
      } catch {
        this.located.delete(key);
      }
    }
    this.self ??= this.client.connection.kind === 'unix' ? SelfContainer.detect(this.docker) : Promise.resolve(null);
    const self = await this.self;
    let route: Route;
    let cacheable = true;
    if (self) {
      // Over the overlay from the hub's own container: the node's engine is needed only to relay
      // to the workspace's loopback, so a node this hub has no address for is still reachable.
      const t = await this.runningTask(ref);
      const node = await this.nodeOf(t.task).catch(() => null);
      route = await overlayRoute(self, t.task, node && { ...t, node, container: node.client.docker.getContainer(t.containerId) }, this.docker);
    } else {
      const r = await this.running(ref);
      route = await routeTo(r);
      cacheable = r.node.mode !== 'exec';
    }
    if (cacheable) this.located.set(key, { connect: route, until: Date.now() + LOCATED_TTL_MS });
    return route(port, to);
  }

  async webToken(ref: WorkspaceRef): Promise<string | null> {
    return webTokenOf(await this.mustFind(ref));
  }

  imageInfo(ref: string): Promise<ImageInfo | null> {
    return this.calls.call(() => imageInfo(this.docker, ref));
  }

  /** Asked of the manager: it resolves a service's image against the registry, as a create would. */
  imageAvailability(ref: string): Promise<ImageAvailability> {
    return this.calls.call(() => dockerImageAvailability(this.docker, ref));
  }

  /** The manager's images (other nodes may hold others; a create pulls on the node it lands on). */
  presentImages(): Promise<string[]> {
    return this.calls.call(() => presentImages(this.docker));
  }

  async close(): Promise<void> {
    this.nodes.close();
    this.client.close();
  }
}

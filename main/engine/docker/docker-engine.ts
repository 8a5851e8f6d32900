/**
 * The Docker backend of WorkspaceEngine, on dockerode: a small facade over one-concept modules
 * (create, images, exec, connect, logs, resources, the container → workspace mapping) that a Swarm
 * engine reuses against per-node clients. Workspaces are containers found by labels; each user
 * has a network of their own; data lives in labelled named volumes that survive stop and remove
 * unless deletion is asked for.
 */
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { HubdeckError } from '../../core/errors';
import { envFromList } from '../../core/env-vars';
import { LABELS, labelSelector } from '../../core/labels';
import type { WorkspaceSpec } from '../../core/workspace-spec';
import type {
  Capacity, CreateOptions, EngineCapabilities, EngineNode, EngineResource, ExecOptions, ExecSession, ImageInfo, LogOptions, RemoveOptions, StopOptions,
  Workspace, WorkspaceEngine, WorkspaceRef, WorkspaceStats,
} from '../engine';
import { engineError, statusOf } from './docker-errors';
import { openDockerClient, type DockerClient, type DockerClientOptions } from './docker-client';
import { statsFromSample, type DockerStatsSample } from './docker-stats';
import { byUserAndName, fromInspect, fromSummary } from './docker-workspace';
import { nameWithExpiry } from './docker-expiry';
import { createContainer } from './docker-create';
import { dockerExec } from './docker-exec';
import { connectByExec, connectBySsh, connectDirect, type ConnectMode } from './docker-connect';
import { containerLogs } from './docker-logs';
import { nodeFromInfo } from './docker-node';
import { listResources, removeDockerResource } from './docker-resources';

export interface DockerEngineOptions extends DockerClientOptions {
  /** Hub id stamped on everything created (label hubdeck.io/origin). */
  origin: string;
  /** How connect() reaches a workspace port; auto picks direct for a local Linux engine. */
  connectMode?: ConnectMode | 'auto';
}

type Found = { info: Docker.ContainerInfo; container: Docker.Container };

export const DOCKER_CAPABILITIES: EngineCapabilities = {
  gpuRequests: ['all', 'count', 'devices'],
  execEnv: true,
  execWorkdir: true,
  // One node: placement holds when the daemon's labels match.
  placement: true,
  // MemoryReservation is Docker's soft floor; it has nothing for CPUs.
  reservations: { cpus: false, memory: true },
  mutableExpiry: true,
  bindMounts: true,
};

export class DockerEngine implements WorkspaceEngine {
  readonly kind = 'docker' as const;
  readonly capabilities = DOCKER_CAPABILITIES;
  readonly origin: string;
  readonly client: DockerClient;
  private readonly connectMode: ConnectMode;
  private nodeInfo: Promise<EngineNode> | null = null;

  constructor(opts: DockerEngineOptions) {
    this.origin = opts.origin;
    this.client = openDockerClient(opts);
    this.connectMode = opts.connectMode && opts.connectMode !== 'auto' ? opts.connectMode : this.autoConnectMode();
  }

  private get docker(): Docker {
    return this.client.docker;
  }

  private get where(): string {
    return this.client.connection.description;
  }

  private autoConnectMode(): ConnectMode {
    const kind = this.client.connection.kind;
    if (kind === 'ssh') return 'ssh';
    // Container addresses are routable only from the engine's own Linux host, not from Docker
    // Desktop's VM or across a tcp:// connection.
    return kind === 'unix' && process.platform === 'linux' ? 'direct' : 'exec';
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw engineError(e, this.where, this.client.sshRefusal());
    }
  }

  private async ignoring(status: number, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      if (statusOf(e) !== status) throw engineError(e, this.where);
    }
  }

  /** The engine's one node, asked once (a failed ask is retried next time). */
  private node(): Promise<EngineNode> {
    this.nodeInfo ??= this.call(() => this.docker.info()).then(
      (info) => nodeFromInfo(info, this.client.connection.kind === 'unix'),
      (e: unknown) => { this.nodeInfo = null; throw e; },
    );
    return this.nodeInfo;
  }

  private async nodeName(): Promise<string | null> {
    return (await this.node().catch(() => null))?.name ?? null;
  }

  // ---- lookup: by labels only ----------------------------------------------------------------

  private async find(ref: WorkspaceRef): Promise<Found | null> {
    const filters = { label: labelSelector(this.origin, { [LABELS.user]: ref.user, [LABELS.workspace]: ref.name, [LABELS.kind]: 'workspace' }) };
    const info = (await this.call(() => this.docker.listContainers({ all: true, filters })))[0];
    return info ? { info, container: this.docker.getContainer(info.Id) } : null;
  }

  private async mustFind(ref: WorkspaceRef, running = false): Promise<Found> {
    const f = await this.find(ref);
    if (!f) throw new HubdeckError('not_found', `workspace "${ref.name}" of ${ref.user} does not exist`);
    if (running && f.info.State !== 'running') throw new HubdeckError('conflict', `workspace "${ref.name}" of ${ref.user} is not running`);
    return f;
  }

  async get(ref: WorkspaceRef): Promise<Workspace | null> {
    const f = await this.find(ref);
    if (!f) return null;
    try {
      return fromInspect(await f.container.inspect(), await this.nodeName());
    } catch (e) {
      if (statusOf(e) === 404) return null; // removed between list and inspect
      throw engineError(e, this.where);
    }
  }

  private async mustGet(ref: WorkspaceRef): Promise<Workspace> {
    const w = await this.get(ref);
    if (!w) throw new HubdeckError('not_found', `workspace "${ref.name}" of ${ref.user} does not exist`);
    return w;
  }

  async list(filter: { user?: string } = {}): Promise<Workspace[]> {
    const extra: Record<string, string> = { [LABELS.kind]: 'workspace' };
    if (filter.user) extra[LABELS.user] = filter.user;
    const [infos, node] = await Promise.all([this.call(() => this.docker.listContainers({ all: true, filters: { label: labelSelector(this.origin, extra) } })), this.nodeName()]);
    return infos.map((i) => fromSummary(i, node)).filter((w): w is Workspace => w !== null).sort(byUserAndName);
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  async create(spec: WorkspaceSpec, opts: CreateOptions = {}): Promise<Workspace> {
    const ref = { user: spec.user, name: spec.name };
    if (await this.find(ref)) throw new HubdeckError('conflict', `workspace "${spec.name}" of ${spec.user} already exists`, 'name');
    await createContainer({ docker: this.docker, origin: this.origin, where: this.where, sshRefusal: () => this.client.sshRefusal(), node: () => this.node() }, spec, opts);
    return this.mustGet(ref);
  }

  async start(ref: WorkspaceRef): Promise<Workspace> {
    const f = await this.mustFind(ref);
    await this.ignoring(304, () => f.container.start());
    return this.mustGet(ref);
  }

  async stop(ref: WorkspaceRef, opts: StopOptions = {}): Promise<Workspace> {
    const f = await this.mustFind(ref);
    await this.ignoring(304, () => f.container.stop({ t: opts.timeoutSeconds ?? 10 }));
    return this.mustGet(ref);
  }

  async restart(ref: WorkspaceRef, opts: StopOptions = {}): Promise<Workspace> {
    const f = await this.mustFind(ref);
    await this.call(() => f.container.restart({ t: opts.timeoutSeconds ?? 10 }));
    return this.mustGet(ref);
  }

  async remove(ref: WorkspaceRef, opts: RemoveOptions = {}): Promise<void> {
    const f = await this.find(ref);
    if (f) await this.ignoring(404, () => f.container.remove({ force: true }));
    const volumes = opts.deleteData ? await this.dataVolumes(ref) : [];
    if (!f && volumes.length === 0) throw new HubdeckError('not_found', `workspace "${ref.name}" of ${ref.user} does not exist`);
    for (const v of volumes) await this.ignoring(404, () => this.docker.getVolume(v).remove());
  }

  private async dataVolumes(ref: WorkspaceRef): Promise<string[]> {
    const filters = { label: labelSelector(this.origin, { [LABELS.user]: ref.user, [LABELS.workspace]: ref.name, [LABELS.kind]: 'volume' }) };
    return ((await this.call(() => this.docker.listVolumes({ filters }))).Volumes ?? []).map((v) => v.Name);
  }

  /** Labels are immutable, so the new expiry goes into the container's name (docker-expiry.ts). */
  async setExpiry(ref: WorkspaceRef, expiresAt: string | null): Promise<Workspace> {
    const f = await this.mustFind(ref);
    const name = nameWithExpiry(f.info.Names[0] ?? f.info.Id, expiresAt);
    await this.call(() => f.container.rename({ name }));
    return this.mustGet(ref);
  }

  // ---- observation and access ----------------------------------------------------------------

  async stats(ref: WorkspaceRef): Promise<WorkspaceStats> {
    const f = await this.mustFind(ref, true);
    return statsFromSample((await this.call(() => f.container.stats({ stream: false }))) as DockerStatsSample);
  }

  async *logs(ref: WorkspaceRef, opts: LogOptions = {}): AsyncIterable<string> {
    const f = await this.mustFind(ref);
    yield* containerLogs(this.docker, f.container, opts, (fn) => this.call(fn));
  }

  async exec(ref: WorkspaceRef, opts: ExecOptions): Promise<ExecSession> {
    const f = await this.mustFind(ref, true);
    return dockerExec(this.docker, f.container, opts, (fn) => this.call(fn));
  }

  async capacity(): Promise<Capacity> {
    const [node, version] = await Promise.all([this.node(), this.call(() => this.docker.version())]);
    return { nodes: [node], description: `Docker ${version.Version} on ${node.name} (${this.where})` };
  }

  async resources(): Promise<EngineResource[]> {
    return this.call(() => listResources(this.docker, this.origin));
  }

  async removeResource(r: EngineResource): Promise<void> {
    await removeDockerResource(this.docker, r, (fn) => this.ignoring(404, fn));
  }

  async connect(ref: WorkspaceRef, port: number): Promise<Duplex> {
    const f = await this.mustFind(ref, true);
    if (this.connectMode === 'exec') return connectByExec((cmd) => this.exec(ref, { cmd, stdin: true }), port);
    const ip = Object.values(f.info.NetworkSettings?.Networks ?? {}).map((n) => n.IPAddress).find(Boolean);
    if (!ip) throw new HubdeckError('engine', `workspace "${ref.name}" of ${ref.user} has no network address`);
    return this.connectMode === 'ssh' ? connectBySsh(() => this.client.sshTunnel(), ip, port) : connectDirect(ip, port);
  }

  async webToken(ref: WorkspaceRef): Promise<string | null> {
    const f = await this.mustFind(ref);
    const c = await this.call(() => f.container.inspect());
    return envFromList(c.Config.Env ?? []).JUPYTER_TOKEN ?? null;
  }

  async imageInfo(ref: string): Promise<ImageInfo | null> {
    try {
      const i = await this.docker.getImage(ref).inspect();
      return { id: i.Id, tags: i.RepoTags ?? [], digests: i.RepoDigests ?? [] };
    } catch (e) {
      if (statusOf(e) === 404) return null;
      throw engineError(e, this.where, this.client.sshRefusal());
    }
  }

  async close(): Promise<void> {
    this.client.close();
  }
}

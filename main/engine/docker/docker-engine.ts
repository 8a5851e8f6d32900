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
import type { WorkspaceSpec } from '../../core/workspace-spec';
import type {
  ConnectOptions, Capacity, CreateOptions, EngineCapabilities, EngineResource, ExecOptions, ExecSession, ImageAvailability, ImageInfo, LogOptions, RemoveOptions, StopOptions,
  Workspace, WorkspaceEngine, WorkspaceRef, WorkspaceStats,
} from '../engine';
import { ALL_CAPABILITIES } from '../engine';
import { dockerCalls, type DockerCalls } from './docker-errors';
import { openDockerClient, type DockerClient, type DockerClientOptions } from './docker-client';
import { statsFromSample, type DockerStatsSample } from './docker-stats';
import { byUserAndName, fromInspect, fromSummary, webTokenOf } from './docker-workspace';
import { nameWithExpiry } from './docker-expiry';
import { createContainer } from './docker-create';
import { dataVolumeNames, workspaceContainer, workspaceContainers } from './docker-lookup';
import { dockerExec } from './docker-exec';
import { connectToContainer, defaultConnectMode, type ConnectMode } from './docker-connect';
import { imageInfo, presentImages } from './docker-images';
import { dockerImageAvailability } from './docker-availability';
import { containerLogs } from './docker-logs';
import { cachedNode, nodeFromInfo } from './docker-node';
import { listResources, removeDockerResource } from './docker-resources';
import { SelfContainer } from './self-container';

export interface DockerEngineOptions extends DockerClientOptions {
  /** Hub id stamped on everything created (label hubdeck.io/origin). */
  origin: string;
  /** How connect() reaches a workspace port; auto picks direct for a local Linux engine. */
  connectMode?: ConnectMode | 'auto';
}

type Found = { info: Docker.ContainerInfo; container: Docker.Container };

// One node, so placement holds when the daemon's labels match; MemoryReservation is Docker's soft
// floor, and it has nothing of the kind for CPUs.
export const DOCKER_CAPABILITIES: EngineCapabilities = { ...ALL_CAPABILITIES, reservations: { cpus: false, memory: true } };

/** How long connect() trusts where it last found a running workspace. */
const LOCATED_TTL_MS = 5_000;

export class DockerEngine implements WorkspaceEngine {
  readonly kind = 'docker' as const;
  readonly capabilities = DOCKER_CAPABILITIES;
  readonly origin: string;
  readonly client: DockerClient;
  private readonly calls: DockerCalls;
  private readonly connectMode: ConnectMode;
  private readonly located = new Map<string, { info: Docker.ContainerInfo; until: number }>();
  /**
   * The daemon's /info: fresh where it decides something (placement at create, capacity), cached to
   * name a node — so the workspace read right after a create's capacity check asks nothing more.
   */
  private readonly info = cachedNode(() => this.calls.call(() => this.docker.info()));
  private readonly toNode = (i: Parameters<typeof nodeFromInfo>[0]) => nodeFromInfo(i, this.client.connection.kind === 'unix');
  private readonly askNode = () => this.info.fresh().then(this.toNode);
  private readonly knownNode = () => this.info().then(this.toNode);
  /** The hub's own container on this engine, if it runs in one (looked up once, on first connect). */
  private self: Promise<SelfContainer | null> | null = null;

  constructor(opts: DockerEngineOptions) {
    this.origin = opts.origin;
    this.client = openDockerClient(opts);
    this.calls = dockerCalls(this.client.connection.description, () => this.client.sshRefusal());
    this.connectMode = opts.connectMode && opts.connectMode !== 'auto' ? opts.connectMode : defaultConnectMode(this.client.connection.kind);
  }

  private get docker(): Docker {
    return this.client.docker;
  }

  private get where(): string {
    return this.client.connection.description;
  }

  private async nodeName(): Promise<string | null> {
    return (await this.knownNode().catch(() => null))?.name ?? null;
  }

  private async find(ref: WorkspaceRef): Promise<Found | null> {
    const info = await this.calls.call(() => workspaceContainer(this.docker, this.origin, ref));
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
    const c = f && (await this.inspect(f));
    return c ? fromInspect(c, await this.nodeName()) : null;
  }

  /** null when the container went between list and inspect: gone, not an error. */
  private inspect(f: Found): Promise<Docker.ContainerInspectInfo | null> {
    return this.calls.call(() => f.container.inspect()).catch((e: unknown) => {
      if (e instanceof HubdeckError && e.code === 'not_found') return null;
      throw e;
    });
  }

  private async mustGet(ref: WorkspaceRef): Promise<Workspace> {
    const w = await this.get(ref);
    if (!w) throw new HubdeckError('not_found', `workspace "${ref.name}" of ${ref.user} does not exist`);
    return w;
  }

  async list(filter: { user?: string } = {}): Promise<Workspace[]> {
    const infos = await this.calls.call(() => workspaceContainers(this.docker, this.origin, filter.user));
    // The node only names listed workspaces: with none, no /info. Asked after the list, not with
    // it: dockerd answers a list slowly while an /info is running, so together is not faster.
    const node = infos.length ? await this.nodeName() : null;
    return infos.map((i) => fromSummary(i, node)).filter((w): w is Workspace => w !== null).sort(byUserAndName);
  }

  async create(spec: WorkspaceSpec, opts: CreateOptions = {}): Promise<Workspace> {
    const ref = { user: spec.user, name: spec.name };
    if (await this.find(ref)) throw new HubdeckError('conflict', `workspace "${spec.name}" of ${spec.user} already exists`, 'name');
    await createContainer({ docker: this.docker, origin: this.origin, where: this.where, calls: this.calls, sshRefusal: () => this.client.sshRefusal(), node: this.askNode }, spec, opts);
    return this.mustGet(ref);
  }

  start(ref: WorkspaceRef): Promise<Workspace> {
    return this.act(ref, (f) => this.calls.ignoring(304, () => f.container.start()));
  }

  stop(ref: WorkspaceRef, opts: StopOptions = {}): Promise<Workspace> {
    return this.act(ref, (f) => this.calls.ignoring(304, () => f.container.stop({ t: opts.timeoutSeconds ?? 10 })));
  }

  restart(ref: WorkspaceRef, opts: StopOptions = {}): Promise<Workspace> {
    return this.act(ref, (f) => this.calls.call(() => f.container.restart({ t: opts.timeoutSeconds ?? 10 })));
  }

  /** Labels are immutable, so the new expiry goes into the container's name (docker-expiry.ts). */
  setExpiry(ref: WorkspaceRef, expiresAt: string | null): Promise<Workspace> {
    return this.act(ref, (f) => this.calls.call(() => f.container.rename({ name: nameWithExpiry(f.info.Names[0] ?? f.info.Id, expiresAt) })));
  }

  /** Does one thing to a workspace's container, then reads the workspace back. */
  private async act(ref: WorkspaceRef, fn: (f: Found) => Promise<unknown>): Promise<Workspace> {
    this.located.delete(`${ref.user}/${ref.name}`);
    await fn(await this.mustFind(ref));
    return this.mustGet(ref);
  }

  async remove(ref: WorkspaceRef, opts: RemoveOptions = {}): Promise<void> {
    this.located.delete(`${ref.user}/${ref.name}`);
    const f = await this.find(ref);
    if (f) await this.calls.ignoring(404, () => f.container.remove({ force: true }));
    const volumes = opts.deleteData ? await this.calls.call(() => dataVolumeNames(this.docker, this.origin, ref)) : [];
    if (!f && volumes.length === 0) throw new HubdeckError('not_found', `workspace "${ref.name}" of ${ref.user} does not exist`);
    for (const v of volumes) await this.calls.ignoring(404, () => this.docker.getVolume(v).remove());
  }

  async stats(ref: WorkspaceRef): Promise<WorkspaceStats> {
    const f = await this.mustFind(ref, true);
    return statsFromSample((await this.calls.call(() => f.container.stats({ stream: false }))) as DockerStatsSample);
  }

  async *logs(ref: WorkspaceRef, opts: LogOptions = {}): AsyncIterable<string> {
    const f = await this.mustFind(ref);
    yield* containerLogs(this.docker, f.container, opts, this.calls.call);
  }

  async exec(ref: WorkspaceRef, opts: ExecOptions): Promise<ExecSession> {
    const f = await this.mustFind(ref, true);
    return dockerExec(this.docker, f.container, opts, this.calls.call);
  }

  async capacity(): Promise<Capacity> {
    // /info carries the daemon's version (ServerVersion): one call, not /info and /version.
    const info = await this.info.fresh();
    const node = this.toNode(info);
    const version = typeof info.ServerVersion === 'string' ? info.ServerVersion : (await this.calls.call(() => this.docker.version())).Version;
    return { nodes: [node], description: `Docker ${version} on ${node.name} (${this.where})` };
  }

  async resources(): Promise<EngineResource[]> {
    return this.calls.call(() => listResources(this.docker, this.origin));
  }

  async removeResource(r: EngineResource): Promise<void> {
    await removeDockerResource(this.docker, r, (fn) => this.calls.ignoring(404, fn));
  }

  /**
   * A proxy opens a connection per request when the web app closes them (busybox httpd does), and a
   * label lookup each time would cost more than the request: where a running workspace was found
   * is kept for a few seconds, and forgotten when this engine changes it or a connection fails.
   */
  async connect(ref: WorkspaceRef, port: number, opts: ConnectOptions = {}): Promise<Duplex> {
    const to = opts.to ?? 'address';
    const key = `${ref.user}/${ref.name}`;
    const label = `workspace "${ref.name}" of ${ref.user}`;
    const route = { mode: this.connectMode, exec: (cmd: string[]) => this.exec(ref, { cmd, stdin: true }), sshTunnel: () => this.client.sshTunnel() };
    const cached = this.located.get(key);
    if (cached && cached.until > Date.now()) {
      try {
        return await connectToContainer(cached.info, port, route, label, to);
      } catch {
        this.located.delete(key); // moved, stopped or gone: look again
      }
    }
    const f = await this.mustFind(ref, true);
    if (this.connectMode === 'direct') await this.reachFromSelf(f.info);
    if (this.connectMode !== 'exec') this.located.set(key, { info: f.info, until: Date.now() + LOCATED_TTL_MS });
    return connectToContainer(f.info, port, route, label, to);
  }

  /** A hub in a container on this engine joins the workspace's network before dialling it. */
  private async reachFromSelf(info: Docker.ContainerInfo): Promise<void> {
    this.self ??= this.client.connection.kind === 'unix' ? SelfContainer.detect(this.docker) : Promise.resolve(null);
    const self = await this.self;
    if (self) await this.calls.call(() => self.addressOf(info));
  }

  async webToken(ref: WorkspaceRef): Promise<string | null> {
    const f = await this.mustFind(ref);
    return webTokenOf(await this.calls.call(() => f.container.inspect()));
  }

  imageInfo(ref: string): Promise<ImageInfo | null> {
    return this.calls.call(() => imageInfo(this.docker, ref));
  }

  imageAvailability(ref: string): Promise<ImageAvailability> {
    return this.calls.call(() => dockerImageAvailability(this.docker, ref));
  }

  presentImages(): Promise<string[]> {
    return this.calls.call(() => presentImages(this.docker));
  }

  async close(): Promise<void> {
    this.client.close();
  }
}

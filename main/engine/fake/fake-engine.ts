/**
 * The in-memory WorkspaceEngine: hub, server and client tests run on it in milliseconds, and it
 * passes the same contract suite (test/support/engine-contract.ts) as Docker. Its objects live in a
 * FakeWorld and are read back through their labels, so a fresh engine over the same world sees
 * what another made; workspaces answer HTTP on real sockets, run exec in a small shell, keep files
 * in volumes, and can be made slow or broken on demand (inject, delays, world.setUnreachable).
 */
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { HubdeckError } from '../../core/errors';
import { LABELS, decodeWorkspaceLabels, expiryLabels, flatLabels, labelledFields } from '../../core/labels';
import { workspaceBaseUrl } from '../../core/names';
import { withDefaultTag } from '../../core/image-ref';
import type { WorkspaceSpec } from '../../core/workspace-spec';
import type {
  ConnectOptions, Capacity, CreateOptions, EngineCapabilities, EngineConfig, EngineResource, ExecOptions, ExecSession, LogOptions,
  ImageAvailability, ImageInfo, RemoveOptions, StopOptions, Workspace, WorkspaceEngine, WorkspaceRef, WorkspaceStats,
} from '../engine';
import { ALL_CAPABILITIES } from '../engine';
import { unfatal } from '../connect-stream';
import { findImage } from './fake-images';
import { FakeExecSession, SIGKILL_EXIT } from './fake-exec';
import { FaultPlan, pause, type Delays, type FakeOp, type Injection } from './fake-faults';
import { FsView, type MountPoint } from './fake-fs';
import type { FakeContainer } from './fake-objects';
import { readLogs } from './fake-logs';
import { listResources, removeResource } from './fake-resources';
import { FakeWorld, type FakeWorldOptions } from './fake-world';
import { createWorkspace } from './fake-create';


/** Capabilities to claim; reservations may be given one resource at a time. */
export type FakeCapabilities = Partial<Omit<EngineCapabilities, 'reservations'>> & { reservations?: Partial<EngineCapabilities['reservations']> };

export type FakeEngineOptions = Omit<Extract<EngineConfig, { kind: 'fake' }>, 'capabilities'> & Omit<FakeWorldOptions, 'nodes' | 'delays'> & {
  /** Share a world with other engines (as processes share a daemon); default: a world of its own. */
  world?: FakeWorld;
  /** What the engine claims to honour (default: everything). */
  capabilities?: FakeCapabilities;
  /** Slowness of this engine only, per operation, in ms. */
  delays?: Delays;
};

export class FakeEngine implements WorkspaceEngine {
  readonly kind = 'fake' as const;
  readonly origin: string;
  readonly capabilities: EngineCapabilities;
  readonly world: FakeWorld;
  /** Failures and delays of this engine instance only (the world has its own plan). */
  readonly faults: FaultPlan;
  private readonly sessions = new Set<FakeExecSession>();
  private readonly closing = new AbortController();
  private closed = false;

  constructor(opts: FakeEngineOptions) {
    const worldOnly = (['nodes', 'images', 'missingImages', 'clock'] as const).filter((k) => opts[k] !== undefined);
    if (opts.world && worldOnly.length) throw new Error(`give ${worldOnly.join(', ')} to the shared FakeWorld, not to the engine`);
    this.origin = opts.origin;
    this.world = opts.world ?? new FakeWorld({ nodes: opts.nodes, images: opts.images, missingImages: opts.missingImages, clock: opts.clock });
    this.capabilities = { ...ALL_CAPABILITIES, ...opts.capabilities, reservations: { ...ALL_CAPABILITIES.reservations, ...opts.capabilities?.reservations } };
    this.faults = new FaultPlan(opts.delays);
    this.world.attach();
  }

  // ---- fault injection ----------------------------------------------------------------------

  /** Makes the next `times` calls of `op` on this engine fail (see Injection for create's `leaveBehind`). */
  inject(i: Injection): void {
    this.faults.inject(i);
  }

  failNext(op: FakeOp | '*', error: Error, times = 1): void {
    this.faults.inject({ op, error, times });
  }

  /** Throws when the engine is closed or the world unreachable. */
  private reachable(): void {
    if (this.closed) throw new HubdeckError('unavailable', 'this fake engine was closed');
    if (this.world.faults.down) throw this.world.faults.down;
    if (this.faults.down) throw this.faults.down;
  }

  /** The injection due for `op` (engine's first, then the world's), consumed. */
  take(op: FakeOp): Injection | null {
    return this.faults.take(op) ?? this.world.faults.take(op);
  }

  delay(op: FakeOp, signal?: AbortSignal): Promise<void> {
    return pause((this.faults.delays[op] ?? 0) + (this.world.faults.delays[op] ?? 0), signal);
  }

  /** The usual start of an operation: reachable, then its delay, then any injected failure. */
  private async enter(op: FakeOp): Promise<void> {
    this.reachable();
    await this.delay(op);
    const i = this.take(op);
    if (i) throw i.error;
  }

  // ---- lookup -------------------------------------------------------------------------------

  find(ref: WorkspaceRef): FakeContainer | undefined {
    return this.world.find({ origin: this.origin, ...ref });
  }

  private mustFind(ref: WorkspaceRef): FakeContainer {
    return this.world.mustFind({ origin: this.origin, ...ref });
  }

  private mustRun(ref: WorkspaceRef): FakeContainer {
    const c = this.mustFind(ref);
    if (c.state !== 'running') throw new HubdeckError('conflict', `workspace "${ref.name}" of ${ref.user} is not running`);
    return c;
  }

  /** The container as it is after an await: removed meanwhile means not found. */
  private still(c: FakeContainer, ref: WorkspaceRef): FakeContainer {
    if (!this.world.containers.has(c.id)) throw new HubdeckError('not_found', `workspace "${ref.name}" of ${ref.user} does not exist`);
    return c;
  }

  toWorkspace(c: FakeContainer, withLimits: boolean): Workspace | null {
    const d = decodeWorkspaceLabels(c.labels);
    if (!d) return null;
    return {
      ...labelledFields(d), id: c.id, state: c.state, status: c.status,
      // Like `docker ps`, a listing does not say what the daemon enforces; an inspect (get) does.
      limits: withLimits && c.limits ? { ...c.limits } : null,
      image: d.spec?.image ?? c.image, createdAt: c.createdAt, startedAt: c.startedAt,
      expiresAt: c.expiryOverride !== undefined ? c.expiryOverride : d.expiresAt,
      network: c.network, volume: c.volume, node: c.node,
    };
  }

  view(c: FakeContainer): Workspace {
    const w = this.toWorkspace(c, true);
    if (!w) throw new HubdeckError('engine', `container ${c.name} lost its workspace labels`);
    return w;
  }

  async get(ref: WorkspaceRef): Promise<Workspace | null> {
    await this.enter('get');
    const c = this.find(ref);
    return c ? this.toWorkspace(c, true) : null;
  }

  async list(filter: { user?: string } = {}): Promise<Workspace[]> {
    await this.enter('list');
    return [...this.world.containers.values()]
      .filter((c) => c.labels[LABELS.origin] === this.origin && c.labels[LABELS.kind] === 'workspace')
      .filter((c) => !filter.user || c.labels[LABELS.user] === filter.user)
      .map((c) => this.toWorkspace(c, false))
      .filter((w): w is Workspace => w !== null)
      .sort((a, b) => a.user.localeCompare(b.user) || a.name.localeCompare(b.name));
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  async create(spec: WorkspaceSpec, opts: CreateOptions = {}): Promise<Workspace> {
    this.reachable();
    return this.view(await createWorkspace(this, spec, opts));
  }

  /** Runs the container's "image": the web app starts, or it hangs, or it crashes at once. */
  boot(c: FakeContainer): void {
    const now = this.world.clock().getTime();
    const last = c.lastStartedAt ? Date.parse(c.lastStartedAt) : 0;
    c.startedAt = c.lastStartedAt = new Date(Math.max(now, last + 1)).toISOString();
    c.state = 'running';
    c.status = 'running';
    const b = c.behaviour;
    if (b.kind === 'web') this.world.log(c, `[fake] serving ${workspaceBaseUrl(c.labels[LABELS.user] ?? '', c.labels[LABELS.workspace] ?? '')} on port ${c.webPort}`);
    else if (b.kind === 'hang') this.world.log(c, 'hanging without listening');
    else {
      this.world.log(c, b.message, 'stderr');
      const started = c.startedAt;
      // It exits right after starting: the caller sees it running, the next look sees it failed.
      setImmediate(() => {
        if (c.startedAt === started && c.state === 'running') this.world.halt(c, `exited with code ${b.exitCode}`, 'failed');
      });
    }
  }

  async start(ref: WorkspaceRef): Promise<Workspace> {
    this.reachable();
    const c = this.mustFind(ref);
    if (c.state === 'running') return this.view(c);
    await this.startContainer(c, ref);
    return this.view(c);
  }

  private async startContainer(c: FakeContainer, ref: WorkspaceRef): Promise<void> {
    c.state = 'starting';
    c.status = 'starting';
    try {
      await this.delay('start');
    } finally {
      this.still(c, ref);
    }
    const i = this.take('start');
    if (i) {
      // As with Docker, a start that fails leaves the workspace failed with the reason.
      c.state = 'failed';
      c.status = i.error.message;
      throw i.error;
    }
    this.boot(c);
  }

  async stop(ref: WorkspaceRef, _opts: StopOptions = {}): Promise<Workspace> {
    await this.enter('stop');
    const c = this.mustFind(ref);
    if (c.state === 'running') await this.stopContainer(c, ref);
    return this.view(c);
  }

  private async stopContainer(c: FakeContainer, ref: WorkspaceRef): Promise<void> {
    c.state = 'stopping';
    c.status = 'stopping';
    this.world.log(c, '[fake] received SIGTERM, shutting down');
    this.world.halt(c, 'exited (0)', 'stopping');
    await this.delay('stop').finally(() => this.still(c, ref));
    c.state = 'stopped';
  }

  async restart(ref: WorkspaceRef, _opts: StopOptions = {}): Promise<Workspace> {
    await this.enter('restart');
    const c = this.mustFind(ref);
    if (c.state === 'running') await this.stopContainer(c, ref);
    await this.startContainer(c, ref);
    return this.view(c);
  }

  async remove(ref: WorkspaceRef, opts: RemoveOptions = {}): Promise<void> {
    await this.enter('remove');
    const c = this.find(ref);
    const volumes = opts.deleteData ? this.dataVolumes(ref) : [];
    if (!c && volumes.length === 0) throw new HubdeckError('not_found', `workspace "${ref.name}" of ${ref.user} does not exist`);
    if (c) {
      c.state = 'removing';
      c.status = 'removing';
      this.world.halt(c, 'removing', 'removing');
      await this.delay('remove');
      this.world.containers.delete(c.id);
    }
    for (const v of volumes) this.world.volumes.delete(v);
  }

  /** Force-removes a container (cleanup's path), whatever its state. */
  dropContainer(id: string): void {
    const c = this.world.containers.get(id);
    if (!c) return;
    this.world.halt(c, 'removing', 'removing');
    this.world.containers.delete(id);
  }

  private dataVolumes(ref: WorkspaceRef): string[] {
    return [...this.world.volumes.values()]
      .filter((v) => v.labels[LABELS.origin] === this.origin && v.labels[LABELS.kind] === 'volume' && v.labels[LABELS.user] === ref.user && v.labels[LABELS.workspace] === ref.name)
      .map((v) => v.name);
  }

  async setExpiry(ref: WorkspaceRef, expiresAt: string | null): Promise<Workspace> {
    await this.enter('setExpiry');
    if (!this.capabilities.mutableExpiry) throw new HubdeckError('invalid', 'expiresAt: this engine cannot change a workspace\'s expiry', 'expiresAt');
    const c = this.mustFind(ref);
    if (expiresAt !== null && !Number.isFinite(Date.parse(expiresAt))) throw new HubdeckError('invalid', `expiresAt: "${expiresAt}" is not a date`, 'expiresAt');
    const at = expiresAt === null ? null : new Date(Date.parse(expiresAt)).toISOString();
    // The labels follow (for selectors); the override also says "never", which labels cannot.
    delete c.labels[LABELS.expires];
    delete c.labels[LABELS.expiresAt];
    Object.assign(c.labels, flatLabels(expiryLabels(at)));
    c.expiryOverride = at;
    return this.view(c);
  }

  // ---- observation --------------------------------------------------------------------------

  async stats(ref: WorkspaceRef): Promise<WorkspaceStats> {
    await this.enter('stats');
    const c = this.mustRun(ref);
    const node = this.world.nodes.find((n) => n.name === c.node) ?? this.world.nodes[0]!;
    // A little jitter, so a live view visibly updates.
    const jitter = (Math.random() - 0.5) * 0.2;
    return {
      cpuPercent: Math.max(0, Math.round((c.load.cpuPercent + jitter) * 100) / 100),
      onlineCpus: node.cpus,
      memoryUsed: c.load.memoryUsed,
      memoryLimit: c.limits?.memory ?? node.memory,
      at: this.world.now(),
    };
  }

  async *logs(ref: WorkspaceRef, opts: LogOptions = {}): AsyncIterable<string> {
    await this.enter('logs');
    yield* readLogs(this.world, this.mustFind(ref), opts, this.closing.signal);
  }

  async exec(ref: WorkspaceRef, opts: ExecOptions): Promise<ExecSession> {
    await this.enter('exec');
    const c = this.mustRun(ref);
    const s = new FakeExecSession({ fs: this.fsOf(c), env: c.env, cwd: c.workdir, hostname: c.labels[LABELS.workspace] ?? 'workspace', ports: this.world.portsOf(c.id) }, opts);
    const onHalt = () => s.kill(SIGKILL_EXIT);
    this.world.events.once(`halt:${c.id}`, onHalt);
    this.sessions.add(s);
    s.onEnd = () => {
      this.sessions.delete(s);
      this.world.events.off(`halt:${c.id}`, onHalt);
    };
    return s;
  }

  /** The files a workspace sees: its layer with its volumes and bind mounts over it. */
  fsOf(c: FakeContainer): FsView {
    const mounts: MountPoint[] = [];
    for (const m of c.mounts) {
      const vol = m.volume ? this.world.volumes.get(m.volume) : undefined;
      if (vol) mounts.push({ target: m.target, store: vol.files, root: '/', readOnly: m.readOnly });
      else if (m.hostPath) mounts.push({ target: m.target, store: this.world.host, root: m.hostPath, readOnly: m.readOnly });
    }
    return new FsView(c.files, mounts);
  }

  async capacity(): Promise<Capacity> {
    await this.enter('capacity');
    const n = this.world.nodes.length;
    return {
      nodes: this.world.nodes.map((x) => ({ ...x, labels: { ...x.labels } })),
      description: `Hubdeck fake engine (in memory), ${n} node${n === 1 ? '' : 's'}`,
    };
  }

  // ---- resources (cleanup) ------------------------------------------------------------------

  async resources(): Promise<EngineResource[]> {
    await this.enter('resources');
    return listResources(this.world, this.origin);
  }

  async removeResource(r: EngineResource): Promise<void> {
    await this.enter('removeResource');
    removeResource(this.world, r, (id) => this.dropContainer(id));
  }

  // ---- access -------------------------------------------------------------------------------

  async connect(ref: WorkspaceRef, port: number, opts: ConnectOptions = {}): Promise<Duplex> {
    await this.enter('connect');
    const c = this.mustRun(ref);
    const app = port === c.webPort ? await this.world.webApp(c) : this.world.portsOf(c.id).get(port);
    // A server bound to the workspace's 127.0.0.1 is not on its address, as in a real container.
    if (!app || ('loopbackOnly' in app && app.loopbackOnly && opts.to !== 'loopback')) {
      // Nothing listens on that port inside the workspace: what a TCP connect there would say.
      throw Object.assign(new Error(`connect ECONNREFUSED ${c.labels[LABELS.workspace]}:${port}`), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect', port });
    }
    return new Promise((resolve, reject) => {
      const sock = net.connect({ host: '127.0.0.1', port: app.port });
      sock.once('connect', () => { sock.off('error', reject); resolve(unfatal(sock)); });
      sock.once('error', reject);
    });
  }

  async webToken(ref: WorkspaceRef): Promise<string | null> {
    await this.enter('webToken');
    return this.mustFind(ref).token;
  }

  /** Ids and digests are derived from the reference, as stable as a registry's would be. */
  async imageInfo(ref: string): Promise<ImageInfo | null> {
    await this.enter('imageInfo');
    return findImage(this.world.images, ref);
  }

  /** Present, missing (a typo the fake's registry refuses) or pullable: the fake's registry is always up. */
  async imageAvailability(ref: string): Promise<ImageAvailability> {
    await this.enter('imageInfo');
    if (findImage(this.world.images, ref)) return { state: 'present', detail: null };
    if (this.world.missingImages.has(withDefaultTag(ref))) return { state: 'missing', detail: `manifest for ${ref} not found` };
    return { state: 'pullable', detail: null };
  }

  async presentImages(): Promise<string[]> {
    await this.enter('imageInfo');
    return [...this.world.images].sort();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closing.abort();
    await Promise.all([...this.sessions].map((s) => s.close()));
    await this.world.detach();
  }
}

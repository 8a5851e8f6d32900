/**
 * The Docker backend of WorkspaceEngine, on dockerode. Workspaces are containers found by labels;
 * each user has a network of their own; data lives in a labelled named volume that survives stop
 * and remove unless deletion is asked for.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import { Duplex, PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import type { Client } from 'ssh2';
import { HubdeckError } from '../../core/errors';
import { envFromList } from '../../core/env-vars';
import { LABELS, decodeWorkspaceLabels, labelSelector } from '../../core/labels';
import { workspaceBaseUrl } from '../../core/names';
import { withDefaultTag } from '../../core/image-ref';
import type { WorkspaceSpec } from '../../core/workspace-spec';
import type {
  Capacity, CreateOptions, EngineResource, ExecOptions, ExecSession, LogOptions, RemoveOptions, StopOptions, WaitReadyOptions,
  Workspace, WorkspaceEngine, WorkspaceRef, WorkspaceStats,
} from '../engine';
import { waitForHttp } from '../wait-ready';
import { relayCommand } from '../relay';
import { planContainer, type ContainerPlan } from './container-plan';
import { PullProgress, type DockerPullMessage } from './pull-progress';
import { statsFromSample, type DockerStatsSample } from './docker-stats';
import { engineError, statusOf } from './docker-errors';
import { openDockerClient, type DockerClient, type DockerClientOptions } from './docker-client';
import { containerState, summaryState } from './container-state';

export type ConnectMode = 'auto' | 'direct' | 'ssh' | 'exec';

export interface DockerEngineOptions extends DockerClientOptions {
  /** Hub id stamped on everything created (label hubdeck.io/origin). Default "local". */
  origin?: string;
  /** How connect() reaches a workspace port; auto picks direct for a local Linux engine. */
  connectMode?: ConnectMode;
}

type Found = { info: Docker.ContainerInfo; container: Docker.Container };

export class DockerEngine implements WorkspaceEngine {
  readonly kind = 'docker' as const;
  readonly origin: string;
  readonly client: DockerClient;
  private readonly connectMode: Exclude<ConnectMode, 'auto'>;

  constructor(opts: DockerEngineOptions = {}) {
    this.origin = opts.origin ?? 'local';
    this.client = openDockerClient(opts);
    this.connectMode = opts.connectMode && opts.connectMode !== 'auto' ? opts.connectMode : this.autoConnectMode();
  }

  get docker(): Docker {
    return this.client.docker;
  }

  private autoConnectMode(): Exclude<ConnectMode, 'auto'> {
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
      throw engineError(e, this.client.connection.description, this.client.sshRefusal());
    }
  }

  // ---- lookup -------------------------------------------------------------------------------

  private async find(ref: WorkspaceRef): Promise<Found | null> {
    const list = await this.call(() =>
      this.docker.listContainers({
        all: true,
        filters: { label: labelSelector(this.origin, { [LABELS.user]: ref.user, [LABELS.workspace]: ref.name, [LABELS.kind]: 'workspace' }) },
      }),
    );
    const info = list[0];
    return info ? { info, container: this.docker.getContainer(info.Id) } : null;
  }

  private async mustFind(ref: WorkspaceRef): Promise<Found> {
    const f = await this.find(ref);
    if (!f) throw new HubdeckError('not_found', `workspace "${ref.name}" of ${ref.user} does not exist`);
    return f;
  }

  async get(ref: WorkspaceRef): Promise<Workspace | null> {
    const f = await this.find(ref);
    if (!f) return null;
    try {
      return this.fromInspect(await f.container.inspect());
    } catch (e) {
      if (statusOf(e) === 404) return null; // removed between list and inspect
      throw engineError(e, this.client.connection.description);
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
    const infos = await this.call(() => this.docker.listContainers({ all: true, filters: { label: labelSelector(this.origin, extra) } }));
    return infos.map((i) => this.fromSummary(i)).filter((w): w is Workspace => w !== null).sort(byUserAndName);
  }

  /** From a `docker ps` summary: no start time, the state from its status sentence. */
  private fromSummary(i: Docker.ContainerInfo): Workspace | null {
    return toWorkspace(i.Labels, {
      id: i.Id, image: i.Image, createdAt: new Date(i.Created * 1000).toISOString(), startedAt: null,
      ...summaryState(i.State, i.Status), mounts: i.Mounts ?? [], networks: i.NetworkSettings?.Networks ?? {},
    });
  }

  private fromInspect(c: Docker.ContainerInspectInfo): Workspace | null {
    return toWorkspace(c.Config.Labels, {
      id: c.Id, image: c.Config.Image, createdAt: c.Created,
      startedAt: c.State.Running && !c.State.StartedAt.startsWith('0001') ? c.State.StartedAt : null,
      ...containerState(c.State), mounts: c.Mounts, networks: c.NetworkSettings.Networks ?? {},
    });
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  async create(spec: WorkspaceSpec, opts: CreateOptions = {}): Promise<Workspace> {
    const ref = { user: spec.user, name: spec.name };
    if (await this.find(ref)) throw new HubdeckError('conflict', `workspace "${spec.name}" of ${spec.user} already exists`, 'name');
    const plan = planContainer(spec, this.origin, randomBytes(24).toString('hex'));
    await this.ensureImage(spec.image, opts);
    opts.onProgress?.({ phase: 'create', percent: 100, message: `creating ${plan.containerName}` });
    await this.ensureNetwork(plan.network);
    const newVolume = await this.ensureVolume(plan.volume);
    let container: Docker.Container | null = null;
    try {
      container = await this.call(() => this.docker.createContainer(plan.create));
      if (opts.start !== false) {
        opts.onProgress?.({ phase: 'start', percent: 100, message: 'starting' });
        await this.call(() => container!.start());
      }
    } catch (e) {
      // A create that fails leaves nothing behind but what existed before it.
      await container?.remove({ force: true }).catch(() => undefined);
      if (newVolume) await this.docker.getVolume(plan.volume!.name).remove().catch(() => undefined);
      throw this.explainStartFailure(e, spec);
    }
    return this.mustGet(ref);
  }

  private explainStartFailure(e: unknown, spec: WorkspaceSpec): HubdeckError {
    const err = engineError(e, this.client.connection.description);
    if (spec.gpus && /device driver|capabilities: \[\[gpu\]\]|nvidia/i.test(err.message)) {
      return new HubdeckError('invalid', `gpus: this Docker engine cannot provide GPUs (${err.message})`, 'gpus');
    }
    return err;
  }

  /** Pulls the image when the engine lacks it, reporting per-layer and overall progress. */
  private async ensureImage(image: string, opts: CreateOptions): Promise<void> {
    try {
      await this.docker.getImage(image).inspect();
      return;
    } catch (e) {
      if (statusOf(e) !== 404) throw engineError(e, this.client.connection.description, this.client.sshRefusal());
    }
    const progress = new PullProgress(image);
    opts.onProgress?.({ phase: 'pull', image, percent: 0, message: `pulling ${image}`, layers: [] });
    try {
      const stream = await this.docker.pull(withDefaultTag(image), { abortSignal: opts.signal });
      await new Promise<void>((resolve, reject) => {
        this.docker.modem.followProgress(
          stream,
          (err: Error | null, out: DockerPullMessage[]) => {
            const failed = err?.message ?? out.find((m) => m.error)?.error;
            if (failed) reject(new Error(failed));
            else resolve();
          },
          (m: DockerPullMessage) => {
            const ev = progress.update(m);
            if (ev) opts.onProgress?.(ev);
          },
        );
      });
    } catch (e) {
      const why = engineError(e, this.client.connection.description).message;
      throw new HubdeckError('invalid', `image: cannot pull "${image}": ${why}`, 'image');
    }
    opts.onProgress?.({ phase: 'pull', image, percent: 100, message: `pulled ${image}`, layers: [] });
  }

  private async ensureNetwork(n: ContainerPlan['network']): Promise<void> {
    const existing = await this.call(() => this.docker.listNetworks({ filters: { name: [n.name] } }));
    const same = existing.find((x) => x.Name === n.name);
    if (same) {
      if (same.Labels?.[LABELS.origin] !== this.origin) {
        throw new HubdeckError('conflict', `network ${n.name} exists but was not created by this hub`);
      }
      return;
    }
    try {
      await this.docker.createNetwork({ Name: n.name, Driver: 'bridge', Labels: n.labels, CheckDuplicate: true });
    } catch (e) {
      // Two creates for one user race here; the loser finds the network made by the winner.
      if (statusOf(e) !== 409) throw engineError(e, this.client.connection.description);
    }
  }

  /** Creates the data volume; returns true when it is new (so a failed create can remove it). */
  private async ensureVolume(v: ContainerPlan['volume']): Promise<boolean> {
    if (!v) return false;
    const exists = await this.docker.getVolume(v.name).inspect().then(() => true, () => false);
    if (exists) return false; // data kept from an earlier workspace of the same name: reuse it
    await this.call(() => this.docker.createVolume({ Name: v.name, Labels: v.labels }));
    return true;
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
    const r = await this.call(() =>
      this.docker.listVolumes({ filters: { label: labelSelector(this.origin, { [LABELS.user]: ref.user, [LABELS.workspace]: ref.name, [LABELS.kind]: 'volume' }) } }),
    );
    return (r.Volumes ?? []).map((v) => v.Name);
  }

  private async ignoring(status: number, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      if (statusOf(e) !== status) throw engineError(e, this.client.connection.description);
    }
  }

  // ---- observation --------------------------------------------------------------------------

  async stats(ref: WorkspaceRef): Promise<WorkspaceStats> {
    const f = await this.mustRun(ref);
    const sample = (await this.call(() => f.container.stats({ stream: false }))) as DockerStatsSample;
    return statsFromSample(sample);
  }

  async *streamStats(ref: WorkspaceRef, signal?: AbortSignal): AsyncIterable<WorkspaceStats> {
    const f = await this.mustRun(ref);
    const stream = (await this.call(() => f.container.stats({ stream: true }))) as unknown as NodeJS.ReadableStream & { destroy(): void };
    signal?.addEventListener('abort', () => stream.destroy(), { once: true });
    let buf = '';
    try {
      for await (const chunk of stream) {
        buf += chunk.toString();
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line) yield statsFromSample(JSON.parse(line) as DockerStatsSample);
        }
      }
    } catch (e) {
      if (!signal?.aborted) throw engineError(e, this.client.connection.description);
    } finally {
      stream.destroy();
    }
  }

  async *logs(ref: WorkspaceRef, opts: LogOptions = {}): AsyncIterable<string> {
    const f = await this.mustFind(ref);
    // No tail means all lines (the API's default).
    const common = { stdout: true, stderr: true, tail: opts.tail, timestamps: opts.timestamps ?? false };
    const out = new PassThrough();
    if (opts.follow) {
      const stream = await this.call(() => f.container.logs({ ...common, follow: true }));
      this.docker.modem.demuxStream(stream, out, out);
      stream.on('end', () => out.end());
      stream.on('error', (e) => out.destroy(e));
      opts.signal?.addEventListener('abort', () => { (stream as unknown as Duplex).destroy(); out.end(); }, { once: true });
    } else {
      const buf = await this.call(() => f.container.logs({ ...common, follow: false }));
      const src = new PassThrough();
      this.docker.modem.demuxStream(src, out, out);
      src.on('end', () => out.end());
      src.end(buf);
    }
    for await (const chunk of out) yield (chunk as Buffer).toString('utf8');
  }

  private async mustRun(ref: WorkspaceRef): Promise<Found> {
    const f = await this.mustFind(ref);
    if (f.info.State !== 'running') throw new HubdeckError('conflict', `workspace "${ref.name}" of ${ref.user} is not running`);
    return f;
  }

  async exec(ref: WorkspaceRef, opts: ExecOptions): Promise<ExecSession> {
    const f = await this.mustRun(ref);
    const tty = opts.tty ?? false;
    const exec = await this.call(() =>
      f.container.exec({
        Cmd: opts.cmd,
        AttachStdin: opts.stdin ?? false,
        AttachStdout: true,
        AttachStderr: true,
        Tty: tty,
        Env: opts.env ? Object.entries(opts.env).map(([k, v]) => `${k}=${v}`) : undefined,
        User: opts.user,
        WorkingDir: opts.workdir,
        ConsoleSize: tty && opts.cols && opts.rows ? [opts.rows, opts.cols] : undefined,
      } as Docker.ExecCreateOptions),
    );
    const stream = (await this.call(() => exec.start({ hijack: true, stdin: opts.stdin ?? false, Tty: tty }))) as Duplex;
    // Engines before API 1.42 ignore ConsoleSize: size the TTY right after start as the docker CLI does.
    if (tty && opts.cols && opts.rows) await exec.resize({ w: opts.cols, h: opts.rows }).catch(() => undefined);
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    if (tty) stream.pipe(stdout);
    else this.docker.modem.demuxStream(stream, stdout, stderr);
    const ended = new Promise<void>((resolve) => {
      stream.once('end', resolve);
      stream.once('close', resolve);
      stream.once('error', () => resolve());
    });
    ended.then(() => { stdout.end(); stderr.end(); }, () => undefined);
    return {
      stdin: opts.stdin ? stream : null,
      stdout,
      stderr,
      resize: async (cols, rows) => { await this.call(() => exec.resize({ w: cols, h: rows })); },
      exitCode: async () => {
        await ended;
        for (let i = 0; i < 50; i++) {
          const s = await this.call(() => exec.inspect());
          if (!s.Running) return s.ExitCode ?? -1;
          await new Promise((r) => setTimeout(r, 50));
        }
        return -1;
      },
    };
  }

  async capacity(): Promise<Capacity> {
    const info = await this.call(() => this.docker.info());
    return {
      cpus: info.NCPU,
      memory: info.MemTotal,
      gpus: this.gpuCount(info),
      description: `Docker ${info.ServerVersion} on ${info.Name} (${this.client.connection.description})`,
    };
  }

  /** The API cannot list GPUs: use swarm generic resources, or the NVIDIA driver of a local engine. */
  private gpuCount(info: { GenericResources?: unknown; Runtimes?: Record<string, unknown> }): number {
    const generic = (info.GenericResources ?? []) as { DiscreteResourceSpec?: { Kind?: string; Value?: number } }[];
    const fromGeneric = generic.filter((g) => /gpu/i.test(g.DiscreteResourceSpec?.Kind ?? '')).reduce((s, g) => s + (g.DiscreteResourceSpec?.Value ?? 0), 0);
    if (fromGeneric > 0) return fromGeneric;
    if (this.client.connection.kind !== 'unix') return 0;
    try {
      return fs.readdirSync('/proc/driver/nvidia/gpus').length;
    } catch {
      return 0;
    }
  }

  // ---- resources (cleanup) ------------------------------------------------------------------

  async resources(): Promise<EngineResource[]> {
    const filters = { label: labelSelector(this.origin) };
    const [containers, volumes, networks] = await Promise.all([
      this.call(() => this.docker.listContainers({ all: true, filters })),
      this.call(() => this.docker.listVolumes({ filters })),
      this.call(() => this.docker.listNetworks({ filters })),
    ]);
    const workspaces = new Set(containers.map((c) => `${c.Labels[LABELS.user]}/${c.Labels[LABELS.workspace]}`));
    const out: EngineResource[] = containers.map((c) => ({
      kind: 'workspace', id: c.Id, name: c.Names[0]?.replace(/^\//, '') ?? c.Id,
      user: c.Labels[LABELS.user] ?? '', workspace: c.Labels[LABELS.workspace] ?? null, inUse: true,
    }));
    for (const v of volumes.Volumes ?? []) {
      const ws = v.Labels?.[LABELS.workspace] ?? null;
      const user = v.Labels?.[LABELS.user] ?? '';
      out.push({ kind: 'volume', id: v.Name, name: v.Name, user, workspace: ws, inUse: workspaces.has(`${user}/${ws}`) });
    }
    for (const n of networks) {
      // The list endpoint leaves Containers empty; inspect says who is attached.
      const detail = await this.docker.getNetwork(n.Id).inspect().catch(() => n);
      out.push({
        kind: 'network', id: n.Id, name: n.Name, user: n.Labels?.[LABELS.user] ?? '', workspace: null,
        inUse: Object.keys((detail as { Containers?: object }).Containers ?? {}).length > 0,
      });
    }
    return out;
  }

  async removeResource(r: EngineResource): Promise<void> {
    if (r.kind === 'workspace') await this.ignoring(404, () => this.docker.getContainer(r.id).remove({ force: true }));
    else if (r.kind === 'volume') await this.ignoring(404, () => this.docker.getVolume(r.id).remove());
    else await this.ignoring(404, () => this.docker.getNetwork(r.id).remove());
  }

  // ---- access -------------------------------------------------------------------------------

  async connect(ref: WorkspaceRef, port: number): Promise<Duplex> {
    const f = await this.mustRun(ref);
    if (this.connectMode === 'exec') return this.connectByExec(ref, port);
    const ip = Object.values(f.info.NetworkSettings?.Networks ?? {}).map((n) => n.IPAddress).find(Boolean);
    if (!ip) throw new HubdeckError('engine', `workspace "${ref.name}" of ${ref.user} has no network address`);
    if (this.connectMode === 'ssh') return this.connectBySsh(ip, port);
    return new Promise((resolve, reject) => {
      const sock = net.connect({ host: ip, port });
      sock.once('connect', () => resolve(sock));
      sock.once('error', reject);
    });
  }

  private async connectBySsh(ip: string, port: number): Promise<Duplex> {
    const client: Client = await this.client.sshTunnel();
    return new Promise((resolve, reject) => {
      client.forwardOut('127.0.0.1', 0, ip, port, (err, channel) => (err ? reject(err) : resolve(channel)));
    });
  }

  private async connectByExec(ref: WorkspaceRef, port: number): Promise<Duplex> {
    const s = await this.exec(ref, { cmd: relayCommand(port), stdin: true });
    const duplex = Duplex.from({ readable: s.stdout, writable: s.stdin! });
    let errText = '';
    s.stderr.on('data', (d: Buffer) => { errText += d.toString(); });
    s.exitCode().then((code) => {
      if (code !== 0 && errText) duplex.destroy(new HubdeckError('engine', errText.trim()));
    }, () => undefined);
    return duplex;
  }

  async webToken(ref: WorkspaceRef): Promise<string | null> {
    const f = await this.mustFind(ref);
    const c = await this.call(() => f.container.inspect());
    return envFromList(c.Config.Env ?? []).JUPYTER_TOKEN ?? null;
  }

  async waitReady(ref: WorkspaceRef, opts: WaitReadyOptions = {}): Promise<void> {
    const w = await this.mustGet(ref);
    const port = w.spec?.webPort ?? 8888;
    await waitForHttp(
      {
        connect: () => this.connect(ref, port),
        state: async () => {
          const cur = await this.get(ref);
          return cur && { state: cur.state, status: cur.status };
        },
        lastLogs: async (n) => {
          let text = '';
          for await (const chunk of this.logs(ref, { tail: n })) text += chunk;
          return text;
        },
        path: w.baseUrl,
        label: `workspace "${ref.name}" of ${ref.user}`,
      },
      opts.timeoutMs,
      opts.signal,
    );
  }

  async close(): Promise<void> {
    this.client.close();
  }
}

interface ContainerFacts {
  id: string;
  image: string;
  createdAt: string;
  startedAt: string | null;
  state: Workspace['state'];
  status: string;
  mounts: { Type?: string; Name?: string; Destination: string }[];
  networks: Record<string, unknown>;
}

/** A workspace from a container's labels (the truth) and what Docker says about it now. */
function toWorkspace(labels: Record<string, string>, f: ContainerFacts): Workspace | null {
  const d = decodeWorkspaceLabels(labels);
  if (!d) return null;
  return {
    id: f.id,
    origin: d.origin,
    user: d.user,
    name: d.name,
    state: f.state,
    status: f.status,
    spec: d.spec,
    image: d.spec?.image ?? f.image,
    createdAt: f.createdAt,
    startedAt: f.startedAt,
    expiresAt: d.spec?.expiresAt ?? labels[LABELS.expiresAt] ?? null,
    baseUrl: workspaceBaseUrl(d.user, d.name),
    network: Object.keys(f.networks)[0] ?? null,
    volume: f.mounts.find((m) => m.Type === 'volume' && m.Destination === d.spec?.volumePath)?.Name ?? null,
  };
}

function byUserAndName(a: Workspace, b: Workspace): number {
  return a.user.localeCompare(b.user) || a.name.localeCompare(b.name);
}

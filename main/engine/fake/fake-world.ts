/**
 * The state behind FakeEngines: what a container daemon would hold. Several engines over one world
 * behave like several hub processes over one Docker daemon — a fresh engine lists what another
 * created, because it reads the same labelled objects back. Tests reach in here to plant objects
 * (a v1 or damaged workspace), break things (failures, an unreachable daemon, a crash) and steer
 * the web app (activity, busy kernels, load).
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { HubdeckError } from '../../core/errors';
import { withDefaultTag } from '../../core/image-ref';
import { LABELS, decodeWorkspaceLabels } from '../../core/labels';
import type { EngineLimits, EngineNode, WorkspaceRef, WorkspaceState } from '../engine';
import { FaultPlan, type Delays, type FakeOp, type Injection } from './fake-faults';
import { FileStore } from './fake-fs';
import type { Behaviour, FakeContainer, FakeNetwork, FakeVolume, KernelInfo, LogLine } from './fake-objects';
import { FakeWebApp } from './fake-web';
import type { FakePorts } from './fake-io';

export const DEFAULT_NODE: EngineNode = { name: 'fake-node', cpus: 4, memory: 8 * 1024 ** 3, gpus: 0, labels: {} };

export interface FakeWorldOptions {
  nodes?: EngineNode[];
  /** Images already present (no pull needed). Default: none, so the first create of each pulls. */
  images?: string[];
  /** Images whose pull fails (as a typo or a private image would). */
  missingImages?: string[];
  /** The daemon's clock, for createdAt, startedAt, log timestamps (default: the real one). */
  clock?: () => Date;
  /** Slowness every engine on this world suffers. */
  delays?: Delays;
}

/** A workspace addressed across hubs: which hub (origin) and which (user, name). */
export type FakeTarget = WorkspaceRef & { origin: string };

/**
 * A labelled container planted by a test, as an older Hubdeck or a hand edit would have left it.
 * origin/user/name fill the identity labels the given `labels` lack.
 */
export interface RawContainer {
  origin?: string;
  user?: string;
  name?: string;
  labels?: Record<string, string>;
  image?: string;
  state?: WorkspaceState;
  status?: string;
  /** Limits as the daemon enforces them (default: from the spec label when it is readable). */
  limits?: EngineLimits | null;
  node?: string;
  network?: string | null;
  volume?: string | null;
  env?: Record<string, string>;
  webPort?: number;
  workdir?: string;
  token?: string | null;
  createdAt?: string;
  containerName?: string;
}

export const newId = () => randomBytes(32).toString('hex');

export class FakeWorld {
  nodes: EngineNode[];
  readonly images: Set<string>;
  readonly missingImages: Set<string>;
  readonly containers = new Map<string, FakeContainer>();
  readonly volumes = new Map<string, FakeVolume>();
  readonly networks = new Map<string, FakeNetwork>();
  /** The "host" filesystem bind mounts read and write. */
  readonly host = new FileStore();
  readonly faults: FaultPlan;
  readonly clock: () => Date;
  /** `log:<id>` (a LogLine) and `halt:<id>` (its processes ended: stop, crash, remove). */
  readonly events = new EventEmitter();
  private readonly webApps = new Map<string, FakeWebApp>();
  /** What commands started in each container listen on (fake-httpd.ts), by container id. */
  private readonly listeners = new Map<string, FakePorts>();
  private attached = 0;

  constructor(opts: FakeWorldOptions = {}) {
    this.nodes = (opts.nodes ?? [DEFAULT_NODE]).map((n) => ({ ...n, labels: { ...n.labels } }));
    if (this.nodes.length === 0) throw new Error('a fake world needs at least one node');
    this.images = new Set((opts.images ?? []).map(withDefaultTag));
    this.missingImages = new Set((opts.missingImages ?? []).map(withDefaultTag));
    this.clock = opts.clock ?? (() => new Date());
    this.faults = new FaultPlan(opts.delays);
    this.events.setMaxListeners(0);
  }

  now(): string {
    return this.clock().toISOString();
  }

  // ---- breaking things ----------------------------------------------------------------------

  /** The next `times` calls of `op`, by any engine on this world, fail with `error`. */
  failNext(op: FakeOp | '*', error: Error, times = 1): void {
    this.faults.inject({ op, error, times });
  }

  inject(i: Injection): void {
    this.faults.inject(i);
  }

  /** Every call fails with HubdeckError 'unavailable' until set back (false). */
  setUnreachable(down: boolean, message = 'cannot reach the fake engine (is it running?)'): void {
    this.faults.down = down ? new HubdeckError('unavailable', message) : null;
  }

  /** Ends the workspace's processes as a crash would: failed, with an exit code or out of memory. */
  crash(t: FakeTarget, opts: { exitCode?: number; oom?: boolean; message?: string } = {}): void {
    const c = this.mustFind(t);
    if (opts.message) this.log(c, opts.message, 'stderr');
    this.halt(c, opts.oom ? 'killed: out of memory' : `exited with code ${opts.exitCode ?? 1}`, 'failed');
  }

  // ---- steering the web app -----------------------------------------------------------------

  setAppActivity(t: FakeTarget, a: { lastActivity?: string; kernels?: Partial<KernelInfo>[] }): void {
    const c = this.mustFind(t);
    if (a.lastActivity) c.app.lastActivity = a.lastActivity;
    if (a.kernels) {
      c.app.kernels = a.kernels.map((k, i) => ({
        id: k.id ?? `kernel-${i}`, name: k.name ?? 'python3', last_activity: k.last_activity ?? c.app.lastActivity,
        execution_state: k.execution_state ?? 'idle', connections: k.connections ?? 1,
      }));
    }
  }

  setLoad(t: FakeTarget, load: { cpuPercent?: number; memoryUsed?: number }): void {
    const c = this.mustFind(t);
    c.load = { ...c.load, ...load };
  }

  // ---- planting objects ---------------------------------------------------------------------

  insertRaw(raw: RawContainer): FakeContainer {
    const identity: Record<string, string> = { [LABELS.kind]: 'workspace' };
    if (raw.origin) identity[LABELS.origin] = raw.origin;
    if (raw.user) identity[LABELS.user] = raw.user;
    if (raw.name) identity[LABELS.workspace] = raw.name;
    const labels = { ...identity, ...(raw.labels ?? {}) };
    const d = decodeWorkspaceLabels(labels);
    const spec = d?.spec ?? null;
    const now = this.now();
    const state = raw.state ?? 'stopped';
    const c: FakeContainer = {
      id: newId(),
      name: raw.containerName ?? `raw-${randomBytes(4).toString('hex')}`,
      labels,
      image: raw.image ?? spec?.image ?? 'unknown:latest',
      createdAt: raw.createdAt ?? now,
      startedAt: state === 'running' ? now : null,
      lastStartedAt: state === 'running' ? now : null,
      state,
      status: raw.status ?? (state === 'running' ? 'running' : state === 'failed' ? 'exited with code 1' : 'exited (0)'),
      node: raw.node ?? this.nodes[0]!.name,
      network: raw.network ?? null,
      volume: raw.volume ?? null,
      limits: raw.limits !== undefined ? raw.limits : spec && { cpus: spec.cpus, memory: spec.memory, gpus: spec.gpus },
      env: { ...(raw.env ?? {}) },
      webPort: raw.webPort ?? spec?.webPort ?? 8888,
      workdir: raw.workdir ?? spec?.volumePath ?? '/',
      token: raw.token ?? null,
      mounts: raw.volume ? [{ target: raw.workdir ?? spec?.volumePath ?? '/data', volume: raw.volume, readOnly: false }] : [],
      files: new FileStore(['/tmp', '/root']),
      logs: [],
      behaviour: behaviourOf(raw.env ?? {}),
      app: { lastActivity: now, kernels: [] },
      load: { cpuPercent: 0.5, memoryUsed: 24 * 1024 ** 2 },
    };
    this.containers.set(c.id, c);
    return c;
  }

  insertRawVolume(v: { name: string; labels: Record<string, string> }): FakeVolume {
    const vol: FakeVolume = { name: v.name, labels: { ...v.labels }, createdAt: this.now(), files: new FileStore() };
    this.volumes.set(v.name, vol);
    return vol;
  }

  insertRawNetwork(n: { name: string; labels: Record<string, string> }): FakeNetwork {
    const net: FakeNetwork = { id: newId(), name: n.name, labels: { ...n.labels } };
    this.networks.set(n.name, net);
    return net;
  }

  // ---- lookup -------------------------------------------------------------------------------

  /** The workspace container of (origin, user, name), by its identity labels. */
  find(t: FakeTarget): FakeContainer | undefined {
    for (const c of this.containers.values()) {
      const l = c.labels;
      if (l[LABELS.origin] === t.origin && l[LABELS.user] === t.user && l[LABELS.workspace] === t.name && l[LABELS.kind] === 'workspace') return c;
    }
    return undefined;
  }

  mustFind(t: FakeTarget): FakeContainer {
    const c = this.find(t);
    if (!c) throw new HubdeckError('not_found', `workspace "${t.name}" of ${t.user} does not exist`);
    return c;
  }

  // ---- the "processes" of a container -------------------------------------------------------

  log(c: FakeContainer, text: string, stream: LogLine['stream'] = 'stdout'): void {
    for (const line of text.split('\n')) {
      const l = { at: this.now(), stream, text: line };
      c.logs.push(l);
      this.events.emit(`log:${c.id}`, l);
    }
  }

  /** The web app's server, started on first use (and again after every engine closed). */
  async webApp(c: FakeContainer): Promise<FakeWebApp | null> {
    if (c.state !== 'running' || c.behaviour.kind !== 'web') return null;
    let app = this.webApps.get(c.id);
    if (!app) {
      app = new FakeWebApp(this, c);
      this.webApps.set(c.id, app);
    }
    await app.listening();
    return app;
  }

  /** The port table of a container: its processes' servers come and go with them. */
  portsOf(id: string): FakePorts {
    let ports = this.listeners.get(id);
    if (!ports) this.listeners.set(id, (ports = new Map()));
    return ports;
  }

  /** Ends everything running in the container (web app, exec sessions, followers) and sets its state. */
  halt(c: FakeContainer, status: string, state: WorkspaceState = 'stopped'): void {
    c.state = state;
    c.status = status;
    c.startedAt = null;
    this.closeWebApp(c.id);
    this.events.emit(`halt:${c.id}`);
  }

  private closeWebApp(id: string): void {
    const app = this.webApps.get(id);
    this.webApps.delete(id);
    void app?.close();
  }

  /** Engines attach while open; when the last one closes, the world lets go of its sockets. */
  attach(): void {
    this.attached += 1;
  }

  async detach(): Promise<void> {
    this.attached = Math.max(0, this.attached - 1);
    if (this.attached === 0) await this.close();
  }

  /** Closes every web app server; state stays, and servers start again on the next connect. */
  async close(): Promise<void> {
    const apps = [...this.webApps.values()];
    this.webApps.clear();
    await Promise.all(apps.map((a) => a.close()));
  }
}

/** The test image's switches: FAIL_WITH makes it crash at start, HANG makes it never listen. */
export function behaviourOf(env: Record<string, string>): Behaviour {
  if (env.FAIL_WITH) return { kind: 'fail', message: env.FAIL_WITH, exitCode: 3 };
  if (env.HANG) return { kind: 'hang' };
  return { kind: 'web' };
}


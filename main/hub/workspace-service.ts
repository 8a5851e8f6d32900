/**
 * Workspaces on behalf of users: every operation checks the actor, then self-service, image access,
 * quota and host capacity, in that order, with errors that name the rule. Creates and starts of one
 * user are serialized so two concurrent requests cannot both squeeze under a quota.
 */
import { HubdeckError, ValidationError } from '../core/errors';
import { parseWith } from '../core/validation';
import { extendInput } from '../core/hub-requests';
import { gpuCount } from '../core/gpus';
import { formatSize } from '../core/sizes';
import { expiresAtFromDays } from '../core/expiry';
import { parseWorkspaceRequest, type WorkspaceSpec } from '../core/workspace-spec';
import type { LogOptions, ProgressEvent, Workspace, WorkspaceRef, WorkspaceStats } from '../engine/engine';
import { requireSelfOrAdmin, type Actor } from './actor';
import type { UserRecord } from './hub-state';
import { settingsOf, stamp, type HubContext } from './hub-context';
import type { UserService } from './user-service';
import type { ImageService } from './image-service';
import { checkQuota, type Usage } from './quota';
import { KeyedLock } from './keyed-lock';

export interface WorkspaceView extends Workspace {
  /** True when the hub has no such user: found on the engine, neither adopted nor deleted. */
  orphaned: boolean;
}

export interface CreateWorkspaceOptions {
  onProgress?: (e: ProgressEvent) => void;
  /** Wait until the web port answers (default true). */
  wait?: boolean;
  timeoutMs?: number;
}

export class WorkspaceService {
  private readonly locks = new KeyedLock();

  constructor(
    private readonly ctx: HubContext,
    private readonly users: UserService,
    private readonly images: ImageService,
  ) {}

  /**
   * Turns engine workspaces into hub views: the effective expiry (an extension recorded by the hub
   * wins over the creation-time label) and whether the hub knows the user. Reads the store once, so
   * a whole list costs one pass.
   */
  viewer(): (w: Workspace) => WorkspaceView {
    const { expiry, users } = this.ctx.store.current;
    const extended = new Map(expiry.map((e) => [e.workspaceId, e.expiresAt]));
    const known = new Set(users.map((u) => u.name));
    return (w) => ({ ...w, expiresAt: extended.get(w.id) ?? w.expiresAt, orphaned: !known.has(w.user) });
  }

  view(w: Workspace): WorkspaceView {
    return this.viewer()(w);
  }

  expiryOf(w: Workspace): string | null {
    return this.view(w).expiresAt;
  }

  async list(actor: Actor, filter: { user?: string; all?: boolean } = {}): Promise<WorkspaceView[]> {
    const user = filter.all ? undefined : filter.user ?? actor.user;
    if (user) requireSelfOrAdmin(actor, user, 'list the workspaces');
    else if (!actor.admin) throw new HubdeckError('forbidden', 'only admins may list every workspace');
    return (await this.ctx.engine.list(user ? { user } : {})).map(this.viewer());
  }

  async get(actor: Actor, ref: WorkspaceRef): Promise<WorkspaceView> {
    requireSelfOrAdmin(actor, ref.user, 'see the workspaces');
    return this.view(await this.mustGet(ref));
  }

  private async mustGet(ref: WorkspaceRef): Promise<Workspace> {
    const w = await this.ctx.engine.get(ref);
    if (!w) throw new HubdeckError('not_found', `workspace "${ref.name}" of ${ref.user} does not exist`);
    return w;
  }

  /** The user a request acts for, checked: exists (or is auto-created locally), not blocked. */
  private async owner(actor: Actor, name: string): Promise<UserRecord> {
    requireSelfOrAdmin(actor, name, 'manage the workspaces');
    const found = this.users.find(name);
    if (found) {
      if (found.blocked) throw new HubdeckError('forbidden', `${name} is blocked`);
      return found;
    }
    if (actor.admin && settingsOf(this.ctx).autoCreateUsers) return this.users.ensure(name, { admin: false, selfService: true });
    throw new HubdeckError('not_found', `user ${name} does not exist`);
  }

  async create(actor: Actor, body: unknown, opts: CreateWorkspaceOptions = {}): Promise<WorkspaceView> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ValidationError('request', 'must be a JSON object');
    const raw = body as Record<string, unknown>;
    const userName = typeof raw.user === 'string' ? raw.user : actor.user;
    // Validate the whole request before anything else, so bad input gets the field-named error.
    const probe = parseWorkspaceRequest({ ...raw, user: userName }, { now: this.ctx.now() });
    const user = await this.owner(actor, userName);
    if (!actor.admin && !user.selfService) {
      throw new HubdeckError('forbidden', `self-service: ${user.name} may not create workspaces; ask an admin to create one`);
    }
    const entry = this.images.resolve(actor, user, probe.image);
    const spec = this.withDefaults(raw, userName, entry?.ref ?? probe.image, entry?.defaults ?? {});
    return this.locks.run(user.name, async () => {
      await this.checkResources(user, spec, 1);
      const w = await this.ctx.engine.create(spec, {
        onProgress: (p) => {
          opts.onProgress?.(p);
          this.ctx.bus.emit({ type: 'workspace.progress', user: spec.user, name: spec.name, progress: p, at: stamp(this.ctx) });
        },
      });
      this.emitState(w);
      if (opts.wait !== false) await this.ctx.engine.waitReady(w, { timeoutMs: opts.timeoutMs });
      return this.view(w);
    });
  }

  /** Image defaults fill what the request leaves out; hub expiry rules apply. */
  private withDefaults(raw: Record<string, unknown>, user: string, image: string, d: Record<string, unknown>): WorkspaceSpec {
    const s = settingsOf(this.ctx);
    const days = raw.days ?? d.days ?? s.defaultDays ?? undefined;
    if (typeof days === 'number' && s.maxDays !== null && days > s.maxDays) {
      throw new HubdeckError('invalid', `days: at most ${s.maxDays} days on this hub (got ${days})`, 'days');
    }
    const merged = { cpus: d.cpus, memory: d.memory, shm: d.shm, gpus: d.gpus, ...raw, user, image, days };
    for (const k of Object.keys(merged) as (keyof typeof merged)[]) if (merged[k] === undefined) delete merged[k];
    return parseWorkspaceRequest(merged, { now: this.ctx.now() });
  }

  private async usage(user: string, hostGpus: number, except?: string): Promise<Usage> {
    const mine = (await this.ctx.engine.list({ user })).filter((w) => w.name !== except);
    const running = mine.filter((w) => ['running', 'starting', 'creating', 'restarting'].includes(w.state));
    return {
      workspaces: mine.length,
      cpus: running.reduce((n, w) => n + (w.spec?.cpus ?? 0), 0),
      memory: running.reduce((n, w) => n + (w.spec?.memory ?? 0), 0),
      gpus: running.reduce((n, w) => n + gpuCount(w.spec?.gpus ?? null, hostGpus), 0),
    };
  }

  /** Quota then capacity; `isNew` counts the workspace itself against maxWorkspaces. */
  private async checkResources(user: UserRecord, spec: WorkspaceSpec, isNew: 0 | 1): Promise<void> {
    const cap = await this.ctx.engine.capacity();
    const quota = this.users.quotaOf(user);
    // "all" counts as the host's GPUs; where the engine cannot tell how many, it cannot be counted.
    if (spec.gpus?.kind === 'all' && quota.gpus !== undefined && quota.gpus !== null && cap.gpus === 0) {
      throw new HubdeckError('quota', `quota: ${user.name} has a GPU quota and this engine cannot count its GPUs; ask for a number of GPUs, not "all"`, 'gpus');
    }
    const gpus = gpuCount(spec.gpus, cap.gpus);
    checkQuota(user.name, quota, await this.usage(user.name, cap.gpus, isNew ? undefined : spec.name), {
      workspaces: isNew, cpus: spec.cpus, memory: spec.memory, gpus,
    });
    if (spec.cpus !== null && spec.cpus > cap.cpus) throw new HubdeckError('quota', `capacity: ${spec.cpus} cpus requested but the host has ${cap.cpus}`, 'cpus');
    if (spec.memory !== null && spec.memory > cap.memory) {
      throw new HubdeckError('quota', `capacity: ${formatSize(spec.memory)} memory requested but the host has ${formatSize(cap.memory)}`, 'memory');
    }
    if (spec.gpus && spec.gpus.kind !== 'all' && gpus > cap.gpus) throw new HubdeckError('quota', `capacity: ${gpus} GPUs requested but the host has ${cap.gpus}`, 'gpus');
  }

  async start(actor: Actor, ref: WorkspaceRef): Promise<WorkspaceView> {
    return this.startOrRestart(actor, ref, (r) => this.ctx.engine.start(r));
  }

  /** A restart starts a stopped workspace too, so it passes the same checks as start. */
  async restart(actor: Actor, ref: WorkspaceRef): Promise<WorkspaceView> {
    return this.startOrRestart(actor, ref, (r) => this.ctx.engine.restart(r));
  }

  private async startOrRestart(actor: Actor, ref: WorkspaceRef, act: (r: WorkspaceRef) => Promise<Workspace>): Promise<WorkspaceView> {
    const user = await this.owner(actor, ref.user);
    return this.locks.run(user.name, async () => {
      const w = await this.mustGet(ref);
      if (w.state !== 'running' && w.spec) await this.checkResources(user, w.spec, 0);
      const started = await act(ref);
      this.emitState(started);
      return this.view(started);
    });
  }

  async stop(actor: Actor, ref: WorkspaceRef): Promise<WorkspaceView> {
    requireSelfOrAdmin(actor, ref.user, 'stop the workspaces');
    const w = await this.ctx.engine.stop(ref);
    this.emitState(w);
    return this.view(w);
  }

  async remove(actor: Actor, ref: WorkspaceRef, opts: { deleteData?: boolean } = {}): Promise<void> {
    requireSelfOrAdmin(actor, ref.user, 'remove the workspaces');
    const w = await this.ctx.engine.get(ref);
    await this.ctx.engine.remove(ref, opts);
    if (w) await this.ctx.store.mutate((s) => { s.expiry = s.expiry.filter((e) => e.workspaceId !== w.id); });
    this.ctx.bus.emit({ type: 'workspace.removed', user: ref.user, name: ref.name, at: stamp(this.ctx) });
  }

  /** Pushes expiry N days past the later of now and the current expiry, within the hub maximum. */
  async extend(actor: Actor, ref: WorkspaceRef, body: unknown): Promise<WorkspaceView> {
    requireSelfOrAdmin(actor, ref.user, 'extend the workspaces');
    const { days } = parseWith(extendInput, body);
    const w = await this.mustGet(ref);
    const now = this.ctx.now();
    const current = this.expiryOf(w);
    const from = current && Date.parse(current) > now.getTime() ? new Date(current) : now;
    const expiresAt = expiresAtFromDays(days, from);
    const max = settingsOf(this.ctx).maxDays;
    if (max !== null && Date.parse(expiresAt) > now.getTime() + max * 86_400_000) {
      throw new HubdeckError('invalid', `days: workspaces may live at most ${max} days from now on this hub`, 'days');
    }
    await this.ctx.store.mutate((s) => {
      s.expiry = [...s.expiry.filter((e) => e.workspaceId !== w.id), { workspaceId: w.id, user: w.user, name: w.name, expiresAt }];
    });
    this.ctx.bus.emit({ type: 'workspace.extended', user: w.user, name: w.name, expiresAt, at: stamp(this.ctx) });
    return this.view(w);
  }

  logs(actor: Actor, ref: WorkspaceRef, opts: LogOptions): AsyncIterable<string> {
    requireSelfOrAdmin(actor, ref.user, 'read the logs');
    return this.ctx.engine.logs(ref, opts);
  }

  stats(actor: Actor, ref: WorkspaceRef): Promise<WorkspaceStats> {
    requireSelfOrAdmin(actor, ref.user, 'see the stats');
    return this.ctx.engine.stats(ref);
  }

  emitState(w: Workspace): void {
    this.ctx.bus.emit({ type: 'workspace.state', user: w.user, name: w.name, state: w.state, at: stamp(this.ctx) });
  }
}

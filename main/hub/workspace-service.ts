/**
 * Workspaces on behalf of users: every operation checks the actor, then self-service, image access,
 * what the engine and hub allow, quota and node capacity, in that order, with errors that name the
 * rule. Creates and starts of one user are serialized so two concurrent requests cannot both
 * squeeze under a quota.
 */
import { HubdeckError, ValidationError } from '../core/errors';
import { parseWith } from '../core/validation';
import { extendInput } from '../api/requests';
import type { StatsBatch, UsageSeries, WorkspaceView } from '../api/dto';
import { expiresAtFromDays, isExpired } from '../core/expiry';
import { requestDefaultsSchema, specOf, workspaceRequestSchema, type ParsedRequest, type WorkspaceSpec } from '../core/workspace-spec';
import type { LogOptions, ProgressEvent, Workspace, WorkspaceRef, WorkspaceStats } from '../engine/engine';
import { sleep, waitReady } from '../engine/wait-ready';
import { requireSelfOrAdmin, type Actor } from './actor';
import type { ImageRecord, UserRecord } from './hub-state';
import { settingsOf, stamp, type HubContext } from './hub-context';
import type { UserService } from './user-service';
import type { ImageService } from './image-service';
import { KeyedLock } from './keyed-lock';
import { StatsFeed } from './stats-feed';
import { workspaceUrl, type WebAccess } from '../core/workspace-origin';
import { checkCapacity, checkSupported, checkUserQuota, usageOf } from './spec-admission';

type ImageDefaults = ImageRecord['defaults'];

export interface CreateWorkspaceOptions {
  onProgress?: (e: ProgressEvent) => void;
  /** Wait until the web port answers (default true). */
  wait?: boolean;
  timeoutMs?: number;
  /** Tags the progress events, so the caller's client can pick its own out of the event stream. */
  opId?: string;
  /** The caller went away: stop waiting (and do not start at all if still queued). */
  signal?: AbortSignal;
}

/** The longest a create may wait for readiness: a hung workspace must not hold a request for ever. */
export const MAX_READY_TIMEOUT_MS = 30 * 60_000;

export class WorkspaceService {
  private readonly locks = new KeyedLock();

  private readonly feed: StatsFeed;

  constructor(
    private readonly ctx: HubContext,
    private readonly users: UserService,
    private readonly images: ImageService,
    /** Where this hub's web pages are served, if anywhere (set by the server that serves them). */
    private readonly web: () => WebAccess | null = () => null,
  ) {
    this.feed = new StatsFeed(ctx.engine);
  }

  /** Turns engine workspaces into hub views; reads the store once, so a whole list costs one pass. */
  viewer(): (w: Workspace) => WorkspaceView {
    const known = new Set(this.ctx.store.current.users.map((u) => u.name));
    const web = this.web();
    return (w) => ({ ...w, orphaned: !known.has(w.user), url: web ? workspaceUrl(web, w) : null });
  }

  view(w: Workspace): WorkspaceView {
    return this.viewer()(w);
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
    if (opts.timeoutMs !== undefined && opts.timeoutMs > MAX_READY_TIMEOUT_MS) throw new ValidationError('timeout', `at most ${MAX_READY_TIMEOUT_MS / 1000} seconds`);
    const raw = body as Record<string, unknown>;
    const userName = typeof raw.user === 'string' ? raw.user : actor.user;
    // Validate the whole request before anything else, so bad input gets the field-named error.
    const request = parseWith(workspaceRequestSchema, { ...raw, user: userName });
    const user = await this.owner(actor, userName);
    if (!actor.admin && !user.selfService) {
      throw new HubdeckError('forbidden', `self-service: ${user.name} may not create workspaces; ask an admin to create one`);
    }
    // No image asked for: the one the form would preselect (the admin's default, else one that runs here).
    const image = request.image ?? await this.images.defaultRef(actor, user);
    const entry = await this.images.resolve(actor, user, image);
    const spec = this.withDefaults(request, raw, entry?.ref ?? image, entry?.defaults ?? {});
    checkSupported(spec, this.ctx.engine.capabilities, settingsOf(this.ctx).bindMountAllowList);
    // The user's lock covers the quota check and the create only: waiting for readiness happens
    // outside it, so one slow or hung workspace never holds up that user's other requests.
    const w = await this.locks.run(user.name, async () => {
      await this.checkResources(user, spec, 1);
      const made = await this.ctx.engine.create(spec, {
        signal: opts.signal,
        onProgress: (p) => {
          opts.onProgress?.(p);
          this.ctx.bus.emit({ type: 'workspace.progress', user: spec.user, name: spec.name, progress: p, ...(opts.opId ? { opId: opts.opId } : {}), at: stamp(this.ctx) });
        },
      });
      this.emitState(made);
      return made;
    }, opts.signal);
    if (opts.wait !== false) await waitReady(this.ctx.engine, w, { timeoutMs: opts.timeoutMs, signal: opts.signal });
    return this.view(w);
  }

  /**
   * Image defaults fill what the request leaves out (a field it names, even as null, is its own);
   * hub expiry rules apply. The request is parsed already: only the defaults used are checked here.
   */
  private withDefaults(request: ParsedRequest, raw: Record<string, unknown>, image: string, d: ImageDefaults): WorkspaceSpec {
    const s = settingsOf(this.ctx);
    const fill: Record<string, unknown> = {};
    for (const k of ['cpus', 'memory', 'shm', 'gpus'] as const) if (!(k in raw) && d[k] !== undefined) fill[k] = d[k];
    // No days (or "never") still lives at most the hub's maximum: the maximum applies to every create.
    const days = request.days ?? d.days ?? s.defaultDays ?? s.maxDays ?? undefined;
    if (typeof days === 'number' && s.maxDays !== null && days > s.maxDays) {
      throw new HubdeckError('invalid', `days: at most ${s.maxDays} days on this hub (got ${days})`, 'days');
    }
    if (request.days == null && days !== undefined) fill.days = days;
    return specOf({ ...request, ...parseWith(requestDefaultsSchema, fill), image }, { now: this.ctx.now() });
  }

  /** Quota then capacity; `isNew` counts the workspace itself against maxWorkspaces. */
  private async checkResources(user: UserRecord, spec: WorkspaceSpec, isNew: 0 | 1): Promise<void> {
    const [cap, listed] = await Promise.all([this.ctx.engine.capacity(), this.ctx.engine.list({ user: user.name })]);
    const mine = await Promise.all(listed.filter((w) => isNew || w.name !== spec.name).map((w) => this.withLimits(w)));
    const hostGpus = cap.nodes.reduce((m, n) => Math.max(m, n.gpus), 0);
    checkUserQuota(user.name, this.users.quotaOf(user), cap, spec, usageOf(user.name, mine, hostGpus), isNew);
    checkCapacity(cap, spec);
  }

  /** A listed workspace whose spec cannot be read: ask the engine for the limits it enforces. */
  private async withLimits(w: Workspace): Promise<Workspace> {
    if (w.spec || w.limits) return w;
    return (await this.ctx.engine.get(w)) ?? w;
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
      if (w.state !== 'running') {
        if (isExpired(w.expiresAt, this.ctx.now())) {
          throw new HubdeckError('conflict', `workspace "${ref.name}" of ${ref.user} expired at ${w.expiresAt}; extend it first (hubdeck workspace extend ${ref.name} --days N)`, 'days');
        }
        if (!w.spec && !w.limits) {
          throw new HubdeckError('conflict', `workspace "${ref.name}" of ${ref.user} cannot be started: ${w.specIssue ?? 'its spec cannot be read'}, and the engine does not report its limits`);
        }
        if (w.spec) await this.checkResources(user, w.spec, 0);
      }
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
    await this.ctx.engine.remove(ref, opts);
    this.feed.history.forget(ref.user, ref.name);
    this.ctx.bus.emit({ type: 'workspace.removed', user: ref.user, name: ref.name, at: stamp(this.ctx) });
  }

  /**
   * Pushes expiry N days past the later of now and the current expiry, within the hub maximum. The
   * new date lives on the engine's objects, so a hub rebuilt from scratch keeps it.
   */
  async extend(actor: Actor, ref: WorkspaceRef, body: unknown): Promise<WorkspaceView> {
    requireSelfOrAdmin(actor, ref.user, 'extend the workspaces');
    const { days } = parseWith(extendInput, body);
    const w = await this.mustGet(ref);
    if (!this.ctx.engine.capabilities.mutableExpiry) throw new HubdeckError('invalid', 'days: this engine cannot change the expiry of a workspace', 'days');
    const now = this.ctx.now();
    const from = w.expiresAt && !isExpired(w.expiresAt, now) ? new Date(w.expiresAt) : now;
    const expiresAt = expiresAtFromDays(days, from);
    const max = settingsOf(this.ctx).maxDays;
    if (max !== null && Date.parse(expiresAt) > now.getTime() + max * 86_400_000) {
      throw new HubdeckError('invalid', `days: workspaces may live at most ${max} days from now on this hub`, 'days');
    }
    const updated = await this.ctx.engine.setExpiry(ref, expiresAt);
    this.ctx.bus.emit({ type: 'workspace.extended', user: w.user, name: w.name, expiresAt, at: stamp(this.ctx) });
    return this.view(updated);
  }

  logs(actor: Actor, ref: WorkspaceRef, opts: LogOptions): AsyncIterable<string> {
    requireSelfOrAdmin(actor, ref.user, 'read the logs');
    return this.ctx.engine.logs(ref, opts);
  }

  stats(actor: Actor, ref: WorkspaceRef): Promise<WorkspaceStats> {
    requireSelfOrAdmin(actor, ref.user, 'see the stats');
    return this.ctx.engine.stats(ref);
  }

  /** Live stats for UIs: the hub samples the engine until the caller stops or the workspace stops. */
  async *watchStats(actor: Actor, ref: WorkspaceRef, opts: { intervalMs?: number; signal?: AbortSignal } = {}): AsyncIterable<WorkspaceStats> {
    requireSelfOrAdmin(actor, ref.user, 'see the stats');
    const interval = Math.min(60_000, Math.max(250, opts.intervalMs ?? 2000));
    while (!opts.signal?.aborted) {
      const started = Date.now();
      yield await this.ctx.engine.stats(ref);
      await sleep(Math.max(0, interval - (Date.now() - started)), opts.signal, 'resolve');
    }
  }

  /**
   * Live stats of every running workspace of a user (default: the caller) or, for admins with
   * `all`, of everyone, as one batch per interval. Samples are shared between streams (StatsFeed).
   */
  async *watchAllStats(actor: Actor, opts: { user?: string; all?: boolean; intervalMs?: number; signal?: AbortSignal } = {}): AsyncIterable<StatsBatch> {
    const user = opts.all ? null : opts.user ?? actor.user;
    if (user === null) {
      if (!actor.admin) throw new HubdeckError('forbidden', 'only admins may watch the stats of every workspace');
    } else requireSelfOrAdmin(actor, user, 'see the stats');
    const interval = Math.min(60_000, Math.max(1000, opts.intervalMs ?? 2000));
    while (!opts.signal?.aborted) {
      const started = Date.now();
      yield await this.feed.batch(user, interval);
      await sleep(Math.max(0, interval - (Date.now() - started)), opts.signal, 'resolve');
    }
  }

  /** The last `minutes` (default 60, at most a day) of a user's workspaces' use, or of everyone's (admins, `all`). */
  usageHistory(actor: Actor, opts: { user?: string; all?: boolean; minutes?: number } = {}): UsageSeries[] {
    const user = opts.all ? null : opts.user ?? actor.user;
    if (user === null) {
      if (!actor.admin) throw new HubdeckError('forbidden', 'only admins may see the usage of every workspace');
    } else requireSelfOrAdmin(actor, user, 'see the stats');
    // The feed stamps samples by the wall clock (its own default clock): read them by the same one.
    return this.feed.history.series(user, opts.minutes ?? 60, Date.now());
  }

  /** One round of samples of every running workspace, for the history (the maintenance tick; shares a fresh round with open streams). */
  async sampleUsage(): Promise<void> {
    await this.feed.batch(null, 30_000);
  }

  emitState(w: Workspace): void {
    this.ctx.bus.emit({ type: 'workspace.state', user: w.user, name: w.name, state: w.state, at: stamp(this.ctx) });
  }
}


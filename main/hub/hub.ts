/**
 * The hub: users, tokens, keys, images, settings and workspaces over one engine, with expiry,
 * culling and cleanup on timers. It runs inside the desktop app or headless (`hubdeck hub serve`);
 * clients reach it in-process or over the REST API — both through the same actor checks.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { parseWith } from '../core/validation';
import { settingsInput } from '../api/requests';
import { DEFAULT_IMAGE } from '../core/workspace-spec';
import { HUBDECK_VERSION } from '../core/version';
import type { Capacity, WorkspaceEngine, WorkspaceRef } from '../engine/engine';
import { HubdeckError, ValidationError } from '../core/errors';
import { workspaceBaseUrl } from '../core/names';
import { WORKSPACE_SIGN_IN_PATH, workspaceOrigin, workspaceUrl, type WebAccess } from '../core/workspace-origin';
import type { CreatedToken, HubInfo, Settings as SettingsView, WorkspaceSignIn } from '../api/dto';
import { HUBDECK_CAPABILITIES } from '../api/capabilities';
import { requireAdmin, systemActor, type Actor } from './actor';
import { EventBus } from './hub-events';
import { HubStore } from './hub-store';
import { DEFAULT_SETTINGS, STATE_VERSION, type HubState, type Settings } from './hub-state';
import type { HubContext } from './hub-context';
import { UserService } from './user-service';
import { TokenService } from './token-service';
import { KeyService } from './key-service';
import { ImageService } from './image-service';
import { WorkspaceService } from './workspace-service';
import { Maintenance, type ReconcileReport } from './maintenance';
import { WorkspaceAccess } from './workspace-access';
import { SessionService } from './session-service';
import { InviteService } from './invite-service';
import { jupyterActivityProbe, type AppActivityProbe } from './app-activity';
import { loadHostKey, type HostKeys } from './host-key';
import { settingsToWire } from './to-wire';
import { AuditLog } from './audit-log';

export interface HubOptions {
  /**
   * The engine, or a factory given the hub's origin (the hub then owns it and closes it). With an
   * instance, the instance's origin is the hub's.
   */
  engine: WorkspaceEngine | ((origin: string) => Promise<WorkspaceEngine>);
  dataDir: string;
  /** Overrides the stored origin (tests, `--origin`). */
  origin?: string;
  /** The origin a hub from before stored origins used (its workspaces carry it): "local" or "hub". */
  legacyOrigin?: string;
  now?: () => Date;
  log?: (message: string) => void;
  appActivity?: AppActivityProbe;
  /** Settings for a brand-new hub (e.g. autoCreateUsers for the desktop's local hub). */
  initialSettings?: Partial<Settings>;
  /** The first admin's name on a brand-new hub. */
  adminName?: string;
  /** The hub part of ssh host aliases; default the hub id ("hubdeck" for the local hub). */
  sshAlias?: string;
  /** false: no reconcile at open (its report is null): a CLI command's local hub never reads it. */
  reconcile?: false;
}

export interface HubStart<R extends ReconcileReport | null = ReconcileReport> {
  hub: Hub;
  /** Set on first start only: the first admin's token, to print once. */
  adminToken: CreatedToken | null;
  reconcile: R;
}

export class Hub {
  readonly users: UserService;
  readonly tokens: TokenService;
  readonly keys: KeyService;
  readonly images: ImageService;
  readonly workspaces: WorkspaceService;
  readonly maintenance: Maintenance;
  /** Into workspaces (proxy, SSH, terminal), authorized per user; the access layer's only door. */
  readonly access: WorkspaceAccess;
  /** Browser sessions and one-time login codes. */
  readonly sessions: SessionService;
  /** One-time invites a teammate trades for a token (joining a shared hub). */
  readonly invites: InviteService;
  readonly bus: EventBus;
  /** Who did what, kept in the hub's database (audit-log.ts). */
  readonly audit: AuditLog;
  private timers: NodeJS.Timeout[] = [];
  private hostKeyLoad: Promise<HostKeys> | null = null;
  private described: { at: number; capacity: Promise<Capacity> } | null = null;
  /** Where this process serves the SSH gateway ("host:port"), once it does. */
  private sshAt: string | null = null;
  /** Where this process serves the hub's web pages and its workspaces' origins, once it does. */
  private webAt: WebAccess | null = null;
  private sshAlias: string | undefined;
  private tickMs = 60_000;

  private constructor(private readonly ctx: HubContext, appActivity: AppActivityProbe | undefined, private readonly ownsEngine: boolean) {
    this.bus = ctx.bus;
    this.audit = ctx.audit;
    this.users = new UserService(ctx);
    this.tokens = new TokenService(ctx, this.users);
    this.keys = new KeyService(ctx, this.users);
    this.images = new ImageService(ctx);
    this.workspaces = new WorkspaceService(ctx, this.users, this.images, () => this.web);
    this.maintenance = new Maintenance(ctx, this.workspaces, appActivity ?? jupyterActivityProbe(ctx.engine), this.tokens);
    this.access = new WorkspaceAccess(ctx, this.users, this.maintenance);
    this.sessions = new SessionService(ctx, this.users, (id) => this.tokens.isLive(id));
    this.invites = new InviteService(ctx, this.users, this.tokens);
  }

  /** Opens (or creates) the hub in `dataDir` and reconciles with the engine. */
  static open(o: HubOptions & { reconcile: false }): Promise<HubStart<null>>;
  static open(o: HubOptions): Promise<HubStart>;
  static async open(o: HubOptions): Promise<HubStart<ReconcileReport | null>> {
    const now = o.now ?? (() => new Date());
    const store = new HubStore(o.dataDir);
    const given = typeof o.engine === 'function' ? null : o.engine;
    let fresh = false;
    await store.load(() => {
      fresh = true;
      return freshState(o.origin ?? given?.origin, now(), o.initialSettings);
    });
    const origin = given?.origin ?? o.origin ?? (await storedOrigin(store, o.legacyOrigin));
    const engine = given ?? (await (o.engine as (origin: string) => Promise<WorkspaceEngine>)(origin));
    const log = o.log ?? (() => undefined);
    const hub = new Hub({ engine, store, bus: new EventBus(), audit: new AuditLog(store, now, log), now, log }, o.appActivity, !given);
    hub.sshAlias = o.sshAlias;
    let adminToken: CreatedToken | null = null;
    if (fresh) {
      const admin = o.adminName ?? 'admin';
      await hub.users.ensure(admin, { admin: true, selfService: true });
      adminToken = await hub.tokens.issue(admin, { note: 'first admin token', scope: 'admin', expiresInDays: null });
    }
    await hub.maintenance.moveLegacyExpiry();
    await hub.invites.moveLegacyFile();
    return { hub, adminToken, reconcile: o.reconcile === false ? null : await hub.maintenance.reconcile() };
  }

  get id(): string {
    return this.ctx.store.current.hubId;
  }

  /** The label on everything this hub creates. */
  get origin(): string {
    return this.ctx.engine.origin;
  }

  async info(actor: Actor): Promise<HubInfo> {
    const { engine } = this.ctx;
    const [{ description, nodes }, key] = await Promise.all([this.engineCapacity(), this.hostKey()]);
    return {
      hubId: this.id, version: HUBDECK_VERSION,
      engine: { kind: engine.kind, description, capabilities: engine.capabilities, nodes },
      user: { name: actor.user, admin: actor.admin }, capabilities: HUBDECK_CAPABILITIES,
      ssh: {
        hostKey: key.publicKey, fingerprint: key.fingerprint, listen: this.sshAt, alias: this.sshAlias ?? this.id,
        hostKeys: key.keys.map((k) => ({ key: k.publicKey, fingerprint: k.fingerprint })),
      },
      web: webInfo(this.web),
    };
  }

  /**
   * Recorded by the first server of the hub's web pages (the desktop's loopback one, `hub serve`'s):
   * the addresses in-process callers get. A request through any server sees that server's own
   * (`webScope`): a teammate on the LAN is given addresses they can reach.
   */
  webListening(web: WebAccess | null): void {
    this.webAt = web;
  }

  /** Runs `fn` (a request's handling) with the web access of the server it came through. */
  readonly webScope = new AsyncLocalStorage<WebAccess>();

  get web(): WebAccess | null {
    return this.webScope.getStore() ?? this.webAt;
  }

  /**
   * A one-time sign-in to a workspace's own origin for someone allowed into it: the code makes a
   * session good for that workspace only, ending with the credentials that asked for it.
   */
  async workspaceSignIn(actor: Actor, ref: WorkspaceRef): Promise<WorkspaceSignIn> {
    this.access.authorize(actor, ref);
    // A link to nothing would only fail later, in a browser: say so here.
    await this.workspaces.get(actor, ref);
    const web = this.web;
    if (!web) throw new HubdeckError('unavailable', 'no process serves this hub\'s web pages: open workspaces from the app, hubdeck ui or hub serve');
    const next = workspaceBaseUrl(ref.user, ref.name);
    const { code, expiresAt } = this.sessions.createLoginCode(actor, { scope: ref, next });
    const signInUrl = `${workspaceOrigin(web, ref)}${WORKSPACE_SIGN_IN_PATH}?code=${encodeURIComponent(code)}`;
    return { url: workspaceUrl(web, ref), signInUrl, code, expiresAt };
  }

  /**
   * What the engine says it is (version, host) and its nodes, asked at most every 10 s: every client asks for
   * `info` when it connects, and an engine round trip each time made the hub's cheapest answer
   * as slow as the engine (and as busy as it, under load).
   */
  private engineCapacity(): Promise<Capacity> {
    const now = this.ctx.now().getTime();
    if (!this.described || now - this.described.at > 10_000) {
      const capacity = this.ctx.engine.capacity();
      this.described = { at: now, capacity };
      capacity.catch(() => { if (this.described?.capacity === capacity) this.described = null; });
    }
    return this.described.capacity;
  }

  /** What the SSH gateway asks of the settings on each connection and session (read as they are now). */
  sshSettings(): { agentForwarding: boolean; ecdsaHostKey: boolean } {
    const s = this.ctx.store.current.settings;
    return { agentForwarding: s.sshAgentForwarding, ecdsaHostKey: s.sshEcdsaHostKey };
  }

  /** The hub's SSH host keys, made on first use and kept in its data directory. */
  hostKey(): Promise<HostKeys> {
    this.hostKeyLoad ??= loadHostKey(this.ctx.store.dir);
    // A failed load is not remembered: fixing the file and asking again works.
    this.hostKeyLoad.catch(() => { this.hostKeyLoad = null; });
    return this.hostKeyLoad;
  }

  /** Recorded by whoever serves the SSH gateway on a port, for `hub info` and `ssh-config`. */
  sshListening(at: string | null): void {
    this.sshAt = at;
  }

  /** Any signed-in user may see what the engine can hold (the UI shows limits against it). */
  capacity(_actor: Actor): Promise<Capacity> {
    return this.ctx.engine.capacity();
  }

  settings(actor: Actor): SettingsView {
    requireAdmin(actor, 'see hub settings');
    return settingsToWire(this.ctx.store.current.settings);
  }

  async updateSettings(actor: Actor, body: unknown): Promise<SettingsView> {
    requireAdmin(actor, 'change hub settings');
    const patch = parseWith(settingsInput, body);
    const settings = await this.ctx.store.mutate((s) => {
      const { defaultQuota, ...rest } = patch;
      if (rest.defaultImage && !s.images.some((i) => i.name === rest.defaultImage)) {
        throw new ValidationError('defaultImage', `no image is named "${rest.defaultImage}" on this hub; add it first (Images)`);
      }
      s.settings = { ...s.settings, ...rest };
      if (defaultQuota) s.settings.defaultQuota = Object.fromEntries(Object.entries(defaultQuota).filter(([, v]) => v !== undefined));
      return settingsToWire(s.settings);
    });
    // A changed cleanup interval takes effect now, not at the next start.
    if (this.timers.length) this.startTimers();
    return settings;
  }

  /** Starts the expiry/culling tick and the cleanup interval. */
  startTimers(tickMs = this.tickMs): void {
    this.stopTimers();
    this.tickMs = tickMs;
    const tick = setInterval(() => void this.maintenance.tick().catch((e: Error) => this.ctx.log(`tick failed: ${e.message}`)), tickMs);
    this.timers.push(tick);
    const minutes = this.ctx.store.current.settings.cleanupIntervalMinutes;
    if (minutes) {
      this.timers.push(setInterval(() => void this.maintenance.cleanup(systemActor('cleanup')).catch((e: Error) => this.ctx.log(`cleanup failed: ${e.message}`)), minutes * 60_000));
    }
    for (const t of this.timers) t.unref();
  }

  stopTimers(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  async close(): Promise<void> {
    this.stopTimers();
    this.access.holds.close();
    // What was recorded last (the request that stopped us) is written before the database closes.
    await this.audit.flush().catch((e: Error) => this.ctx.log(`audit log: ${e.message}`));
    this.ctx.store.close();
    if (this.ownsEngine) await this.ctx.engine.close();
  }
}

/**
 * The hub's origin from its data: stored since hubs got their own; a hub from before used a fixed
 * one (its workspaces carry it), which is recorded now so it never changes again.
 */
async function storedOrigin(store: HubStore, legacy: string | undefined): Promise<string> {
  const stored = store.current.origin;
  if (stored) return stored;
  const origin = legacy ?? 'hub';
  await store.mutate((s) => { s.origin ??= origin; });
  return store.current.origin!;
}

function freshState(origin: string | undefined, now: Date, settings: Partial<Settings> | undefined): HubState {
  // A new hub's id is its origin: unique per hub, so two hubs sharing an engine never collide.
  const hubId = origin ?? `hub-${randomBytes(4).toString('hex')}`;
  return {
    version: STATE_VERSION,
    hubId,
    origin: hubId,
    createdAt: now.toISOString(),
    users: [],
    groups: [],
    tokens: [],
    images: [{ name: 'jupyter', ref: DEFAULT_IMAGE, displayName: 'Jupyter (base notebook)', access: { users: [], groups: [] }, defaults: {} }],
    settings: { ...DEFAULT_SETTINGS, ...settings },
    expiry: [],
    deletedUsers: [],
    invites: [],
    shared: null,
  };
}

/** What `hub info` says of where pages are. */
function webInfo(web: WebAccess | null): HubInfo['web'] {
  if (!web) return null;
  return { hub: web.hub, workspaceHost: web.mode === 'host' ? `*.${web.suffix}` : null };
}

/**
 * The hub's background duties: warn before expiry and enforce it (stop or remove), cull idle
 * workspaces, sweep what cleanup finds, and reconcile engine state with users at start-up. All take
 * the injected clock, so tests drive them with a fake time instead of waiting.
 */
import { msUntilExpiry } from '../core/expiry';
import type { WorkspaceRef } from '../engine/engine';
import { requireAdmin, systemActor, type Actor } from './actor';
import { settingsOf, stamp, type HubContext } from './hub-context';
import type { WorkspaceService } from './workspace-service';
import type { CleanupReport, WorkspaceView } from '../api/dto';
import { planCleanup } from './cleanup-plan';
import { shouldCull, idleMinutes } from './idle';
import type { AppActivityProbe } from './app-activity';
import type { TokenService } from './token-service';

export interface ReconcileReport {
  workspaces: number;
  orphaned: { user: string; name: string; state: string }[];
}

export interface TickReport {
  warned: string[];
  expired: string[];
  culled: string[];
  /** Expired API tokens removed from the store. */
  tokensPurged: number;
  /** Audit log entries past the retention setting, removed (bounded per tick: a backlog takes several). */
  auditPurged: number;
}

const key = (r: WorkspaceRef) => `${r.user}/${r.name}`;

export class Maintenance {
  /** Warnings already sent, keyed by workspace id and expiry, so an extension warns again. */
  private readonly warned = new Set<string>();
  private readonly lastAccess = new Map<string, number>();
  private readonly sessions = new Map<string, number>();

  constructor(
    private readonly ctx: HubContext,
    private readonly workspaces: WorkspaceService,
    private readonly appActivity: AppActivityProbe,
    private readonly tokens: TokenService,
  ) {}

  /** The access layer reports proxy requests and SSH traffic here. */
  recordActivity(ref: WorkspaceRef, at: Date = this.ctx.now()): void {
    this.lastAccess.set(key(ref), Math.max(at.getTime(), this.lastAccess.get(key(ref)) ?? 0));
  }

  sessionOpened(ref: WorkspaceRef): () => void {
    this.sessions.set(key(ref), (this.sessions.get(key(ref)) ?? 0) + 1);
    this.recordActivity(ref);
    return () => {
      this.sessions.set(key(ref), Math.max(0, (this.sessions.get(key(ref)) ?? 1) - 1));
      this.recordActivity(ref);
    };
  }

  async tick(): Promise<TickReport> {
    const report: TickReport = { warned: [], expired: [], culled: [], tokensPurged: await this.tokens.purgeExpired(), auditPurged: await this.purgeAudit() };
    // The usage history's regular round (a chart of the last hour must not depend on a page being open).
    await this.workspaces.sampleUsage().catch((e: Error) => this.ctx.log(`usage sample failed: ${e.message}`));
    const all = (await this.ctx.engine.list()).map(this.workspaces.viewer()).filter((w) => !w.orphaned);
    for (const w of all) {
      try {
        await this.enforceExpiry(w, report);
        await this.maybeCull(w, report);
      } catch (e) {
        this.ctx.log(`maintenance of ${key(w)} failed: ${(e as Error).message}`);
      }
    }
    return report;
  }

  /** A change the hub made by itself (expiry, culling), in the audit log as its cleanup job's. */
  private recordSystem(action: string, w: WorkspaceRef, reason: string): void {
    this.ctx.audit.record({ actor: systemActor('cleanup'), action, object: { type: 'workspace', name: key(w) }, workspace: { user: w.user, name: w.name }, outcome: 'ok', reason });
  }

  /** The audit log's retention: entries older than the setting's days go, in bounded batches. */
  private async purgeAudit(): Promise<number> {
    const days = settingsOf(this.ctx).auditRetentionDays;
    if (days === null) return 0;
    return this.ctx.audit.purge(new Date(this.ctx.now().getTime() - days * 86_400_000)).catch((e: Error) => {
      this.ctx.log(`audit log retention failed: ${e.message}`);
      return 0;
    });
  }

  private async enforceExpiry(w: WorkspaceView, report: TickReport): Promise<void> {
    const left = msUntilExpiry(w.expiresAt, this.ctx.now());
    if (left === null) return;
    const s = settingsOf(this.ctx);
    if (left <= 0) {
      // The tick's list may be seconds old: an extend made meanwhile wins.
      const current = await this.ctx.engine.get(w);
      if (!current || (msUntilExpiry(current.expiresAt, this.ctx.now()) ?? 1) > 0) return;
      if (s.expiryAction === 'remove') await this.ctx.engine.remove(w);
      else if (w.state === 'running' || w.state === 'restarting') await this.ctx.engine.stop(w);
      else return; // already stopped: nothing to enforce, nothing to announce again
      report.expired.push(key(w));
      this.recordSystem('workspace.expire', w, s.expiryAction === 'remove' ? 'removed at expiry' : 'stopped at expiry');
      const kept = s.expiryAction === 'remove' ? { volumeKept: current.volume !== null } : {};
      this.ctx.bus.emit({ type: 'workspace.expired', user: w.user, name: w.name, action: s.expiryAction, ...kept, at: stamp(this.ctx) });
      return;
    }
    const warnKey = `${w.id}@${w.expiresAt}`;
    if (left <= s.expiryWarningHours * 3_600_000 && !this.warned.has(warnKey)) {
      this.warned.add(warnKey);
      report.warned.push(key(w));
      this.ctx.bus.emit({ type: 'workspace.expiring', user: w.user, name: w.name, expiresAt: w.expiresAt!, at: stamp(this.ctx) });
    }
  }

  private async maybeCull(w: WorkspaceView, report: TickReport): Promise<void> {
    const timeout = settingsOf(this.ctx).idleCullMinutes;
    if (timeout === null || w.state !== 'running') return;
    const last = this.lastAccess.get(key(w));
    const app = await this.appActivity(w, w.baseUrl, w.spec?.webPort ?? 8888).catch(() => null);
    // list() has no start time; a workspace started a minute ago is not idle since its creation.
    const startedAt = w.startedAt ?? (await this.ctx.engine.get(w))?.startedAt ?? w.createdAt;
    const snapshot = {
      now: this.ctx.now(),
      startedAt,
      lastAccess: last ? new Date(last).toISOString() : null,
      openSessions: this.sessions.get(key(w)) ?? 0,
      app,
    };
    if (!shouldCull(snapshot, timeout)) return;
    await this.ctx.engine.stop(w);
    report.culled.push(key(w));
    this.recordSystem('workspace.cull', w, `stopped after ${timeout} idle minutes`);
    this.ctx.bus.emit({ type: 'workspace.culled', user: w.user, name: w.name, idleMinutes: Math.floor(idleMinutes(snapshot) ?? timeout), at: stamp(this.ctx) });
  }

  async cleanup(actor: Actor, opts: { dryRun?: boolean } = {}): Promise<CleanupReport> {
    requireAdmin(actor, 'run cleanup');
    const dryRun = opts.dryRun ?? false;
    const resources = await this.ctx.engine.resources();
    const users = new Set(this.ctx.store.current.users.map((u) => u.name));
    const deleted = new Set(this.ctx.store.current.deletedUsers.map((d) => d.name));
    const expiry = new Map<string, string>();
    for (const w of (await this.ctx.engine.list()).map(this.workspaces.viewer())) if (w.expiresAt) expiry.set(key(w), w.expiresAt);
    const plan = planCleanup({ resources, users, deleted, expiry, now: this.ctx.now() });
    const report: CleanupReport = { dryRun, items: [], errors: [] };
    for (const { resource: r, reason } of plan) {
      report.items.push({ kind: r.kind, name: r.name, user: r.user, workspace: r.workspace, reason });
      if (dryRun) continue;
      await this.ctx.engine.removeResource(r).catch((e: Error) => report.errors.push(`${r.kind} ${r.name}: ${e.message}`));
    }
    this.ctx.bus.emit({ type: 'cleanup.done', user: null, removed: dryRun ? 0 : report.items.length - report.errors.length, dryRun, at: stamp(this.ctx) });
    return report;
  }

  /**
   * Hubs before engine-side expiry kept extensions in their store, keyed by workspace id: put each
   * on its workspace (if it still exists) and forget it, so the engine is the one source of truth.
   */
  async moveLegacyExpiry(): Promise<void> {
    const legacy = this.ctx.store.current.expiry;
    if (!legacy.length) return;
    const byId = new Map((await this.ctx.engine.list()).map((w) => [w.id, w]));
    for (const e of legacy) {
      const w = byId.get(e.workspaceId);
      if (w && w.expiresAt !== e.expiresAt) await this.ctx.engine.setExpiry(w, e.expiresAt);
    }
    await this.ctx.store.mutate((s) => { s.expiry = []; });
  }

  /** What the engine holds versus who the hub knows: orphans are reported, never adopted or deleted. */
  async reconcile(): Promise<ReconcileReport> {
    const all = (await this.ctx.engine.list()).map(this.workspaces.viewer());
    return {
      workspaces: all.length,
      orphaned: all.filter((w) => w.orphaned).map((w) => ({ user: w.user, name: w.name, state: w.state })),
    };
  }
}

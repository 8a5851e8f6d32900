/**
 * The audit log: who (user, token id, address) did what to which object, when, and how it ended,
 * kept in the hub's database (audit-table.ts) for every state change, sign-in and refusal.
 *
 * Recording never makes a request wait: entries queue in memory and are written together on the
 * next turn of the event loop, in one transaction (one fsync for a burst, not one each). Reads
 * write the queue first, so a caller always sees its own doing. Refusals are bounded per client
 * (audit-budget.ts); old entries go in bounded batches (purge, from the maintenance tick).
 * The client's address comes from the request being answered (`scope`, set by the server).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type Database from 'better-sqlite3';
import type { AuditFilter, AuditOutcome, AuditPage } from '../api/audit-dto';
import type { WorkspaceRef } from '../engine/engine';
import type { Actor } from './actor';
import type { HubStore } from './hub-store';
import { RefusalBudget } from './audit-budget';
import { AUDIT_CSV_HEADER, auditCsv, auditJsonItems } from './audit-export';
import { auditPageQuery, INSERT_AUDIT, PURGE_AUDIT, type AuditCursor, type AuditRow, type NewAuditRow } from './audit-table';
import { auditToWire } from './to-wire';

export interface AuditEvent {
  /** Who acted; null: nobody was authenticated. */
  actor: Actor | null;
  action: string;
  object: { type: string; name: string };
  workspace?: WorkspaceRef | null;
  outcome: AuditOutcome;
  code?: string | null;
  reason?: string | null;
}

/** Entries waiting to be written at most; past it (the database locked for seconds) they are counted and dropped. */
const MAX_PENDING = 10_000;
const EXPORT_PAGE = 1000;
const MAX_TEXT = 500;
const clip = (s: string | null | undefined, max = MAX_TEXT) => (s === null || s === undefined ? null : s.length > max ? `${s.slice(0, max - 1)}…` : s);

export class AuditLog {
  /** The request being answered: its client's address (hub-server.ts runs each request in it). */
  readonly scope = new AsyncLocalStorage<{ address: string }>();
  private pending: NewAuditRow[] = [];
  private writing: Promise<void> | null = null;
  private scheduled = false;
  private dropped = 0;
  private readonly budget: RefusalBudget;
  private insert: { db: Database.Database; stmt: Database.Statement } | null = null;

  constructor(private readonly store: HubStore, private readonly now: () => Date, private readonly log: (m: string) => void) {
    this.budget = new RefusalBudget(() => now().getTime());
  }

  /** Queues an entry (refusals within their budget); written on the next turn of the event loop. */
  record(e: AuditEvent): void {
    const address = this.scope.getStore()?.address ?? null;
    let reason = e.reason ?? null;
    if (e.outcome === 'refused') {
      // Counted per client and user: one account's refusals do not use up its neighbours' budget.
      const admitted = this.budget.admit(`${address ?? 'in-process'} ${e.actor?.user ?? ''}`);
      if (!admitted) return;
      if (admitted.skipped) reason = `${reason ?? 'refused'} (and ${admitted.skipped} similar refusals before it, not recorded)`;
    }
    if (this.pending.length >= MAX_PENDING) {
      if (this.dropped++ === 0) this.log('audit log: the database is not taking entries; dropping them until it does');
      return;
    }
    const via = e.actor?.via;
    this.pending.push({
      time: this.now().getTime(), user: e.actor?.user || null, token_id: via?.kind === 'token' ? via.id : null, address,
      action: e.action, object_type: e.object.type, object_name: clip(e.object.name, 200) ?? '',
      ws_owner: e.workspace?.user ?? null, ws_name: e.workspace?.name ?? null,
      outcome: e.outcome, code: e.code ?? null, reason: clip(reason),
    });
    this.schedule();
  }

  /**
   * A sign-in through any door (a token or password form, a one-time code, single sign-on): `user`
   * is who it was for, when known; `actor` who signed in (null when refused).
   */
  signIn(actor: Actor | null, user: string, outcome: AuditOutcome, reason: string, code: string | null = null, workspace: WorkspaceRef | null = null): void {
    this.record({ actor, action: 'session.sign-in', object: workspace ? { type: 'workspace', name: `${workspace.user}/${workspace.name}` } : { type: 'user', name: user }, workspace, outcome, code, reason });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush().catch((err: Error) => this.log(`audit log: could not write entries: ${err.message}`));
    });
  }

  /** Writes every queued entry (one transaction); resolves once they are in the database. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing.catch(() => undefined);
    if (!this.pending.length) return;
    const rows = this.pending;
    this.pending = [];
    this.writing = this.store.writeTables((db) => {
      const stmt = this.insertOn(db);
      for (const r of rows) stmt.run(r);
    }).finally(() => { this.writing = null; });
    await this.writing;
    if (this.dropped) this.log(`audit log: ${this.dropped} entries were dropped while the database was busy`);
    this.dropped = 0;
  }

  private insertOn(db: Database.Database): Database.Statement {
    if (this.insert?.db !== db) this.insert = { db, stmt: db.prepare(INSERT_AUDIT) };
    return this.insert.stmt;
  }

  /** One page, newest first, continuing after entry `before` (a page's `next`). */
  async page(f: AuditFilter, before: number | undefined, limit: number): Promise<AuditPage> {
    await this.flush();
    return this.store.readTables((db) => {
      const cursor = before === undefined ? null : this.cursorOf(db, before);
      // The entry a cursor names is gone (retention took it, and all older with it): nothing follows.
      if (cursor === undefined) return { entries: [], next: null };
      const rows = this.rows(db, f, cursor, limit + 1);
      return { entries: rows.slice(0, limit).map(auditToWire), next: rows.length > limit ? rows[limit - 1]!.id : null };
    });
  }

  /**
   * The filtered log as text chunks (CSV, or one JSON array), read a page at a time by cursor: the
   * table is never in memory at once, and nothing holds the database between chunks.
   */
  async *exportText(f: AuditFilter, format: 'csv' | 'json', limit = Infinity): AsyncGenerator<string> {
    await this.flush();
    yield format === 'csv' ? AUDIT_CSV_HEADER : '[\n';
    let cursor: AuditCursor | null = null;
    let left = limit;
    let first = true;
    while (left > 0) {
      const n = Math.min(EXPORT_PAGE, left);
      const rows = this.store.readTables((db) => this.rows(db, f, cursor, n));
      if (!rows.length) break;
      const entries = rows.map(auditToWire);
      yield format === 'csv' ? auditCsv(entries) : auditJsonItems(entries, first);
      first = false;
      left -= rows.length;
      const last = rows[rows.length - 1]!;
      cursor = { time: last.time, id: last.id };
      if (rows.length < n) break;
    }
    if (format === 'json') yield '\n]\n';
  }

  /**
   * Deletes entries older than `before`, `batch` at a time with the event loop free in between
   * (at most `maxBatches`: a backlog is worked off over several ticks). Answers how many went.
   */
  async purge(before: Date, batch = 500, maxBatches = 100): Promise<number> {
    await this.flush();
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      const n = await this.store.writeTables((db) => db.prepare(PURGE_AUDIT).run(before.getTime(), batch).changes);
      total += n;
      if (n < batch) break;
      await new Promise((r) => setImmediate(r));
    }
    return total;
  }

  private rows(db: Database.Database, f: AuditFilter, cursor: AuditCursor | null, limit: number): AuditRow[] {
    const q = auditPageQuery(f, cursor, limit);
    return db.prepare(q.sql).all(...q.params) as AuditRow[];
  }

  private cursorOf(db: Database.Database, id: number): AuditCursor | undefined {
    return db.prepare('SELECT time, id FROM audit WHERE id = ?').get(id) as AuditCursor | undefined;
  }
}

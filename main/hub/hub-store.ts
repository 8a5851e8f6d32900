/**
 * The hub's data: users, groups, tokens, images and settings in one SQLite database (hub.db, WAL).
 * Chosen over the earlier hub.json because a JSON file is rewritten whole on every change: at
 * 10,000 users × 10 tokens (31 MB) each write blocked the event loop ~0.7 s (`npm run bench:store`).
 * Here a write is one transaction of the rows that changed (found by reference: stored rows are
 * frozen and replaced, never edited in place), a fraction of a millisecond.
 *
 * Several processes share it (the desktop app, the CLI, a server): SQLite's own locks serialise
 * writers, a writer killed mid-write leaves nothing to clean (the OS drops its lock, the WAL rolls
 * back), and every read notices another process's commit (PRAGMA data_version) and reloads.
 * A hub.json from before is migrated once, then kept as hub.json.migrated; later one-time
 * migrations (invites.json) are counted by the database's own PRAGMA user_version.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StorageError } from '../core/errors';
import type { HubState } from './hub-state';
import { readLegacyJson, removeStaleTemps } from './legacy-json-store';
import { AUDIT_TABLE } from './audit-table';
import { deepFreeze, diffStates, draftOf, parseState, rowsOf, stateOfRows, type Changes, type Row } from './store-rows';

const LOCK_WAIT_MS = 10_000;
const DAMAGED = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_SEQUENCE']);

export class HubStore {
  readonly file: string;
  private db: Database.Database | null = null;
  private state: HubState | null = null;
  /** PRAGMA data_version when `state` was read: it moves when another connection commits. */
  private seen = -1;
  /** The data_version whose content failed to load, and why: one copy and one parse per damage. */
  private damaged: { version: number; error: StorageError } | null = null;

  constructor(readonly dir: string) {
    this.file = path.join(dir, 'hub.db');
  }

  /** Opens the database: loads it, migrates hub.json into it, or creates it with `fresh()`. */
  async load(fresh: () => HubState): Promise<HubState> {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    removeStaleTemps(this.dir, 'hub.json'); // debris of hub.json writers from before
    fs.closeSync(fs.openSync(this.file, 'a', 0o600)); // made 0600 before SQLite creates it 0644
    const db = await this.whenFree(() => this.guard(() => this.open()));
    this.db = db;
    const legacy = path.join(this.dir, 'hub.json');
    let migrated = false;
    await this.whenFree(() => this.guard(() => db.transaction(() => {
      if (this.readRows() !== null) return;
      const first = fs.existsSync(legacy) ? readLegacyJson(legacy) : fresh();
      migrated = fs.existsSync(legacy);
      this.write({ upserts: rowsOf(first), deletes: [] });
    }).immediate()));
    if (migrated) fs.renameSync(legacy, `${legacy}.migrated`);
    this.reload();
    return this.current;
  }

  private open(): Database.Database {
    // No busy timeout: SQLite would sleep in this thread; mutate() waits asynchronously instead.
    const db = new Database(this.file, { timeout: 0 });
    try {
      db.pragma('journal_mode = WAL');
      // FULL: a change the API has confirmed survives a power cut, not only a crash.
      db.pragma('synchronous = FULL');
      db.exec('CREATE TABLE IF NOT EXISTS records (kind TEXT NOT NULL, key TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (kind, key))');
      // The audit log (audit-log.ts): its own table, so its entries never enter the state's reload.
      db.exec(AUDIT_TABLE);
      return db;
    } catch (e) {
      db.close();
      throw e;
    }
  }

  private get conn(): Database.Database {
    if (!this.db) throw new Error('hub store not loaded');
    return this.db;
  }

  /** The rows in insertion order (rowid: upserts keep theirs), or null for an empty database. */
  private readRows(): unknown {
    return stateOfRows(this.conn.prepare('SELECT kind, key, body FROM records ORDER BY rowid').iterate() as Iterable<Row>);
  }

  private reload(): void {
    const version = this.conn.pragma('data_version', { simple: true }) as number;
    if (this.damaged?.version === version) throw this.damaged.error;
    const raw = this.guard(() => this.readRows());
    const parsed = raw === null ? { ok: false as const, why: 'has no hub in it' } : parseState(raw);
    if (!parsed.ok) {
      this.damaged = { version, error: this.refuse(parsed.why) };
      throw this.damaged.error;
    }
    this.state = deepFreeze(parsed.state);
    this.seen = version;
    this.damaged = null;
  }

  /** Reloads if another process committed since we last read. */
  private refresh(): void {
    const version = this.guard(() => this.conn.pragma('data_version', { simple: true }) as number);
    if (version !== this.seen) this.reload();
  }

  get current(): HubState {
    this.refresh();
    return this.state!;
  }

  /**
   * Applies `fn` to a draft of the latest state and commits what changed, in one write
   * transaction (so it starts from any other process's last commit). `fn` replaces rows rather
   * than editing them: stored rows are frozen. A throw from `fn` writes nothing.
   */
  mutate<T>(fn: (s: HubState) => T): Promise<T> {
    return this.whenFree(() => this.mutateNow(fn));
  }

  /**
   * A one-time data migration: `fn` changes a draft as in mutate(), in the same write transaction
   * that raises the store's schema version (PRAGMA user_version) to `version`. However many
   * processes open the store at once, exactly one applies it. Answers whether this one did.
   */
  async migrateOnce(version: number, fn: (s: HubState) => void): Promise<boolean> {
    // Done already (every open after the first): answered without taking the write lock.
    if (this.guard(() => this.conn.pragma('user_version', { simple: true }) as number) >= version) return false;
    return this.whenFree(() => {
      try {
        return this.guard(() => this.conn.transaction(() => {
          if ((this.conn.pragma('user_version', { simple: true }) as number) >= version) return false;
          this.mutateNow(fn); // nested: a savepoint of this transaction
          this.conn.pragma(`user_version = ${Math.floor(version)}`);
          return true;
        }).immediate());
      } catch (e) {
        this.seen = -1; // the draft mutateNow kept was rolled back with the rest: read again
        throw e;
      }
    });
  }

  /**
   * A write transaction on the tables beside the state (the audit log), waiting like mutate() while
   * another process holds the lock. Our own commits leave PRAGMA data_version alone: the state is
   * not reloaded for them.
   */
  writeTables<T>(fn: (db: Database.Database) => T): Promise<T> {
    return this.whenFree(() => this.guard(() => this.conn.transaction(() => fn(this.conn)).immediate()));
  }

  /** A read of the tables beside the state (WAL: readers never wait for a writer). */
  readTables<T>(fn: (db: Database.Database) => T): T {
    return this.guard(() => fn(this.conn));
  }

  /** Runs `fn` (one database call) until no other process holds the lock it needs. */
  private async whenFree<T>(fn: () => T): Promise<T> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
      try {
        return fn();
      } catch (e) {
        // Another process is committing (or stuck mid-write): wait without blocking the event
        // loop, unlike SQLite's own busy timeout, which sleeps in the calling thread.
        if ((e as { code?: string }).code !== 'SQLITE_BUSY') throw e;
        if (Date.now() > deadline) throw new StorageError(`hub data ${this.file} stayed locked by another process for ${LOCK_WAIT_MS / 1000} s`, 'the hub\'s data is busy; try again');
        await new Promise((r) => setTimeout(r, pause));
      }
    }
  }

  private mutateNow<T>(fn: (s: HubState) => T): T {
    let next: HubState | null = null;
    let written: Changes | null = null;
    const result = this.guard(() => this.conn.transaction(() => {
      this.refresh();
      const draft = draftOf(this.state!);
      const value = fn(draft);
      written = diffStates(this.state!, draft);
      this.write(written);
      next = draft;
      return value;
    }).immediate());
    // Only what was written is new: the other rows were frozen when they were stored or loaded.
    for (const r of written!.upserts) deepFreeze(r.value);
    this.state = Object.freeze(next!);
    this.seen = this.conn.pragma('data_version', { simple: true }) as number;
    return result;
  }

  private write(changes: Changes): void {
    const upsert = this.conn.prepare('INSERT INTO records (kind, key, body) VALUES (?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET body = excluded.body');
    const remove = this.conn.prepare('DELETE FROM records WHERE kind = ? AND key = ?');
    // Removals first: a row that moved comes as a removal and an addition of the same key.
    for (const d of changes.deletes) remove.run(d.kind, d.key);
    for (const r of changes.upserts) upsert.run(r.kind, r.key, r.body);
  }

  /** Runs a database call, turning a full disk and a damaged file into clear errors. */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      const code = (e as { code?: string }).code ?? '';
      if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') {
        throw new StorageError(`hub storage is full: cannot write ${this.file}`, 'hub storage is full; changes cannot be saved until its operator frees space');
      }
      if (DAMAGED.has(code)) throw this.refuse(`is damaged (${(e as Error).message})`);
      throw e;
    }
  }

  /**
   * One saved copy per distinct damage (named by its content's hash), however many requests meet
   * it; the paths go to the operator, never to remote clients (StorageError.publicMessage).
   */
  private refuse(why: string): StorageError {
    const content = this.snapshot();
    const copy = `${this.file}.corrupt-${createHash('sha256').update(content).digest('hex').slice(0, 12)}`;
    if (!fs.existsSync(copy)) fs.writeFileSync(copy, content, { mode: 0o600 });
    return new StorageError(`hub data ${this.file} ${why}. A copy was saved as ${copy}. Fix or restore it, then start again.`, "the hub's data is damaged; its operator must fix or restore it (see the hub log)");
  }

  /** The database as SQLite sees it (WAL included), or the file's bytes when SQLite cannot read it. */
  private snapshot(): Buffer {
    try {
      return this.conn.serialize();
    } catch {
      return fs.readFileSync(this.file);
    }
  }

  /** Closes the database (its WAL is checkpointed into hub.db). */
  close(): void {
    this.db?.close();
    this.db = null;
  }
}

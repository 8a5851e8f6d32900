/**
 * The hub's data directory: one JSON state file written atomically (temp file, fsync, rename, fsync
 * of the directory) with the previous version kept as hub.json.bak. A file that does not parse or
 * match the schema stops start-up with a clear message and a saved copy — never a silent reset.
 * Several processes share it (the desktop app and the CLI): every read notices a newer file and
 * reloads it, and every write holds a lock file and starts from what is on disk, so no process
 * overwrites another's changes with a stale copy.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { StorageError } from '../core/errors';
import { stateSchema, STATE_VERSION, type HubState } from './hub-state';
import { removeStaleTemps, withFileLock } from './store-lock';

export class HubStore {
  readonly file: string;
  private readonly lock: string;
  private state: HubState | null = null;
  /** Identity of the file version `state` came from: reload when the file on disk differs. */
  private seen = '';
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly dir: string, private readonly now: () => Date = () => new Date()) {
    this.file = path.join(dir, 'hub.json');
    this.lock = `${this.file}.lock`;
  }

  private identity(): string {
    try {
      const st = fs.statSync(this.file);
      return `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch {
      return '';
    }
  }

  /** Reloads the state if another process (or a restore) changed the file since we last saw it. */
  private refresh(): void {
    const id = this.identity();
    if (id === this.seen || id === '') return;
    this.state = this.parse(fs.readFileSync(this.file, 'utf8'));
    this.seen = id;
  }

  /** Loads the state, or creates it with `fresh()` when the directory is new. */
  async load(fresh: () => HubState): Promise<HubState> {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    removeStaleTemps(this.dir, path.basename(this.file));
    let raw: string;
    try {
      raw = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      const created = fresh();
      await withFileLock(this.lock, async () => {
        // Another process may have created it meanwhile: theirs wins.
        if (fs.existsSync(this.file)) this.refresh();
        else await this.writeNow(created);
      });
      return this.current;
    }
    this.state = this.parse(raw);
    this.seen = this.identity();
    return this.state;
  }

  private parse(raw: string): HubState {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      this.refuse(`is not valid JSON (${(e as Error).message})`);
    }
    const version = (json as { version?: unknown } | null)?.version;
    if (version !== STATE_VERSION) this.refuse(`has schema version ${String(version)}; this Hubdeck reads version ${STATE_VERSION}`);
    const r = stateSchema.safeParse(json);
    if (!r.success) {
      const i = r.error.issues[0]!;
      this.refuse(`does not match the schema at ${i.path.join('.') || '(root)'}: ${i.message}`);
    }
    return r.data;
  }

  /**
   * One saved copy per distinct damage (named by its content's hash), however many requests meet
   * it; the paths go to the operator, never to remote clients (StorageError.publicMessage).
   */
  private refuse(why: string): never {
    const content = fs.readFileSync(this.file);
    const copy = `${this.file}.corrupt-${createHash('sha256').update(content).digest('hex').slice(0, 12)}`;
    if (!fs.existsSync(copy)) fs.writeFileSync(copy, content, { mode: 0o600 });
    const bak = fs.existsSync(`${this.file}.bak`) ? `; the previous version is ${this.file}.bak` : '';
    throw new StorageError(`hub data ${this.file} ${why}. A copy was saved as ${copy}${bak}. Fix or restore it, then start again.`, 'the hub\'s data is damaged; its operator must fix or restore it (see the hub log)');
  }

  get current(): HubState {
    if (!this.state) throw new Error('hub store not loaded');
    this.refresh();
    return this.state;
  }

  /**
   * Applies `fn` to a copy of the latest state and persists it: serialized with this process's
   * other mutations, and locked against other processes'.
   */
  mutate<T>(fn: (s: HubState) => T): Promise<T> {
    const run = this.queue.then(() =>
      withFileLock(this.lock, async () => {
        const draft = structuredClone(this.current);
        const result = fn(draft);
        await this.writeNow(draft);
        return result;
      }),
    );
    this.queue = run.catch(() => undefined);
    return run.catch((e: unknown) => { throw this.storageError(e); });
  }

  /** A full disk (for the data, the lock or the backup) as a clear 503; other errors as they are. */
  private storageError(e: unknown): unknown {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOSPC' && code !== 'EDQUOT') return e;
    return new StorageError(`hub storage is full: cannot write ${this.file}`, 'hub storage is full; changes cannot be saved until its operator frees space');
  }

  /**
   * Writes atomically: the new file is complete and synced before it replaces the old one, and the
   * previous version becomes hub.json.bak by a hard link (which needs no space), so a full disk
   * never costs the backup. A full disk is a clear 503, and the state in memory stays as it was.
   */
  private async writeNow(state: HubState): Promise<void> {
    const tmp = `${this.file}.tmp-${process.pid}`;
    // Serialized off the event loop's critical path: the write and both fsyncs are asynchronous, so
    // requests keep being answered while a large store is saved.
    const text = `${JSON.stringify(state, null, 2)}\n`;
    try {
      const fh = await fsp.open(tmp, 'w', 0o600);
      try {
        await fh.writeFile(text);
        await fh.sync();
      } finally {
        await fh.close();
      }
      if (fs.existsSync(this.file)) {
        await fsp.rm(`${this.file}.bak-new`, { force: true });
        await fsp.link(this.file, `${this.file}.bak-new`);
        await fsp.rename(`${this.file}.bak-new`, `${this.file}.bak`);
      }
      await fsp.rename(tmp, this.file);
    } catch (e) {
      await fsp.rm(tmp, { force: true }); // a failed write leaves the old file and no debris
      throw this.storageError(e);
    }
    this.state = state;
    this.seen = this.identity();
    const dir = await fsp.open(this.dir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}

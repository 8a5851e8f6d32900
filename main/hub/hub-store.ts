/**
 * The hub's data directory: one JSON state file written atomically (temp file, fsync, rename, fsync
 * of the directory) with the previous version kept as hub.json.bak. A file that does not parse or
 * match the schema stops start-up with a clear message and a saved copy — never a silent reset.
 * Writers are serialized, so concurrent requests cannot lose each other's changes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { HubdeckError } from '../core/errors';
import { stateSchema, STATE_VERSION, type HubState } from './hub-state';

export class HubStore {
  readonly file: string;
  private state: HubState | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly dir: string, private readonly now: () => Date = () => new Date()) {
    this.file = path.join(dir, 'hub.json');
  }

  /** Loads the state, or creates it with `fresh()` when the directory is new. */
  load(fresh: () => HubState): HubState {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    let raw: string;
    try {
      raw = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      this.state = fresh();
      this.writeNow(this.state);
      return this.state;
    }
    this.state = this.parse(raw);
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

  private refuse(why: string): never {
    const copy = `${this.file}.corrupt-${this.now().toISOString().replace(/[:.]/g, '-')}`;
    fs.copyFileSync(this.file, copy);
    const bak = fs.existsSync(`${this.file}.bak`) ? `; the previous version is ${this.file}.bak` : '';
    throw new HubdeckError('unavailable', `hub data ${this.file} ${why}. A copy was saved as ${copy}${bak}. Fix or restore it, then start again.`);
  }

  get current(): HubState {
    if (!this.state) throw new Error('hub store not loaded');
    return this.state;
  }

  /** Applies `fn` to a copy of the state and persists it; serialized with other mutations. */
  mutate<T>(fn: (s: HubState) => T): Promise<T> {
    const run = this.queue.then(() => {
      const draft = structuredClone(this.current);
      const result = fn(draft);
      this.writeNow(draft);
      this.state = draft;
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private writeNow(state: HubState): void {
    const tmp = `${this.file}.tmp-${process.pid}`;
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      fs.writeFileSync(fd, `${JSON.stringify(state, null, 2)}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (fs.existsSync(this.file)) fs.copyFileSync(this.file, `${this.file}.bak`);
    fs.renameSync(tmp, this.file);
    const dirFd = fs.openSync(this.dir, 'r');
    try {
      fs.fsyncSync(dirFd);
    } finally {
      fs.closeSync(dirFd);
    }
  }
}

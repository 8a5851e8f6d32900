/** What a hub's data directory holds, read the way another process would (its own connection). */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { HubState } from '../../main/hub/hub-state';
import { parseState, stateOfRows, type Row } from '../../main/hub/store-rows';

/** The stored state, checked against the schema (throws if the store is not valid). */
export function readStoredState(dataDir: string): HubState {
  const state = readStoredStateOrNull(dataDir);
  if (!state) throw new Error(`no hub stored in ${dataDir}`);
  return state;
}

/** The stored state, or null when the database holds no hub (yet). */
export function readStoredStateOrNull(dataDir: string): HubState | null {
  const db = new Database(path.join(dataDir, 'hub.db'), { readonly: true, fileMustExist: true });
  try {
    const raw = stateOfRows(db.prepare('SELECT kind, key, body FROM records ORDER BY rowid').all() as Row[]);
    if (raw === null) return null;
    const parsed = parseState(raw);
    if (!parsed.ok) throw new Error(`stored state ${parsed.why}`);
    return parsed.state;
  } finally {
    db.close();
  }
}

/**
 * The stored state checked after every step of a long run (the REST fuzz), read the way another
 * process would, through one read-only connection kept open: the rows are read and checked again
 * whenever anything was committed since the last check (PRAGMA data_version moves), and a check
 * after no commit finds the very same bytes, already found valid.
 */
export class StoredStateCheck {
  private readonly db: Database.Database;
  private checked = -1;

  constructor(dataDir: string) {
    this.db = new Database(path.join(dataDir, 'hub.db'), { readonly: true, fileMustExist: true });
  }

  /** Throws if the store is not valid now; returns whether it had to read it (something was committed). */
  check(): boolean {
    const version = this.db.pragma('data_version', { simple: true }) as number;
    if (version === this.checked) return false;
    const raw = stateOfRows(this.db.prepare('SELECT kind, key, body FROM records ORDER BY rowid').all() as Row[]);
    if (raw === null) throw new Error('no hub stored');
    const parsed = parseState(raw);
    if (!parsed.ok) throw new Error(`stored state ${parsed.why}`);
    this.checked = version;
    return true;
  }

  close(): void {
    this.db.close();
  }
}

/**
 * Turns a (closed) hub's store back into the hub.json of hubs from before SQLite, edited by
 * `edit`: how tests make the older stores a hub must migrate.
 */
export function rewriteAsLegacy(dataDir: string, edit: (state: Record<string, unknown>) => void = () => undefined): string {
  const state = structuredClone(readStoredState(dataDir)) as unknown as Record<string, unknown>;
  edit(state);
  for (const f of fs.readdirSync(dataDir)) if (f.startsWith('hub.db')) fs.rmSync(path.join(dataDir, f));
  const file = path.join(dataDir, 'hub.json');
  fs.writeFileSync(file, JSON.stringify(state, null, 2), { mode: 0o600 });
  return file;
}

/** Another process damaging the store while a hub runs: a user row that breaks the schema. */
export function damageStore(dataDir: string, body: string): void {
  const db = new Database(path.join(dataDir, 'hub.db'), { fileMustExist: true });
  try {
    db.prepare("UPDATE records SET body = ? WHERE kind = 'users'").run(body);
  } finally {
    db.close();
  }
}

/** Every byte the data directory holds (database, WAL and all), as text: for "never stored" checks. */
export function dataDirText(dataDir: string): string {
  return fs.readdirSync(dataDir).filter((f) => fs.statSync(path.join(dataDir, f)).isFile()).map((f) => fs.readFileSync(path.join(dataDir, f), 'latin1')).join('\n');
}

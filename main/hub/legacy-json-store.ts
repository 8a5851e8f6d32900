/**
 * hub.json, the store of hubs before SQLite: read once, to migrate it, and its writers' debris
 * removed. A file that does not parse or match the schema stops start-up with a clear message and
 * a saved copy — never a silent reset (the migration then has not happened, and hub.json is left
 * exactly as it was).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { StorageError } from '../core/errors';
import { isProcessAlive } from '../platform/process-alive';
import { STATE_VERSION, type HubState } from './hub-state';
import { parseState } from './store-rows';

export function readLegacyJson(file: string): HubState {
  const raw = fs.readFileSync(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    refuse(file, `is not valid JSON (${(e as Error).message})`);
  }
  const version = (json as { version?: unknown } | null)?.version;
  if (version !== STATE_VERSION) refuse(file, `has schema version ${String(version)}; this Hubdeck reads version ${STATE_VERSION}`);
  const parsed = parseState(json);
  if (!parsed.ok) refuse(file, parsed.why);
  return parsed.state;
}

/** One saved copy per distinct damage, named by its content's hash. */
function refuse(file: string, why: string): never {
  const content = fs.readFileSync(file);
  const copy = `${file}.corrupt-${createHash('sha256').update(content).digest('hex').slice(0, 12)}`;
  if (!fs.existsSync(copy)) fs.writeFileSync(copy, content, { mode: 0o600 });
  const bak = fs.existsSync(`${file}.bak`) ? `; the previous version is ${file}.bak` : '';
  throw new StorageError(`hub data ${file} ${why}. A copy was saved as ${copy}${bak}. Fix or restore it, then start again.`, "the hub's data is damaged; its operator must fix or restore it (see the hub log)");
}

/**
 * Temp files of writers of the JSON files from before hub.db that died mid-write
 * (`<file>.tmp-<pid>`): removed, never read. A live writer's (an older Hubdeck still running) stay.
 */
export function removeStaleTemps(dir: string, base: string): void {
  for (const f of fs.readdirSync(dir)) {
    const m = new RegExp(`^${base.replace('.', '\\.')}\\.tmp-(\\d+)$`).exec(f);
    if (m && (Number(m[1]) === process.pid || !isProcessAlive(Number(m[1])))) fs.rmSync(`${dir}/${f}`, { force: true });
  }
}

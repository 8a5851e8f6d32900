/**
 * Remote hubs this machine's CLI has joined (`hubdeck hub join`), by name: URL, pinned certificate
 * fingerprint, user and token, in hubs.json in the local data directory. The file holds tokens, so
 * it is written 0600, atomically, and never group- or world-readable; `--hub NAME` (or the URL)
 * then needs no --token. (The desktop app keeps its hubs' tokens in the system keychain instead.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { HubdeckError } from '../core/errors';

const NAME_RE = /^[a-z0-9][a-z0-9._-]{0,39}$/;

const hubSchema = z.object({
  name: z.string().regex(NAME_RE),
  url: z.string(),
  fingerprint: z.string().nullable(),
  user: z.string(),
  hubId: z.string(),
  token: z.string(),
  addedAt: z.string(),
});
const fileSchema = z.object({ version: z.literal(1), hubs: z.array(hubSchema) });
export type SavedHub = z.infer<typeof hubSchema>;

export const savedHubsFile = (dataDir: string): string => path.join(dataDir, 'hubs.json');

/** A saved hub's default name: the hub id, made to fit the name rule. */
export function defaultHubName(hubId: string): string {
  return hubId.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 40) || 'hub';
}

/** Why `name` cannot name a saved hub, or null. */
export function savedHubNameProblem(name: string): string | null {
  return NAME_RE.test(name) ? null : `"${name}" is not a hub name (lower-case letters, digits, . _ -; at most 40)`;
}

export function readSavedHubs(file: string): SavedHub[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // reported below, with the schema's refusal
  }
  const r = fileSchema.safeParse(json);
  if (!r.success) throw new HubdeckError('invalid', `${file} is damaged (${r.error.issues[0]?.message ?? 'not JSON'}); fix it or remove it and join again`);
  return r.data.hubs;
}

/** The saved hub named `nameOrUrl` (by name, or by URL with or without a trailing slash), or null. */
export function findSavedHub(file: string, nameOrUrl: string): SavedHub | null {
  const url = nameOrUrl.replace(/\/+$/, '');
  return readSavedHubs(file).find((h) => h.name === nameOrUrl || h.url === url) ?? null;
}

/** Adds or replaces (same name) a hub; written to a 0600 temp file, synced, then renamed over. */
export function saveHub(file: string, hub: SavedHub): void {
  const hubs = [...readSavedHubs(file).filter((h) => h.name !== hub.name), hubSchema.parse(hub)];
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      fs.writeFileSync(fd, `${JSON.stringify({ version: 1, hubs }, null, 2)}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  // An older file made with looser permissions gets tightened too.
  fs.chmodSync(file, 0o600);
}

/**
 * Remote hubs this machine's CLI has joined (`hubdeck hub join`) or added (`hubdeck hub add`), by
 * name, in hubs.json in the local data directory: each a saved-hub record (saved-hub-record.ts, the
 * same the desktop's settings hold) with its token beside it. The file holds tokens, so it is
 * written 0600, atomically, and never group- or world-readable; `--hub NAME` (or the URL) then
 * needs no --token. (The desktop app keeps its hubs' tokens in the system keychain instead.)
 *
 * Layouts: version 1 (until issue 21) kept a JupyterHub's `version` and `options` flat on the hub
 * and had no `kind` before JupyterHubs; version 2 holds records. A version 1 file is read as is and
 * becomes version 2 on the next save or remove.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { HubdeckError } from '../core/errors';
import { writePrivateFile } from '../platform/private-file';
import { jupyterHubOptionsSchema, savedHubFields, savedHubRule, SAVED_HUB_KINDS, type SavedHubRecord } from './saved-hub-record';

export const SAVED_HUBS_VERSION = 2;

const savedHubSchema = savedHubRule(savedHubFields.extend({ token: z.string().min(1) }));
/** A saved hub as the CLI keeps it: its record and its token. */
export type SavedHub = SavedHubRecord & { token: string };

const fileSchema = z.object({ version: z.literal(SAVED_HUBS_VERSION), hubs: z.array(savedHubSchema) });

/** Version 1's hub: the record's fields, with a JupyterHub's details flat and `kind` optional. */
const v1HubSchema = savedHubFields.omit({ kind: true, jupyterhub: true }).extend({
  /** Files written before JupyterHub hubs existed have no kind: they are Hubdeck hubs. */
  kind: z.enum(SAVED_HUB_KINDS).default('hubdeck'),
  token: z.string().min(1),
  version: z.string().optional(),
  options: jupyterHubOptionsSchema.optional(),
});
const v1FileSchema = z.object({ version: z.literal(1), hubs: z.array(v1HubSchema) });

/** A version 1 hub as a record (a JupyterHub saved without its details gets the defaults its client used). */
function fromV1({ version, options, ...h }: z.infer<typeof v1HubSchema>): SavedHub {
  if (h.kind !== 'jupyterhub') return h;
  return { ...h, jupyterhub: { version: version ?? 'unknown', options: options ?? { form: 'json', defaults: {} } } };
}

export const savedHubsFile = (dataDir: string): string => path.join(dataDir, 'hubs.json');

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
  const version = (json as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > SAVED_HUBS_VERSION) {
    throw new HubdeckError('invalid', `${file} was written by a newer Hubdeck (version ${version}); this one reads up to ${SAVED_HUBS_VERSION}`);
  }
  const r = version === 1 ? v1FileSchema.safeParse(json) : fileSchema.safeParse(json);
  if (!r.success) throw new HubdeckError('invalid', `${file} is damaged (${r.error.issues[0]?.message ?? 'not JSON'}); fix it or remove it and join again`);
  return version === 1 ? (r.data as z.infer<typeof v1FileSchema>).hubs.map(fromV1) : (r.data as z.infer<typeof fileSchema>).hubs;
}

/** The saved hub named `nameOrUrl` (by name, or by URL with or without a trailing slash), or null. */
export function findSavedHub(file: string, nameOrUrl: string): SavedHub | null {
  const url = nameOrUrl.replace(/\/+$/, '');
  return readSavedHubs(file).find((h) => h.name === nameOrUrl || h.url === url) ?? null;
}

/** Adds or replaces (same name) a hub; written to a 0600 temp file, synced, then renamed over. */
export function saveHub(file: string, hub: SavedHub): void {
  writeHubs(file, [...readSavedHubs(file).filter((h) => h.name !== hub.name), savedHubSchema.parse(hub)]);
}

// A new file each time (renamed over), so an older file made with looser permissions ends up 0600 too.
function writeHubs(file: string, hubs: SavedHub[]): void {
  writePrivateFile(file, `${JSON.stringify({ version: SAVED_HUBS_VERSION, hubs }, null, 2)}\n`);
}

/** Forgets the hub named `name`; false when there was none. */
export function removeSavedHub(file: string, name: string): boolean {
  const hubs = readSavedHubs(file);
  if (!hubs.some((h) => h.name === name)) return false;
  writeHubs(file, hubs.filter((h) => h.name !== name));
  return true;
}

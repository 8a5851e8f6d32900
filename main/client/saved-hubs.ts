/**
 * Remote hubs this machine's CLI has joined (`hubdeck hub join`) or added (`hubdeck hub add`), by
 * name: kind (a Hubdeck hub or a JupyterHub), URL, pinned certificate fingerprint, user and token, in
 * hubs.json in the local data directory. The file holds tokens, so
 * it is written 0600, atomically, and never group- or world-readable; `--hub NAME` (or the URL)
 * then needs no --token. (The desktop app keeps its hubs' tokens in the system keychain instead.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { HubdeckError } from '../core/errors';
import { writePrivateFile } from '../platform/private-file';

/** What names a saved hub here and keys one in the desktop's settings (main/shell/settings-schema.ts). */
export const SAVED_HUB_NAME = /^[a-z0-9][a-z0-9._-]{0,39}$/;

/**
 * How a JupyterHub's New-workspace form becomes its spawner's user_options: `json` (raw --option
 * pairs, --image as `image`), `mlhub` (ML Hub's named-server form keys) or `profile` (a KubeSpawner
 * profile slug); `defaults` are user_options sent with every create.
 */
export const JUPYTERHUB_OPTION_FORMS = ['json', 'mlhub', 'profile'] as const;
export const jupyterHubOptionsSchema = z.object({
  form: z.enum(JUPYTERHUB_OPTION_FORMS),
  defaults: z.record(z.string(), z.unknown()),
});
export type JupyterHubOptionsConfig = z.infer<typeof jupyterHubOptionsSchema>;

const hubSchema = z.object({
  name: z.string().regex(SAVED_HUB_NAME),
  /** Files written before JupyterHub hubs existed have no kind: they are Hubdeck hubs. */
  kind: z.enum(['hubdeck', 'jupyterhub']).default('hubdeck'),
  url: z.string(),
  fingerprint: z.string().nullable(),
  user: z.string(),
  hubId: z.string(),
  token: z.string(),
  addedAt: z.string(),
  /** A JupyterHub's version when it was added, and its user_options mapping. */
  version: z.string().optional(),
  options: jupyterHubOptionsSchema.optional(),
});
const fileSchema = z.object({ version: z.literal(1), hubs: z.array(hubSchema) });
export type SavedHub = z.infer<typeof hubSchema>;
/** What callers pass to saveHub: `kind` may be left out (a Hubdeck hub). */
export type SavedHubInput = z.input<typeof hubSchema>;

export const savedHubsFile = (dataDir: string): string => path.join(dataDir, 'hubs.json');

/** A saved hub's default name (here and in the desktop's settings): the hub id, made to fit the name rule. */
export function defaultHubName(hubId: string): string {
  return hubId.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 40) || 'hub';
}

/** Why `name` cannot name a saved hub, or null. */
export function savedHubNameProblem(name: string): string | null {
  return SAVED_HUB_NAME.test(name) ? null : `"${name}" is not a hub name (lower-case letters, digits, . _ -; at most 40)`;
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
export function saveHub(file: string, hub: SavedHubInput): void {
  writeHubs(file, [...readSavedHubs(file).filter((h) => h.name !== hub.name), hubSchema.parse(hub)]);
}

// A new file each time (renamed over), so an older file made with looser permissions ends up 0600 too.
function writeHubs(file: string, hubs: SavedHub[]): void {
  writePrivateFile(file, `${JSON.stringify({ version: 1, hubs }, null, 2)}\n`);
}

/** Forgets the hub named `name`; false when there was none. */
export function removeSavedHub(file: string, name: string): boolean {
  const hubs = readSavedHubs(file);
  if (!hubs.some((h) => h.name === name)) return false;
  writeHubs(file, hubs.filter((h) => h.name !== name));
  return true;
}

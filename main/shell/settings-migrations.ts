/**
 * Brings a desktop settings file of any earlier layout to the current one (settings-schema.ts), one
 * step at a time: version 1 (tokens in the file) → 4, version 2 (no hub kinds) → 3 → 4, version 3
 * (hubs keyed by `id`, a JupyterHub's `optionsForm`/`defaultOptions`) → 4 (saved-hub records, as the
 * CLI's hubs.json holds them). Tokens found in an old file are handed back for the keychain, never
 * kept. Pure (no Electron).
 */
import { z } from 'zod';
import { HubdeckError } from '../core/errors';
import { hubTokenAccount } from '../core/secret-store';
import { defaultHubName, JUPYTERHUB_OPTION_FORMS, SAVED_HUB_KINDS, savedHubFields, savedHubRule } from '../client/saved-hub-record';
import { DEFAULT_SETTINGS, parseSettings, parseWith, remoteHubFields, settingsSchema, SETTINGS_VERSION, unique, type DesktopSettings, type RemoteHubSetting } from './settings-schema';

export interface Migrated {
  settings: DesktopSettings;
  /** Secrets found in an old file: the caller puts them in the SecretStore before saving. */
  secrets: { account: string; secret: string }[];
  /** The version the file had, when it was migrated; null when it was current (or new). */
  migratedFrom: number | null;
}

/** Version 1 (the first desktop releases): tokens in the file, one window's bounds. */
const v1Schema = z.object({
  version: z.literal(1),
  remoteHubs: z.array(z.object({ name: z.string(), url: z.string(), token: z.string(), fingerprint: z.string().nullable().optional(), user: z.string(), hubId: z.string().optional() })).default([]),
  preferences: z.object({ startAtLogin: z.boolean().optional(), notifications: z.boolean().optional(), darkMode: z.boolean().nullable().optional() }).default({}),
  windowBounds: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }).nullable().optional(),
});

/** Version 3's remote hub (version 2's, without `kind`, reads as a Hubdeck hub). */
const v3HubSchema = savedHubRule(savedHubFields.omit({ name: true, kind: true, jupyterhub: true }).extend({
  id: remoteHubFields.shape.name,
  kind: z.enum(SAVED_HUB_KINDS).default('hubdeck'),
  jupyterhub: z.object({
    version: z.string().min(1),
    optionsForm: z.enum(JUPYTERHUB_OPTION_FORMS),
    defaultOptions: z.record(z.string(), z.unknown()),
  }).strict().optional(),
}).strict());

/** Version 3's settings: the current ones but for their hubs. */
const v3Schema = settingsSchema.extend({
  version: z.literal(3),
  hubs: z.array(v3HubSchema).superRefine(unique((h) => h.id, 'hub')),
});

/** A version 3 hub as a saved-hub record: `id` is its name, a JupyterHub's form and defaults are its options. */
function hubFromV3({ id, jupyterhub, ...h }: z.infer<typeof v3HubSchema>): RemoteHubSetting {
  const jh = jupyterhub && { version: jupyterhub.version, options: { form: jupyterhub.optionsForm, defaults: jupyterhub.defaultOptions } };
  return { name: id, ...h, ...(jh ? { jupyterhub: jh } : {}) };
}

function fromV3(data: unknown): DesktopSettings {
  const old = parseWith(v3Schema, data);
  return parseSettings({ ...old, version: SETTINGS_VERSION, hubs: old.hubs.map(hubFromV3) });
}

function fromV1(old: z.infer<typeof v1Schema>, now: string): Migrated {
  const secrets: Migrated['secrets'] = [];
  const hubs = old.remoteHubs.map((h) => {
    const url = h.url.replace(/\/+$/, '');
    secrets.push({ account: hubTokenAccount(url, h.user), secret: h.token });
    // The record's schema normalizes the fingerprint (AB:CD… as version 1 kept it → ABCD…).
    return { name: defaultHubName(h.name), kind: 'hubdeck', url, fingerprint: h.fingerprint ?? null, user: h.user, hubId: h.hubId ?? h.name, addedAt: now };
  });
  const p = old.preferences;
  const settings = parseSettings({
    version: SETTINGS_VERSION, hubs,
    preferences: { startAtLogin: p.startAtLogin, notifications: p.notifications, theme: p.darkMode === true ? 'dark' : p.darkMode === false ? 'light' : 'system' },
    windows: old.windowBounds ? { main: { ...old.windowBounds, x: Math.round(old.windowBounds.x), y: Math.round(old.windowBounds.y) } } : {},
  });
  return { settings, secrets, migratedFrom: 1 };
}

/**
 * Brings whatever the file holds to the current layout. An empty file is a new install; a file
 * newer than this app is refused (downgrading must not destroy what a newer version wrote).
 */
export function migrateSettings(raw: unknown, now = new Date().toISOString()): Migrated {
  const data = (raw ?? {}) as Record<string, unknown>;
  if (typeof data !== 'object' || Array.isArray(data)) throw new HubdeckError('invalid', 'settings: the file does not hold an object');
  if (Object.keys(data).length === 0) return { settings: structuredClone(DEFAULT_SETTINGS), secrets: [], migratedFrom: null };
  const version = data.version;
  if (version === SETTINGS_VERSION) return { settings: parseSettings(data), secrets: [], migratedFrom: null };
  if (version === 3) return { settings: fromV3(data), secrets: [], migratedFrom: 3 };
  // Version 2 differs from 3 only by what it lacks (hub kinds): version 3's defaults fill it in.
  if (version === 2) return { settings: fromV3({ ...data, version: 3 }), secrets: [], migratedFrom: 2 };
  if (version === 1) {
    const r = v1Schema.safeParse(data);
    if (!r.success) throw new HubdeckError('invalid', `settings: a version 1 file with ${r.error.issues[0]!.path.join('.')}: ${r.error.issues[0]!.message}`);
    return fromV1(r.data, now);
  }
  if (typeof version === 'number' && version > SETTINGS_VERSION) {
    throw new HubdeckError('invalid', `settings: written by a newer Hubdeck (version ${version}); this one reads up to ${SETTINGS_VERSION}`);
  }
  throw new HubdeckError('invalid', `settings: unknown version ${JSON.stringify(version)}`);
}

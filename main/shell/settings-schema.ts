/**
 * The desktop app's settings (electron-store's file): remote hubs, preferences, window bounds and
 * tunnels, validated with zod whenever they are read or written, with migrations from older
 * layouts. Secrets are not settings: a hub's token lives in the keychain (SecretStore), and a
 * migration from a layout that kept tokens in the file hands them over and drops them. Pure (no
 * Electron), so it tests on its own.
 */
import { z } from 'zod';
import { HubdeckError } from '../core/errors';
import { hubTokenAccount } from '../core/secret-store';
import { defaultHubName, SAVED_HUB_NAME } from '../client/saved-hubs';
import { preferenceFields } from '../../preload/desktop-contract';

export const SETTINGS_VERSION = 3;

/** Hub ids and tunnel names follow the CLI's saved-hub name rule: one rule for both registries. */
const NAME = SAVED_HUB_NAME;
const port = z.number().int().min(1).max(65535);

export const remoteHubSchema = z.object({
  /** The key the app knows it by (tray, settings, IPC); "local" is the in-process hub's. */
  id: z.string().regex(NAME, 'must be lower-case letters, digits, . _ - (at most 40)').refine((s) => s !== 'local', 'is reserved for the local hub'),
  url: z.string().url(),
  fingerprint: z.string().regex(/^[0-9A-F]{64}$/, 'must be 64 upper-case hex digits').nullable(),
  user: z.string().min(1),
  hubId: z.string().min(1),
  addedAt: z.string(),
  /** Version 2 files predate connected JupyterHubs: their hubs are Hubdeck hubs. */
  kind: z.enum(['hubdeck', 'jupyterhub']).default('hubdeck'),
  /** A connected JupyterHub's version when added, and how the New-workspace form maps to its user_options. */
  jupyterhub: z.object({
    version: z.string().min(1),
    optionsForm: z.enum(['json', 'mlhub', 'profile']),
    defaultOptions: z.record(z.string(), z.unknown()),
  }).strict().optional(),
}).strict().refine((h) => (h.kind === 'jupyterhub') === (h.jupyterhub !== undefined), { message: 'a JupyterHub needs its jupyterhub settings, and only a JupyterHub has them', path: ['jupyterhub'] });
export type RemoteHubSetting = z.infer<typeof remoteHubSchema>;

/** The preferences (fields from the desktop API's table), with their defaults. */
export const preferencesSchema = z.object({
  startAtLogin: preferenceFields.startAtLogin.default(false),
  notifications: preferenceFields.notifications.default(true),
  theme: preferenceFields.theme.default('system'),
  shareListen: preferenceFields.shareListen.default(null),
}).strict();
export type Preferences = z.infer<typeof preferencesSchema>;

export const boundsSchema = z.object({
  x: z.number().int(), y: z.number().int(), width: z.number().int().positive(), height: z.number().int().positive(), maximized: z.boolean().default(false),
}).strict();
export type WindowBounds = z.infer<typeof boundsSchema>;

export const tunnelSchema = z.object({
  name: z.string().regex(NAME, 'must be lower-case letters, digits, . _ - (at most 40)'),
  hub: z.string().min(1),
  workspace: z.string().min(1),
  remotePort: port,
  localPort: port,
  autoStart: z.boolean().default(false),
}).strict();
export type TunnelSetting = z.infer<typeof tunnelSchema>;

const unique = <T>(key: (t: T) => string | number, what: string) => (list: T[], ctx: z.RefinementCtx) => {
  const seen = new Set<string | number>();
  list.forEach((t, i) => {
    const k = key(t);
    if (seen.has(k)) ctx.addIssue({ code: 'custom', message: `${what} ${String(k)} appears twice`, path: [i] });
    seen.add(k);
  });
};

export const settingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  hubs: z.array(remoteHubSchema).superRefine(unique((h) => h.id, 'hub')),
  /** The hub the main window shows. */
  activeHub: z.string().default('local'),
  preferences: preferencesSchema.default(() => preferencesSchema.parse({})),
  /** Per window kind ("main", "admin", "ws:<hub>/<user>/<name>"). */
  windows: z.record(z.string(), boundsSchema).default({}),
  tunnels: z.array(tunnelSchema).superRefine(unique((t) => t.name, 'tunnel')).superRefine(unique((t) => t.localPort, 'local port')).default([]),
}).strict();
export type DesktopSettings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: DesktopSettings = settingsSchema.parse({ version: SETTINGS_VERSION, hubs: [] });

/** Version 1 (the first desktop releases): tokens in the file, one window's bounds. */
const v1Schema = z.object({
  version: z.literal(1),
  remoteHubs: z.array(z.object({ name: z.string(), url: z.string(), token: z.string(), fingerprint: z.string().nullable().optional(), user: z.string(), hubId: z.string().optional() })).default([]),
  preferences: z.object({ startAtLogin: z.boolean().optional(), notifications: z.boolean().optional(), darkMode: z.boolean().nullable().optional() }).default({}),
  windowBounds: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }).nullable().optional(),
});

export interface Migrated {
  settings: DesktopSettings;
  /** Secrets found in an old file: the caller puts them in the SecretStore before saving. */
  secrets: { account: string; secret: string }[];
  /** The version the file had, when it was migrated; null when it was current (or new). */
  migratedFrom: number | null;
}

function fromV1(old: z.infer<typeof v1Schema>, now: string): Migrated {
  const secrets: Migrated['secrets'] = [];
  const hubs = old.remoteHubs.map((h) => {
    const url = h.url.replace(/\/+$/, '');
    secrets.push({ account: hubTokenAccount(url, h.user), secret: h.token });
    const fp = h.fingerprint?.replace(/[\s:]/g, '').toUpperCase() ?? null;
    return { id: defaultHubName(h.name), url, fingerprint: fp, user: h.user, hubId: h.hubId ?? h.name, addedAt: now };
  });
  const p = old.preferences;
  const settings = parseSettings({
    version: SETTINGS_VERSION, hubs,
    preferences: { startAtLogin: p.startAtLogin, notifications: p.notifications, theme: p.darkMode === true ? 'dark' : p.darkMode === false ? 'light' : 'system' },
    windows: old.windowBounds ? { main: { ...old.windowBounds, x: Math.round(old.windowBounds.x), y: Math.round(old.windowBounds.y) } } : {},
  });
  return { settings, secrets, migratedFrom: 1 };
}

/** Parses current settings, or throws naming the first bad field. */
export function parseSettings(raw: unknown): DesktopSettings {
  const r = settingsSchema.safeParse(raw);
  if (r.success) return r.data;
  const i = r.error.issues[0]!;
  throw new HubdeckError('invalid', `settings: ${i.path.join('.') || '(root)'}: ${i.message}`, i.path.join('.'));
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
  // Version 2 differs only by what it lacks (hub kinds): the defaults fill it in.
  if (version === 2) return { settings: parseSettings({ ...data, version: SETTINGS_VERSION }), secrets: [], migratedFrom: 2 };
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

/** Any token-shaped string in settings about to be written: a bug, refused before it lands on disk. */
export function secretsIn(settings: unknown): string[] {
  const found: string[] = [];
  const walk = (v: unknown, at: string) => {
    if (typeof v === 'string' && /\bhd[ki]_[a-z0-9]{10}_/.test(v)) found.push(at || '(root)');
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, at ? `${at}.${k}` : k);
  };
  walk(settings, '');
  return found;
}

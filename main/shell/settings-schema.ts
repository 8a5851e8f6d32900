/**
 * The desktop app's settings (electron-store's file): remote hubs, preferences, window bounds and
 * tunnels, validated with zod whenever they are read or written. A remote hub is a saved-hub record
 * (main/client/saved-hub-record.ts, the same the CLI's hubs.json holds). Secrets are not settings: a
 * hub's token lives in the keychain (SecretStore), and secretsIn refuses any that slips in. Older
 * layouts are brought to this one by settings-migrations.ts. Pure (no Electron), so it tests on its own.
 */
import { z } from 'zod';
import { HubdeckError } from '../core/errors';
import { savedHubFields, savedHubRule, SAVED_HUB_NAME, SAVED_HUB_NAME_RULE, type SavedHubRecord } from '../client/saved-hub-record';
import { preferenceFields } from '../../preload/desktop-contract';

export const SETTINGS_VERSION = 4;

const port = z.number().int().min(1).max(65535);

/** A saved remote hub, keyed by its name (tray, settings, IPC); "local" is the in-process hub's key. */
export const remoteHubFields = savedHubFields.extend({
  name: savedHubFields.shape.name.refine((s) => s !== 'local', 'is reserved for the local hub'),
}).strict();
export const remoteHubSchema = savedHubRule(remoteHubFields);
export type RemoteHubSetting = SavedHubRecord;

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
  name: z.string().regex(SAVED_HUB_NAME, SAVED_HUB_NAME_RULE),
  hub: z.string().min(1),
  workspace: z.string().min(1),
  remotePort: port,
  localPort: port,
  autoStart: z.boolean().default(false),
}).strict();
export type TunnelSetting = z.infer<typeof tunnelSchema>;

export const unique = <T>(key: (t: T) => string | number, what: string) => (list: T[], ctx: z.RefinementCtx) => {
  const seen = new Set<string | number>();
  list.forEach((t, i) => {
    const k = key(t);
    if (seen.has(k)) ctx.addIssue({ code: 'custom', message: `${what} ${String(k)} appears twice`, path: [i] });
    seen.add(k);
  });
};

export const settingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  hubs: z.array(remoteHubSchema).superRefine(unique((h) => h.name, 'hub')),
  /** The hub the main window shows. */
  activeHub: z.string().default('local'),
  preferences: preferencesSchema.default(() => preferencesSchema.parse({})),
  /** Per window kind ("main", "admin", "ws:<hub>/<user>/<name>"). */
  windows: z.record(z.string(), boundsSchema).default({}),
  tunnels: z.array(tunnelSchema).superRefine(unique((t) => t.name, 'tunnel')).superRefine(unique((t) => t.localPort, 'local port')).default([]),
}).strict();
export type DesktopSettings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: DesktopSettings = settingsSchema.parse({ version: SETTINGS_VERSION, hubs: [] });

/** Parses with `schema`, or throws naming the first bad field. */
export function parseWith<T>(schema: z.ZodType<T>, raw: unknown): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const i = r.error.issues[0]!;
  throw new HubdeckError('invalid', `settings: ${i.path.join('.') || '(root)'}: ${i.message}`, i.path.join('.'));
}

/** Parses current settings, or throws naming the first bad field. */
export function parseSettings(raw: unknown): DesktopSettings {
  return parseWith(settingsSchema, raw);
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

/**
 * What a saved remote hub is, once for both registries: the CLI's hubs.json (saved-hubs.ts, which
 * adds the token) and the desktop's settings (main/shell/settings-schema.ts, token in the keychain).
 * A record holds no secret: its name, connection type, URL, pinned certificate, the user and hub id
 * it was saved with, and a connected JupyterHub's version and New-workspace form.
 */
import { z } from 'zod';
import { normalizeFingerprint } from './pinned-agent';

/** What names a saved hub in either registry (and a desktop tunnel). */
export const SAVED_HUB_NAME = /^[a-z0-9][a-z0-9._-]{0,39}$/;
export const SAVED_HUB_NAME_RULE = 'must be lower-case letters, digits, . _ - (at most 40)';

/** A saved hub's default name: the hub id, made to fit the name rule. */
export function defaultHubName(hubId: string): string {
  return hubId.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 40) || 'hub';
}

/** Why `name` cannot name a saved hub, or null. */
export function savedHubNameProblem(name: string): string | null {
  return SAVED_HUB_NAME.test(name) ? null : `"${name}" is not a hub name (lower-case letters, digits, . _ -; at most 40)`;
}

/** The connection types a saved hub can have: which client reaches it (saved-hub-client.ts). */
export const SAVED_HUB_KINDS = ['hubdeck', 'jupyterhub'] as const;
export type SavedHubKind = (typeof SAVED_HUB_KINDS)[number];

/**
 * How a JupyterHub's New-workspace form becomes its spawner's user_options: `json` (raw --option
 * pairs, --image as `image`), `mlhub` (ML Hub's named-server form keys) or `profile` (a KubeSpawner
 * profile slug); `defaults` are user_options sent with every create.
 */
export const JUPYTERHUB_OPTION_FORMS = ['json', 'mlhub', 'profile'] as const;
export const jupyterHubOptionsSchema = z.object({
  form: z.enum(JUPYTERHUB_OPTION_FORMS),
  defaults: z.record(z.string(), z.unknown()),
}).strict();
export type JupyterHubOptionsConfig = z.infer<typeof jupyterHubOptionsSchema>;

/**
 * A pinned certificate: 64 upper-case hex digits, or null for none. Read leniently (`ab:cd:…` as a
 * user may have pasted it, or as an older file holds it) and always kept normalized.
 */
export const fingerprintSchema = z.preprocess(
  (v) => (typeof v === 'string' ? normalizeFingerprint(v) ?? v : v),
  z.string().regex(/^[0-9A-F]{64}$/, 'must be a SHA-256 fingerprint (64 hex digits)').nullable(),
);

/** A connected JupyterHub's details: its version when it was saved, and its New-workspace form. */
export const jupyterHubDetailsSchema = z.object({ version: z.string().min(1), options: jupyterHubOptionsSchema }).strict();

/** A record's fields; each registry adds its own rules (savedHubRule) and extras (the CLI's token). */
export const savedHubFields = z.object({
  name: z.string().regex(SAVED_HUB_NAME, SAVED_HUB_NAME_RULE),
  kind: z.enum(SAVED_HUB_KINDS),
  url: z.string().url(),
  fingerprint: fingerprintSchema,
  user: z.string().min(1),
  hubId: z.string().min(1),
  addedAt: z.string(),
  jupyterhub: jupyterHubDetailsSchema.optional(),
});

/** A JupyterHub has its details and only a JupyterHub has them: checked on whatever schema adds fields. */
export function savedHubRule<T extends z.ZodType<{ kind: SavedHubKind; jupyterhub?: unknown }>>(schema: T) {
  return schema.refine((h) => (h.kind === 'jupyterhub') === (h.jupyterhub !== undefined), {
    message: 'a JupyterHub needs its jupyterhub settings, and only a JupyterHub has them', path: ['jupyterhub'],
  });
}

export const savedHubRecordSchema = savedHubRule(savedHubFields);
export type SavedHubRecord = z.infer<typeof savedHubFields>;

/**
 * What a client is built from (saved-hub-client.ts): a saved record's connection fields, or the same
 * for a hub the command line names by URL (it has no name).
 */
export type HubConnection = Pick<SavedHubRecord, 'kind' | 'url' | 'fingerprint' | 'jupyterhub'> & { name?: string };

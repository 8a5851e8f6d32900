/**
 * The hub's persisted state (users, groups, tokens, images, settings, invites) and its schema: the
 * stored rows, which only the hub sees (main/hub/to-wire.ts maps them onto the API's types).
 * Workspaces are not here: the engine's labels are their source of truth, expiry extensions included.
 */
import { z } from 'zod';

export const STATE_VERSION = 1;

export const quotaSchema = z
  .object({
    maxWorkspaces: z.number().int().min(0).nullable(),
    cpus: z.number().positive().nullable(),
    memory: z.number().int().positive().nullable(),
    gpus: z.number().int().min(0).nullable(),
  })
  .partial()
  .strict();
export type Quota = z.infer<typeof quotaSchema>;

export const sshKeySchema = z.object({
  id: z.string(), type: z.string(), key: z.string(), comment: z.string(), fingerprint: z.string(), addedAt: z.string(),
});
export type SshKeyRecord = z.infer<typeof sshKeySchema>;

/**
 * The directory that made an account on someone's first sign-in, and who there (LDAP: the entry's
 * DN; OIDC: issuer and sub). Only that person may sign in to it through the directory.
 */
export const directoryLinkSchema = z.object({ source: z.enum(['ldap', 'oidc']), subject: z.string() });
export type DirectoryLink = z.infer<typeof directoryLinkSchema>;

export const userSchema = z.object({
  name: z.string(),
  admin: z.boolean(),
  blocked: z.boolean(),
  selfService: z.boolean(),
  groups: z.array(z.string()),
  quota: quotaSchema,
  sshKeys: z.array(sshKeySchema),
  createdAt: z.string(),
  /** Absent: made on the hub (its first admin, an admin, an invite), never taken over by a directory. */
  directory: directoryLinkSchema.optional(),
  /**
   * Who this account is, beyond its name: a deleted user's sessions, codes and invites must never act
   * for a new user given the same name. Random, made at creation; absent on accounts from before it
   * (identityOf falls back to name + creation time, which a re-created user never shares).
   */
  uid: z.string().optional(),
});
export type UserRecord = z.infer<typeof userSchema>;

export const groupSchema = z.object({ name: z.string(), quota: quotaSchema, createdAt: z.string() });
export type GroupRecord = z.infer<typeof groupSchema>;

export const tokenSchema = z.object({
  id: z.string(),
  user: z.string(),
  hash: z.string(),
  note: z.string(),
  scope: z.enum(['user', 'admin']),
  expiresAt: z.string().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export type TokenRecord = z.infer<typeof tokenSchema>;

export const imageDefaultsSchema = z
  .object({ cpus: z.number().positive(), memory: z.number().int().positive(), shm: z.number().int().positive(), gpus: z.string(), days: z.number().positive() })
  .partial()
  .strict();

export const imageSchema = z.object({
  name: z.string(),
  ref: z.string(),
  displayName: z.string(),
  /** Who may use it; both empty = everyone. */
  access: z.object({ users: z.array(z.string()), groups: z.array(z.string()) }),
  defaults: imageDefaultsSchema,
});
export type ImageRecord = z.infer<typeof imageSchema>;

export const settingsSchema = z.object({
  allowCustomImages: z.boolean(),
  expiryWarningHours: z.number().min(0),
  expiryAction: z.enum(['stop', 'remove']),
  maxDays: z.number().positive().nullable(),
  defaultDays: z.number().positive().nullable(),
  idleCullMinutes: z.number().positive().nullable(),
  cleanupIntervalMinutes: z.number().positive().nullable(),
  defaultQuota: quotaSchema,
  /** Local desktop hubs create users on first use by the admin; team hubs never do. */
  autoCreateUsers: z.boolean(),
  /** Host paths (and what lies below them) workspaces may bind-mount; empty: none. */
  bindMountAllowList: z.array(z.string()).default([]),
  /** Whether admins may open users' workspaces (proxy, SSH, terminal); off by default. */
  adminAccess: z.boolean().default(false),
  /** Days the audit log keeps an entry (the maintenance tick deletes older ones); null: for ever. */
  auditRetentionDays: z.number().int().positive().nullable().default(365),
  /** The image entry (by name) the New-workspace form preselects and a request without an image gets; null: the hub picks one that runs. */
  defaultImage: z.string().nullable().default(null),
  /**
   * Whether `ssh -A` gets a forwarded agent in the workspace; off by default: any process of the
   * workspace's user (a notebook's code, a collaborator's) could sign with the client's keys
   * while the session lasts, so an admin opts in (README, "Agent forwarding").
   */
  sshAgentForwarding: z.boolean().default(false),
  /**
   * Whether the SSH gateway also offers its ECDSA (NIST P-256) host key, for clients with neither
   * ed25519 nor RSA; off by default, as ssh-audit warns about NIST curves.
   */
  sshEcdsaHostKey: z.boolean().default(false),
});
export type Settings = z.infer<typeof settingsSchema>;

/**
 * A pending invite: the code's hash, never the code. `uid` is the invited user's identity: a new
 * user given a deleted user's name is somebody else. Kept in invites.json before hub.db had them.
 */
export const inviteSchema = z.object({
  id: z.string(), user: z.string(), hash: z.string(), note: z.string(), createdBy: z.string(), createdAt: z.string(), expiresAt: z.string(),
  uid: z.string().optional(),
});
export type InviteRecord = z.infer<typeof inviteSchema>;

/** Where the hub is shared (URL, certificate fingerprint), so whoever makes an invite can put it in. */
export const hubAddressSchema = z.object({ url: z.string(), fingerprint: z.string().regex(/^[0-9A-F]{64}$/).nullable() });
export type HubAddress = z.infer<typeof hubAddressSchema>;

/** Extensions as hubs before engine-side expiry kept them; moved onto the engine at start-up. */
export const legacyExpirySchema = z.object({ workspaceId: z.string(), user: z.string(), name: z.string(), expiresAt: z.string() });

export const deletedUserSchema = z.object({ name: z.string(), deletedAt: z.string(), directory: directoryLinkSchema.optional() });

export const stateSchema = z.object({
  version: z.literal(STATE_VERSION),
  hubId: z.string(),
  /**
   * The label (hubdeck.io/origin) on everything this hub creates: its own id, so two hubs on one
   * engine never touch each other's objects. Missing in files from before it was stored.
   */
  origin: z.string().optional(),
  createdAt: z.string(),
  users: z.array(userSchema),
  groups: z.array(groupSchema),
  tokens: z.array(tokenSchema),
  images: z.array(imageSchema),
  settings: settingsSchema,
  expiry: z.array(legacyExpirySchema).default([]),
  /**
   * Users deleted here: cleanup removes their resources. A user merely unknown to this store (a
   * restored backup, another hub's data) is an orphan to report, never a reason to delete.
   */
  deletedUsers: z.array(deletedUserSchema).default([]),
  invites: z.array(inviteSchema).default([]),
  /** Set while the hub is shared on the LAN (shell/share-hub.ts); null otherwise. */
  shared: hubAddressSchema.nullable().default(null),
});
export type HubState = z.infer<typeof stateSchema>;

export const DEFAULT_SETTINGS: Settings = {
  allowCustomImages: false,
  expiryWarningHours: 24,
  expiryAction: 'stop',
  maxDays: 365,
  defaultDays: null,
  idleCullMinutes: null,
  cleanupIntervalMinutes: 60,
  defaultQuota: {},
  autoCreateUsers: false,
  bindMountAllowList: [],
  adminAccess: false,
  auditRetentionDays: 365,
  defaultImage: null,
  sshAgentForwarding: false,
  sshEcdsaHostKey: false,
};

/**
 * Images admins offer (with per-image defaults) and the hub's settings, as the API shows them.
 * Declared here, not derived from the hub's stored rows (main/hub/to-wire.ts maps those).
 */
import type { Quota } from './user-dto';

/** What a workspace made from the image gets where its request is silent. */
export interface ImageDefaults {
  cpus?: number;
  /** Bytes. */
  memory?: number;
  shm?: number;
  /** As a request writes it: "all", a count, or device ids. */
  gpus?: string;
  days?: number;
}

export interface ImageRecord {
  name: string;
  ref: string;
  displayName: string;
  /** Who may use it; both empty = everyone. */
  access: { users: string[]; groups: string[] };
  defaults: ImageDefaults;
  /** Whether it runs on this engine, checked without pulling (image lists only). */
  availability?: ImageAvailability;
  /** The one a form preselects (image lists only): the admin's choice, else the first present one. */
  isDefault?: boolean;
}

/**
 * Whether an image can run on the hub's engine, asked without pulling: `present` on the engine,
 * `pullable` from its registry, `missing` there, `unreachable` registry, or `unknown` (Kubernetes:
 * its nodes pull, the hub cannot ask). `detail` is the engine's own words, for a tooltip or a log.
 */
export interface ImageAvailability {
  state: 'present' | 'pullable' | 'missing' | 'unreachable' | 'unknown';
  detail: string | null;
}

// A type, not an interface: clients treat it as a plain record (`hubdeck admin settings` prints its fields).
export type Settings = {
  allowCustomImages: boolean;
  expiryWarningHours: number;
  expiryAction: 'stop' | 'remove';
  maxDays: number | null;
  defaultDays: number | null;
  idleCullMinutes: number | null;
  cleanupIntervalMinutes: number | null;
  defaultQuota: Quota;
  /** Local desktop hubs create users on first use by the admin; team hubs never do. */
  autoCreateUsers: boolean;
  /** Host paths (and what lies below them) workspaces may bind-mount; empty: none. */
  bindMountAllowList: string[];
  /** Whether admins may open users' workspaces (proxy, SSH, terminal). */
  adminAccess: boolean;
  /** Days the audit log keeps an entry; null: for ever. */
  auditRetentionDays: number | null;
  /** The image entry (by name) forms preselect and requests without an image get; null: one that runs here. */
  defaultImage: string | null;
  /** Whether `ssh -A` forwards the client's agent into the workspace (SSH_AUTH_SOCK). */
  sshAgentForwarding: boolean;
  /** Whether the SSH gateway also offers its ECDSA host key (for clients without ed25519 or RSA). */
  sshEcdsaHostKey: boolean;
};

/**
 * Users, groups, quotas, API tokens and SSH keys as the API shows them (REST JSON, IPC, the
 * in-process client). Declared here, not derived from the hub's stored rows, so a store column can
 * change without changing what clients see: main/hub/to-wire.ts maps one onto the other. The
 * "Record" names are the wire's names since version 1 and stay for its clients.
 */

/** Limits of a user, a group or the hub's default; absent or null: no limit of that kind. */
export interface Quota {
  maxWorkspaces?: number | null;
  cpus?: number | null;
  /** Bytes. */
  memory?: number | null;
  gpus?: number | null;
}

export interface SshKeyRecord {
  id: string;
  /** The key's algorithm ("ssh-ed25519"), its base64 body and its comment, as the user gave them. */
  type: string;
  key: string;
  comment: string;
  /** SHA256 fingerprint, as `ssh-keygen -l` prints it. */
  fingerprint: string;
  addedAt: string;
}

/** The directory that made an account on someone's first sign-in, and who there. */
export interface DirectoryLink {
  source: 'ldap' | 'oidc';
  /** LDAP: the entry's DN; OIDC: issuer and sub. */
  subject: string;
}

export interface UserView {
  name: string;
  admin: boolean;
  blocked: boolean;
  /** May create and manage their own workspaces (not only use those an admin made). */
  selfService: boolean;
  groups: string[];
  /** The user's own limits; `effectiveQuota` is what applies once groups and the hub default are counted. */
  quota: Quota;
  sshKeys: SshKeyRecord[];
  createdAt: string;
  /** Absent: made on the hub, never by directory sign-in. */
  directory?: DirectoryLink;
  effectiveQuota: Quota;
}

export interface GroupRecord {
  name: string;
  quota: Quota;
  createdAt: string;
}

/** An API token without its secret (the hub keeps only a hash of it). */
export interface TokenView {
  id: string;
  user: string;
  note: string;
  scope: 'user' | 'admin';
  expiresAt: string | null;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface CreatedToken extends TokenView {
  /** The secret: shown once, never stored. */
  token: string;
}

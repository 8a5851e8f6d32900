/**
 * What a directory (LDAP) or identity provider (OIDC) said about a person, and how the hub turns it
 * into a Hubdeck user: allowed groups, the admin group, self-service groups.
 */
export interface DirectoryIdentity {
  /** Already checked against the hub's user-name rules. */
  username: string;
  /** The person's groups as the directory names them. */
  groups: string[];
  /** Which sign-in vouched for them, and their stable id there (LDAP DN; OIDC issuer + sub). */
  source: 'ldap' | 'oidc';
  subject: string;
}

export interface DirectoryPolicy {
  /** Only members of one of these may sign in; empty: everyone the directory accepts. */
  allowedGroups: string[];
  /** Members are hub admins, others are not; null: admin is left as the hub's admins set it. */
  adminGroup: string | null;
  /** Members may create their own workspaces; empty: left as set (new users: not self-service). */
  selfServiceGroups: string[];
}

/** Sign-in failed because of the person (wrong password, not allowed): counted by the throttle. */
export class SignInRefused extends Error {
  constructor(message: string, readonly counts = true) {
    super(message);
    this.name = 'SignInRefused';
  }
}

/** The directory or provider cannot answer: nobody's fault, not counted, token holders still get in. */
export class DirectoryUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DirectoryUnavailable';
  }
}

/** Too many sign-ins already in line from this address: try again shortly (429, not counted). */
export class SignInsBusy extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignInsBusy';
  }
}

const member = (groups: string[], wanted: string[]) => wanted.some((g) => groups.includes(g));

export function isAllowed(p: DirectoryPolicy, groups: string[]): boolean {
  return p.allowedGroups.length === 0 || member(groups, p.allowedGroups);
}

export function isAdmin(p: DirectoryPolicy, groups: string[]): boolean | null {
  return p.adminGroup === null ? null : groups.includes(p.adminGroup);
}

export function isSelfService(p: DirectoryPolicy, groups: string[]): boolean | null {
  return p.selfServiceGroups.length === 0 ? null : member(groups, p.selfServiceGroups);
}

/**
 * Names of users, workspaces and hubs, and the engine resource names derived from them.
 * Workspace names are DNS labels (≤ 40) so they fit host names, Kubernetes objects and SSH aliases.
 * User names are DNS labels starting with a letter (≤ 32) and contain no dot, because the SSH login
 * name `user.workspace` must split unambiguously.
 */
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

export const LIMITS = { workspaceName: 40, userName: 32, origin: 24 } as const;

/** Returns the broken rule, or null when the name is valid. */
export function checkWorkspaceName(name: string): string | null {
  return checkLabel(name, LIMITS.workspaceName, 'a workspace name');
}

export function checkUserName(name: string): string | null {
  const rule = checkLabel(name, LIMITS.userName, 'a user name');
  if (rule) return rule;
  return /^[a-z]/.test(name) ? null : `"${name}" is not a user name (it must start with a letter)`;
}

export function checkOrigin(origin: string): string | null {
  return checkLabel(origin, LIMITS.origin, 'a hub id');
}

function checkLabel(name: string, max: number, what: string): string | null {
  if (name.length === 0) return `${what} cannot be empty`;
  if (name.length > max) return `"${name}" is too long for ${what} (${name.length} > ${max} characters)`;
  if (!DNS_LABEL.test(name)) {
    return `"${name}" is not ${what} (use lowercase letters, digits and "-", starting and ending with a letter or digit)`;
  }
  return null;
}

/**
 * A user name from an OS account name ("John.Doe" → "john-doe"), so the CLI has a sensible default.
 * Returns null when nothing valid can be made of it.
 */
export function userNameFromOsUser(osUser: string): string | null {
  const name = osUser.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '');
  const cut = name.slice(0, LIMITS.userName).replace(/-+$/, '');
  return checkUserName(cut) === null ? cut : null;
}

/** FNV-1a, 32 bit, base 36: a short stable suffix that keeps derived names unique without crypto. */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36).padStart(7, '0');
}

export interface WorkspaceKey {
  origin: string;
  user: string;
  name: string;
}

/**
 * Engine resource names. The hash of (origin, user, name) makes them unique even where dashes make
 * the readable part ambiguous ("a-b"+"c" vs "a"+"b-c") and across hubs sharing one engine.
 */
export const resourceNames = {
  container: (k: WorkspaceKey) => `hubdeck-${k.user}-${k.name}-${shortHash(`${k.origin}/${k.user}/${k.name}`)}`,
  volume: (k: WorkspaceKey) => `hubdeck-${k.user}-${k.name}-${shortHash(`${k.origin}/${k.user}/${k.name}`)}-data`,
  network: (origin: string, user: string) => `hubdeck-${origin}-${user}`,
  /** A user's named volume (spec mounts): scoped by origin and user, so nobody mounts another's. */
  userVolume: (origin: string, user: string, source: string) => `hubdeck-${origin}-${user}-vol-${source}`,
};

/** Path prefix under which the hub proxy serves a workspace (docs/architecture.md "Access"); the workspace is told it. */
export function workspaceBaseUrl(user: string, name: string): string {
  return `/user/${user}/${name}/`;
}

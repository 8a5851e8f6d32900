/**
 * Expiry kept on the container itself. Docker labels cannot change after creation, but a
 * container's name can (`docker rename` keeps the id, the network alias and everything else), so
 * the current expiry rides in the name as a suffix: `<name>.exp-<unix milliseconds>` or `.exp-never`.
 * The creation-time labels still hold the original expiry; the suffix, when present, wins.
 * Workspaces are never found by name (labels are the truth), so renaming is safe.
 */
const SUFFIX = /\.exp-(never|\d{1,15})$/;

/** The container name carrying `expiresAt` (null: never). */
export function nameWithExpiry(name: string, expiresAt: string | null): string {
  const base = name.replace(/^\//, '').replace(SUFFIX, '');
  return `${base}.exp-${expiresAt === null ? 'never' : Date.parse(expiresAt)}`;
}

/** undefined: the name says nothing (use the labels); null: never expires; else RFC 3339. */
export function expiryFromName(name: string | undefined): string | null | undefined {
  const m = SUFFIX.exec(name ?? '');
  if (!m) return undefined;
  return m[1] === 'never' ? null : new Date(Number(m[1])).toISOString();
}

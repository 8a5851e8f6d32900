/** Expiry math: days to live → an absolute RFC 3339 instant, and the checks on it. */
const DAY_MS = 24 * 60 * 60 * 1000;

export function expiresAtFromDays(days: number, now: Date): string {
  return new Date(now.getTime() + Math.round(days * DAY_MS)).toISOString();
}

export function isExpired(expiresAt: string | null, now: Date): boolean {
  return expiresAt !== null && Date.parse(expiresAt) <= now.getTime();
}

/** Milliseconds until expiry (negative once past), or null for workspaces that never expire. */
export function msUntilExpiry(expiresAt: string | null, now: Date): number | null {
  return expiresAt === null ? null : Date.parse(expiresAt) - now.getTime();
}

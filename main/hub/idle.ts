/**
 * Idle culling decisions (JupyterHub's culler, with our activity sources): a workspace is idle when
 * no proxy traffic, no SSH session and no Jupyter activity happened for the timeout, and no kernel
 * is busy. Pure; the probes that feed it live in the hub and the access layer.
 */
export interface ActivitySnapshot {
  now: Date;
  startedAt: string | null;
  /** Last proxy request or SSH activity the access layer reported. */
  lastAccess: string | null;
  /** Open SSH sessions right now: a session in progress is activity even when quiet. */
  openSessions: number;
  /** From the web app (Jupyter /api/status), when it has such an API. */
  app: { lastActivity: string | null; busyKernels: number } | null;
}

export function lastActivity(s: ActivitySnapshot): number | null {
  const times = [s.lastAccess, s.app?.lastActivity ?? null, s.startedAt].filter((t): t is string => Boolean(t)).map(Date.parse);
  return times.length ? Math.max(...times) : null;
}

/** Minutes idle, or null when the workspace is busy or its activity cannot be told. */
export function idleMinutes(s: ActivitySnapshot): number | null {
  if (s.openSessions > 0 || (s.app?.busyKernels ?? 0) > 0) return null;
  const last = lastActivity(s);
  return last === null ? null : (s.now.getTime() - last) / 60_000;
}

export function shouldCull(s: ActivitySnapshot, timeoutMinutes: number): boolean {
  const idle = idleMinutes(s);
  return idle !== null && idle >= timeoutMinutes;
}

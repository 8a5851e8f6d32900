/**
 * How Hubdeck writes sizes, cores, durations and dates for people — one module the CLI and the UI
 * both use, so `hubdeck list` and the Workspaces page say the same "expires in 2d 23h". Pure (no
 * locale lookups, no clock): callers pass `now`, so output is the same on every machine and in tests.
 */
import type { WorkspaceView } from './dto';

const UNITS: [string, number][] = [['TiB', 1024 ** 4], ['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]];

/** 536870912 → "512 MiB", 1.5 GiB → "1.5 GiB"; null → "—". */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  for (const [unit, f] of UNITS) if (bytes >= f) return `${Number((bytes / f).toFixed(bytes / f >= 100 ? 0 : 1))} ${unit}`;
  return `${bytes} B`;
}

/** "65.7 MiB / 512 MiB"; an absent limit reads "no limit" (the engine caps nothing). */
export function formatUsage(used: number | null | undefined, limit: number | null | undefined): string {
  return `${formatBytes(used)} / ${limit ? formatBytes(limit) : 'no limit'}`;
}

export function formatPercent(p: number): string {
  return `${p >= 10 ? Math.round(p) : p.toFixed(1)}%`;
}

type Gpus = NonNullable<NonNullable<WorkspaceView['spec']>['gpus']>;

export function formatGpus(g: Gpus | null | undefined): string {
  if (!g) return 'none';
  if (g.kind === 'all') return 'all';
  if (g.kind === 'count') return String(g.count);
  return g.ids.join(',');
}

/** The limits a workspace runs with: its spec, else what the engine enforces. */
export function limitsOf(w: WorkspaceView): { cpus: number | null; memory: number | null; shm: number | null; gpus: Gpus | null } {
  return {
    cpus: w.spec?.cpus ?? w.limits?.cpus ?? null,
    memory: w.spec?.memory ?? w.limits?.memory ?? null,
    shm: w.spec?.shm ?? null,
    gpus: w.spec?.gpus ?? w.limits?.gpus ?? null,
  };
}

/** 1 → "1 CPU", 0.5 → "0.5 CPUs", null → "no limit". */
export function formatCpus(c: number | null): string {
  return c === null ? 'no limit' : `${c} CPU${c === 1 ? '' : 's'}`;
}

/** A span in its two largest units: "2d 23h", "3h 12m", "4m 10s", "0s". Negative spans read as 0s. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown';
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/** "2d 4h", "3h 12m", "4m 10s", "expired" — time from `now` until `iso`. */
export function timeLeft(iso: string, now: number): string {
  const ms = Date.parse(iso) - now;
  if (!Number.isFinite(ms)) return 'unknown';
  if (ms <= 0) return 'expired';
  return formatDuration(ms);
}

/** "in 2d 23h", "expired", "never" — a workspace's end in an EXPIRES column. */
export function expiresIn(iso: string | null | undefined, now: number): string {
  if (!iso) return 'never';
  const left = timeLeft(iso, now);
  return left === 'expired' || left === 'unknown' ? left : `in ${left}`;
}

/** "expires in 2d 23h", "expired", "never expires" — the same in a sentence. */
export function expiryPhrase(iso: string | null | undefined, now: number): string {
  const when = expiresIn(iso, now);
  return when === 'never' ? 'never expires' : when === 'expired' || when === 'unknown' ? when : `expires ${when}`;
}

/** Whether the expiry is within the hub's warning window (default one day). */
export function expiresSoon(iso: string | null, now: number, warnHours = 24): boolean {
  if (!iso) return false;
  const ms = Date.parse(iso) - now;
  return ms <= warnHours * 3600_000;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * "Fri 19 Dec, 14:00" in the machine's time zone (or UTC when asked, for logs and tests); the year
 * is added only when it is not `now`'s, so near dates stay short. Garbage input is shown as given.
 */
export function formatDate(iso: string | null | undefined, opts: { now?: number; utc?: boolean } = {}): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const u = opts.utc === true;
  const year = u ? d.getUTCFullYear() : d.getFullYear();
  const nowYear = opts.now === undefined ? year : (u ? new Date(opts.now).getUTCFullYear() : new Date(opts.now).getFullYear());
  const pad = (n: number): string => String(n).padStart(2, '0');
  const day = DAYS[u ? d.getUTCDay() : d.getDay()];
  const month = MONTHS[u ? d.getUTCMonth() : d.getMonth()];
  const date = u ? d.getUTCDate() : d.getDate();
  const time = `${pad(u ? d.getUTCHours() : d.getHours())}:${pad(u ? d.getUTCMinutes() : d.getMinutes())}`;
  return `${day} ${date} ${month}${year === nowYear ? '' : ` ${year}`}, ${time}`;
}

/** "in 12 days", "in 3 hours", "5 minutes ago", "just now" — the largest whole unit. */
export function formatRelative(iso: string, now: number): string {
  const ms = Date.parse(iso) - now;
  if (!Number.isFinite(ms)) return 'unknown';
  const abs = Math.abs(ms);
  if (abs < 60_000) return 'just now';
  const [n, unit] = abs >= 86_400_000 ? [Math.floor(abs / 86_400_000), 'day']
    : abs >= 3_600_000 ? [Math.floor(abs / 3_600_000), 'hour'] : [Math.floor(abs / 60_000), 'minute'];
  const text = `${n} ${unit}${n === 1 ? '' : 's'}`;
  return ms > 0 ? `in ${text}` : `${text} ago`;
}

/**
 * When a workspace would expire after `days` more: counted from its expiry while that is ahead,
 * else from now, as the hub counts an extend (the Extend dialog says it before it is made).
 */
export function extendedExpiry(expiresAt: string | null, days: number, now: number): number | null {
  if (!Number.isFinite(days) || days <= 0) return null;
  const current = expiresAt === null ? NaN : Date.parse(expiresAt);
  const from = Number.isFinite(current) && current > now ? current : now;
  return from + Math.round(days * 86_400_000);
}

/**
 * "Fri 19 Dec, 14:00 (in 12 days)": a date people can check against a calendar, and how far off,
 * rounded (11 days 23 hours is "12 days": the extension people asked for, minus the seconds since).
 */
export function formatExpiryPreview(at: number, now: number): string {
  const ms = Math.max(at - now, 60_000);
  const unit = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const span = ms >= 86_400_000 ? unit(Math.round(ms / 86_400_000), 'day')
    : ms >= 3_600_000 ? unit(Math.round(ms / 3_600_000), 'hour') : unit(Math.round(ms / 60_000), 'minute');
  return `${formatDate(new Date(at).toISOString(), { now })} (in ${span})`;
}

/** How the UI writes sizes, limits, percentages and time left. Pure, so it is tested without a page. */
import type { WorkspaceView } from '../../../main/api/dto';

const UNITS: [string, number][] = [['TiB', 1024 ** 4], ['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]];

/** 536870912 → "512 MiB", 1.5 GiB → "1.5 GiB"; null → "—". */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  for (const [unit, f] of UNITS) if (bytes >= f) return `${Number((bytes / f).toFixed(bytes / f >= 100 ? 0 : 1))} ${unit}`;
  return `${bytes} B`;
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

export function formatCpus(c: number | null): string {
  return c === null ? 'no limit' : `${c} CPU${c === 1 ? '' : 's'}`;
}

/** "2d 4h", "3h 12m", "4m 10s", "expired" — time from `now` until `iso`. */
export function timeLeft(iso: string, now: number): string {
  const ms = Date.parse(iso) - now;
  if (!Number.isFinite(ms)) return 'unknown';
  if (ms <= 0) return 'expired';
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  return `${m}m ${s % 60}s`;
}

/** Whether the expiry is within the hub's warning window (default one day). */
export function expiresSoon(iso: string | null, now: number, warnHours = 24): boolean {
  if (!iso) return false;
  const ms = Date.parse(iso) - now;
  return ms <= warnHours * 3600_000;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

// ---- Extend dialog (issue 20 item 5): the expiry an extension would give, said before it is made. ----

const DAY_MS = 86_400_000;

/** When a workspace would expire after adding `days`: counted from its expiry while that is ahead, else from now (as the hub counts). */
export function extendedExpiry(expiresAt: string | null, days: number, now: number): number | null {
  if (!Number.isFinite(days) || days <= 0) return null;
  const current = expiresAt === null ? NaN : Date.parse(expiresAt);
  const from = Number.isFinite(current) && current > now ? current : now;
  return from + Math.round(days * DAY_MS);
}

/** "Fri 19 Dec, 14:00 (in 12 days)": a weekday and a local time people can check against a calendar. */
export function formatExpiryPreview(at: number, now: number): string {
  const when = new Date(at).toLocaleString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false });
  return `${when} (in ${formatSpan(at - now)})`;
}

/** 12 days, 1 day, 5 hours, 20 minutes: the largest whole unit, rounded. */
export function formatSpan(ms: number): string {
  const unit = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  if (ms >= DAY_MS) return unit(Math.round(ms / DAY_MS), 'day');
  if (ms >= 3_600_000) return unit(Math.round(ms / 3_600_000), 'hour');
  return unit(Math.max(1, Math.round(ms / 60_000)), 'minute');
}

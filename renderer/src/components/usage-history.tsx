/**
 * A workspace's use over the last hour or day (the hub's in-memory history, GET /stats/history):
 * CPU in cores against its limit and memory against its limit, a point per minute (ten minutes
 * for the day), gaps where it was not running. Refreshed every minute while shown.
 */
import { useEffect, useState } from 'react';
import type { UsageSeries } from '../../../main/api/dto';
import { errorMessage } from '../../../main/api/error-codes';
import { formatBytes } from '../lib/format';
import { RISING_RANGE, timeSlots } from '../lib/chart-data';
import { formatCores } from '../lib/cpu-scale';
import { useHub } from '../lib/hub-context';
import { useNow } from '../lib/use-now';
import { Chart } from './stats-chart';

export const SPANS = {
  hour: { label: 'Last hour', minutes: 60, slots: 60, intervalMs: 60_000, span: 'the last hour' },
  day: { label: 'Last day', minutes: 1440, slots: 144, intervalMs: 600_000, span: 'the last day' },
} as const;
export type Span = keyof typeof SPANS;

/** The hub's history of `user`'s workspaces (or everyone's, `all`) over a span, refreshed every minute. */
export function useUsageHistory(q: { user?: string; all?: boolean }, span: Span): { series: UsageSeries[] | null; error: string | null; now: number } {
  const { client } = useHub();
  const now = useNow(60_000);
  const [series, setSeries] = useState<UsageSeries[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    client.usageHistory({ user: q.user, all: q.all || undefined, minutes: SPANS[span].minutes })
      .then((s) => { if (live) { setSeries(s); setError(null); } }, (e) => { if (live) setError(errorMessage(e)); });
    return () => { live = false; };
  }, [client, q.user, q.all, span, now]);
  return { series, error, now };
}

export function SpanSwitch({ span, onChange }: { span: Span; onChange: (s: Span) => void }) {
  return (
    <div className="row" role="group" aria-label="Time span">
      {(Object.keys(SPANS) as Span[]).map((s) => (
        <button key={s} type="button" aria-pressed={span === s} onClick={() => onChange(s)}>{SPANS[s].label}</button>
      ))}
    </div>
  );
}

export function UsageHistory({ user, name, limitCpus }: { user: string; name: string; limitCpus: number | null }) {
  const [span, setSpan] = useState<Span>('hour');
  const { series, error, now } = useUsageHistory({ user }, span);
  const points = series?.find((s) => s.name === name)?.points ?? [];
  const sp = SPANS[span];
  const lastLimit = points[points.length - 1]?.memoryLimit ?? 0;
  const common = { slots: sp.slots, intervalMs: sp.intervalMs, span: sp.span };
  return (
    <section aria-labelledby="history-h">
      <div className="spread">
        <h2 id="history-h">Use over time</h2>
        <SpanSwitch span={span} onChange={setSpan} />
      </div>
      {error && <p className="alert">{error}</p>}
      {series !== null && points.length === 0 && <p className="muted" data-testid="history-empty">No history yet: the hub records a point a minute while the workspace runs (kept in memory for a day).</p>}
      <div className="grid2">
        <Chart title={`CPU, ${sp.label.toLowerCase()}`} note={limitCpus ? `cores; limit ${formatCores(limitCpus)}` : 'cores'} data={timeSlots(points, sp.slots, sp.intervalMs, now, (p) => p.cores)}
          range={limitCpus ? [0, limitCpus] : RISING_RANGE(1)} fmt={formatCores} color="--cpu" {...common} />
        <Chart title={`Memory, ${sp.label.toLowerCase()}`} data={timeSlots(points, sp.slots, sp.intervalMs, now, (p) => p.memoryUsed)}
          range={lastLimit > 0 ? [0, lastLimit] : RISING_RANGE(1024 ** 2)} fmt={formatBytes} color="--mem" {...common} />
      </div>
    </section>
  );
}

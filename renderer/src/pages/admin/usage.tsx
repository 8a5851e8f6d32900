/**
 * Admin: the team's use per user over the last hour or day — one line per user of the CPU (cores)
 * their workspaces used together, from the hub's in-memory history — and the same figures as a
 * table (now and peak CPU and memory) for those who would rather read, or use a screen reader.
 */
import { useMemo, useState } from 'react';
import type uPlot from 'uplot';
import { SPANS, SpanSwitch, useUsageHistory, type Span } from '../../components/usage-history';
import { themeColor, UPlotView, type ChartOptions } from '../../components/uplot-view';
import { RISING_RANGE, slotLabel, slotSplits } from '../../lib/chart-data';
import { formatCores } from '../../lib/cpu-scale';
import { formatBytes } from '../../lib/format';
import { usageByUser } from '../../lib/usage-by-user';

/** Series colours (styles.css --series-1…6), reused round the list beyond six users. */
const colour = (i: number) => `--series-${(i % 6) + 1}`;

function teamOptions(users: string[], slots: number, intervalMs: number): ChartOptions {
  const muted = themeColor('--muted');
  return {
    height: 220, legend: { show: false }, cursor: { show: false }, select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    scales: { x: { time: false, range: [0, slots - 1] }, y: { range: RISING_RANGE(1) } },
    axes: [
      { stroke: muted, grid: { show: false }, splits: () => slotSplits(slots), values: (_u, xs) => xs.map((x) => slotLabel(x, slots, intervalMs)) },
      { stroke: muted, size: 76, grid: { stroke: themeColor('--border'), dash: [3, 3], width: 1 }, values: (_u, ys) => ys.map(formatCores) },
    ],
    series: [{}, ...users.map((u, i) => ({ label: u, stroke: themeColor(colour(i)), width: 2, spanGaps: false }))],
  };
}

export function UsageSection() {
  const [span, setSpan] = useState<Span>('hour');
  const { series, error, now } = useUsageHistory({ all: true }, span);
  const sp = SPANS[span];
  const users = useMemo(() => usageByUser(series ?? [], sp.slots, sp.intervalMs, now), [series, sp, now]);
  const names = users.map((u) => u.user);
  const key = names.join('\n');
  const options = useMemo(() => teamOptions(key ? key.split('\n') : [], sp.slots, sp.intervalMs), [key, sp]);
  const data = [Array.from({ length: sp.slots }, (_, i) => i), ...users.map((u) => u.cores)] as uPlot.AlignedData;
  const last = (xs: (number | null)[]) => xs[xs.length - 1] ?? null;
  return (
    <>
      <div className="spread">
        <p className="muted">CPU in use per user (all their workspaces together), a point per minute; the hub keeps a day in memory.</p>
        <SpanSwitch span={span} onChange={setSpan} />
      </div>
      {error && <p role="alert" className="alert">{error}</p>}
      {series !== null && users.length === 0 && <p className="notice">No use recorded yet: the hub records a point a minute for each running workspace.</p>}
      {users.length > 0 && (
        <figure className="panel">
          <figcaption><strong>CPU per user, {sp.label.toLowerCase()}</strong> <span className="muted">(cores)</span></figcaption>
          <ul className="chart-legend" aria-hidden="true">
            {names.map((n, i) => <li key={n} className={`series-${(i % 6) + 1}`}>{n}</li>)}
          </ul>
          <div className="chart" role="img" aria-label={`CPU per user over ${sp.span}: ${users.map((u) => `${u.user} peak ${formatCores(u.peakCores)}`).join(', ')}`}>
            <UPlotView options={options} data={data} />
          </div>
        </figure>
      )}
      {users.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Use per user, {sp.label.toLowerCase()}</caption>
            <thead><tr><th scope="col">User</th><th scope="col" className="num">Workspaces</th><th scope="col" className="num">CPU now</th><th scope="col" className="num">CPU peak</th><th scope="col" className="num">Memory now</th><th scope="col" className="num">Memory peak</th></tr></thead>
            <tbody>
              {users.map((u) => {
                const cpuNow = last(u.cores);
                const memNow = last(u.memory);
                return (
                  <tr key={u.user} data-user={u.user}>
                    <th scope="row" className="name">{u.user}</th><td className="num">{u.workspaces}</td>
                    <td className="num">{cpuNow === null ? '—' : formatCores(cpuNow)}</td><td className="num">{formatCores(u.peakCores)}</td>
                    <td className="num">{memNow === null ? '—' : formatBytes(memNow)}</td><td className="num">{formatBytes(u.peakMemory)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** CPU and memory over time for the detail page: two SVG line charts with their scales. */
import type { WorkspaceStats } from '../../../main/api/dto';
import { formatBytes, formatPercent } from '../lib/format';
import { niceMax, polylinePoints } from '../lib/chart-math';

const W = 560;
const H = 140;
const PAD = { left: 56, top: 8, bottom: 18 };

function Chart({ title, values, max, fmt, cls, slots, seconds }: { title: string; values: number[]; max: number; fmt: (n: number) => string; cls: string; slots: number; seconds: number }) {
  const last = values[values.length - 1];
  const iw = W - PAD.left - 4;
  const ih = H - PAD.top - PAD.bottom;
  return (
    <figure className="panel">
      <figcaption><strong>{title}</strong> <span className="muted">now {last === undefined ? '—' : fmt(last)}</span></figcaption>
      <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title} over the last ${seconds} seconds; now ${last === undefined ? 'unknown' : fmt(last)}`}>
        <line className="axis" x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={PAD.top + ih} />
        <line className="axis" x1={PAD.left} y1={PAD.top + ih} x2={W - 4} y2={PAD.top + ih} />
        <line className="axis" x1={PAD.left} y1={PAD.top + ih / 2} x2={W - 4} y2={PAD.top + ih / 2} strokeDasharray="3 3" />
        <text x={PAD.left - 6} y={PAD.top + 8} textAnchor="end">{fmt(max)}</text>
        <text x={PAD.left - 6} y={PAD.top + ih / 2 + 4} textAnchor="end">{fmt(max / 2)}</text>
        <text x={PAD.left - 6} y={PAD.top + ih} textAnchor="end">0</text>
        <text x={PAD.left} y={H - 4}>−{seconds}s</text>
        <text x={W - 4} y={H - 4} textAnchor="end">now</text>
        <g transform={`translate(${PAD.left},${PAD.top})`}>
          <polyline className={cls} points={polylinePoints(values, iw, ih, max, slots)} />
        </g>
      </svg>
    </figure>
  );
}

export function StatsCharts({ samples, slots, intervalMs }: { samples: WorkspaceStats[]; slots: number; intervalMs: number }) {
  const last = samples[samples.length - 1];
  const cpu = samples.map((s) => s.cpuPercent);
  const mem = samples.map((s) => s.memoryUsed);
  const seconds = Math.round((slots * intervalMs) / 1000);
  return (
    <div className="grid2">
      <Chart title="CPU" values={cpu} max={niceMax(cpu, 100)} fmt={formatPercent} cls="cpu" slots={slots} seconds={seconds} />
      <Chart title="Memory" values={mem} max={last && last.memoryLimit > 0 ? last.memoryLimit : niceMax(mem, 1024 ** 2)} fmt={formatBytes} cls="mem" slots={slots} seconds={seconds} />
    </div>
  );
}

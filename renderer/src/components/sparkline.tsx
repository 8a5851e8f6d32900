/**
 * A workspace's CPU and memory as two tiny lines (plain SVG: a chart library would cost more than
 * the whole first page). The figures are also in text, for screen readers and for reading exact values.
 */
import type { WorkspaceStats } from '../../../main/api/dto';
import { formatBytes, formatPercent } from '../lib/format';
import { polylinePoints } from '../lib/chart-math';

const W = 80;
const H = 22;
const SLOTS = 40;

export function Sparkline({ samples, label }: { samples: WorkspaceStats[]; label: string }) {
  const last = samples[samples.length - 1];
  if (!last) return <span className="muted">—</span>;
  const cpuMax = Math.max(100, last.onlineCpus * 100);
  const cpu = samples.map((s) => s.cpuPercent);
  const mem = samples.map((s) => (s.memoryLimit > 0 ? (s.memoryUsed / s.memoryLimit) * 100 : 0));
  const text = `CPU ${formatPercent(last.cpuPercent)}, memory ${formatBytes(last.memoryUsed)}`;
  return (
    <span className="spark-cell">
      <svg className="spark" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${label}: ${text}`}>
        <polyline className="cpu" fill="none" strokeWidth="1.5" points={polylinePoints(cpu, W, H - 1, cpuMax, SLOTS)} />
        <polyline className="mem" fill="none" strokeWidth="1.5" points={polylinePoints(mem, W, H - 1, 100, SLOTS)} />
      </svg>
      <span aria-hidden="true" className="mono">
        <span className="legend-cpu">{formatPercent(last.cpuPercent)}</span> · <span className="legend-mem">{formatBytes(last.memoryUsed)}</span>
      </span>
    </span>
  );
}

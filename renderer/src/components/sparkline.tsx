/**
 * A workspace's CPU and memory as two tiny lines (uPlot, no axes). The figures are also in text,
 * for screen readers and for reading exact values.
 */
import { useMemo } from 'react';
import type { WorkspaceStats } from '../../../main/api/dto';
import { formatBytes, formatPercent } from '../lib/format';
import { slotData } from '../lib/chart-data';
import { themeColor, UPlotView, type ChartOptions } from './uplot-view';

const W = 80;
const H = 22;
const SLOTS = 40;

/** CPU against 100 % per online CPU, memory against 100 % of the limit: both fixed, for comparing rows. */
function sparkOptions(cpuMax: number): ChartOptions {
  return {
    width: W, height: H, padding: [1, 0, 1, 0],
    legend: { show: false }, cursor: { show: false }, select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    scales: { x: { time: false, range: [0, SLOTS - 1] }, cpu: { range: [0, cpuMax] }, mem: { range: [0, 100] } },
    axes: [{ show: false }, { show: false, scale: 'cpu' }],
    series: [{}, { scale: 'cpu', stroke: themeColor('--cpu'), width: 1.5 }, { scale: 'mem', stroke: themeColor('--mem'), width: 1.5 }],
  };
}

export function Sparkline({ samples, label }: { samples: WorkspaceStats[]; label: string }) {
  const last = samples[samples.length - 1];
  const cpuMax = Math.max(100, (last?.onlineCpus ?? 1) * 100);
  const options = useMemo(() => sparkOptions(cpuMax), [cpuMax]);
  if (!last) return <span className="muted">—</span>;
  const cpu = samples.map((s) => s.cpuPercent);
  const mem = samples.map((s) => (s.memoryLimit > 0 ? (s.memoryUsed / s.memoryLimit) * 100 : 0));
  const text = `CPU ${formatPercent(last.cpuPercent)}, memory ${formatBytes(last.memoryUsed)}`;
  return (
    <span className="spark-cell">
      <span className="spark" role="img" aria-label={`${label}: ${text}`}>
        <UPlotView options={options} data={slotData([cpu, mem], SLOTS, [cpuMax, 100])} />
      </span>
      <span aria-hidden="true" className="mono">
        <span className="legend-cpu">{formatPercent(last.cpuPercent)}</span> · <span className="legend-mem">{formatBytes(last.memoryUsed)}</span>
      </span>
    </span>
  );
}

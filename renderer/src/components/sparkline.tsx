/**
 * A workspace's CPU and memory as a row-sized chart (uPlot, no axes): both lines drawn as a share
 * of the workspace's own limits (CPU in cores against its CPU limit, memory against its memory
 * limit), so a full line means "at the limit" for either, and rows compare. The figures are beside
 * it in text, and in full for screen readers.
 */
import { useMemo } from 'react';
import type { WorkspaceStats } from '../../../main/api/dto';
import { formatBytes } from '../lib/format';
import { slotData } from '../lib/chart-data';
import { coresOf, cpuScale, cpuText, memoryText } from '../lib/cpu-scale';
import { themeColor, UPlotView, type ChartOptions } from './uplot-view';

const W = 96;
const H = 30;
const SLOTS = 40;

function sparkOptions(): ChartOptions {
  return {
    width: W, height: H, padding: [3, 1, 2, 1],
    legend: { show: false }, cursor: { show: false }, select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    scales: { x: { time: false, range: [0, SLOTS - 1] }, y: { range: [0, 100] } },
    axes: [{ show: false }, { show: false }],
    series: [{}, { stroke: themeColor('--cpu'), width: 2 }, { stroke: themeColor('--mem'), width: 2 }],
  };
}

const share = (used: number, of: number) => (of > 0 ? (used / of) * 100 : 0);

export function Sparkline({ samples, label, limitCpus }: { samples: WorkspaceStats[]; label: string; limitCpus: number | null }) {
  const options = useMemo(sparkOptions, []);
  const last = samples[samples.length - 1];
  if (!last) return <span className="muted">—</span>;
  const scale = cpuScale(limitCpus, last.onlineCpus);
  const cpu = samples.map((s) => share(coresOf(s.cpuPercent), scale));
  const mem = samples.map((s) => share(s.memoryUsed, s.memoryLimit));
  const text = `CPU ${cpuText(last.cpuPercent, scale)}, memory ${memoryText(last.memoryUsed, last.memoryLimit, formatBytes)}`;
  const pct = (n: number) => `${Math.round(Math.min(n, 999))}%`;
  return (
    <span className="spark-cell">
      <span className="spark" role="img" aria-label={`${label}: ${text}`}>
        <UPlotView options={options} data={slotData([cpu, mem], SLOTS, [100, 100])} />
      </span>
      <span aria-hidden="true" className="spark-figures" title={text}>
        <span className="legend-cpu">CPU {pct(cpu[cpu.length - 1]!)}</span>
        <span className="legend-mem">Mem {last.memoryLimit > 0 ? pct(mem[mem.length - 1]!) : formatBytes(last.memoryUsed)}</span>
      </span>
    </span>
  );
}

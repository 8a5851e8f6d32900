/**
 * CPU and memory over time for the detail page: two uPlot line charts with their scales. CPU is in
 * cores against the workspace's CPU limit (a 0.5-CPU workspace's chart tops out at 0.5 cores, as
 * memory tops out at its memory limit); the time axis says its unit ("30 s ago", "45 min ago").
 * The live charts take slots of samples; the history charts take their data ready-made.
 */
import { useMemo } from 'react';
import type uPlot from 'uplot';
import type { WorkspaceStats } from '../../../main/api/dto';
import { formatBytes } from '../lib/format';
import { RISING_RANGE, slotData, slotLabel, slotSplits } from '../lib/chart-data';
import { coresOf, cpuScale, formatCores } from '../lib/cpu-scale';
import { themeColor, UPlotView, type ChartOptions } from './uplot-view';

const H = 150;

export interface ChartProps {
  title: string;
  /** x = slot index, then one series (null: no sample, drawn as a gap). */
  data: uPlot.AlignedData;
  /** Where the y axis ends: a fixed top (a limit) or uPlot's range rising above a floor. */
  range: [number, number] | uPlot.Range.Config;
  fmt: (n: number) => string;
  color: string;
  slots: number;
  intervalMs: number;
  /** How the span is said to screen readers: "the last 90 seconds". */
  span: string;
  /** What the scale is, beside the title: "cores; limit 0.5 cores". */
  note?: string;
}

function chartOptions({ range, fmt, color, slots, intervalMs }: Omit<ChartProps, 'title' | 'data' | 'span' | 'note'>): ChartOptions {
  const muted = themeColor('--muted');
  return {
    height: H, legend: { show: false }, cursor: { show: false }, select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    scales: { x: { time: false, range: [0, slots - 1] }, y: { range } },
    axes: [
      { stroke: muted, grid: { show: false }, splits: () => slotSplits(slots), values: (_u, xs) => xs.map((x) => slotLabel(x, slots, intervalMs)) },
      { stroke: muted, size: 76, grid: { stroke: themeColor('--border'), dash: [3, 3], width: 1 }, values: (_u, ys) => ys.map(fmt) },
    ],
    series: [{}, { stroke: themeColor(color), width: 1.5, spanGaps: false }],
  };
}

export function Chart(p: ChartProps) {
  const { title, data, range, fmt, color, slots, intervalMs, span, note } = p;
  // A new range object each render is the same range: rebuild the chart only when its value changes.
  const rangeKey = JSON.stringify(range);
  const options = useMemo(() => chartOptions({ range: JSON.parse(rangeKey) as ChartProps['range'], fmt, color, slots, intervalMs }), [rangeKey, fmt, color, slots, intervalMs]);
  const ys = (data[1] ?? []) as (number | null)[];
  const last = [...ys].reverse().find((v) => v !== null && v !== undefined);
  const now = last === undefined || last === null ? null : fmt(last);
  return (
    <figure className="panel">
      <figcaption><strong>{title}</strong>{note && <span className="muted"> ({note})</span>} <span className="muted">{now === null ? 'no samples yet' : `now ${now}`}</span></figcaption>
      <div className="chart" role="img" aria-label={`${title} over ${span}; now ${now ?? 'unknown'}`}>
        <UPlotView options={options} data={data} />
      </div>
    </figure>
  );
}

export function StatsCharts({ samples, slots, intervalMs, limitCpus }: { samples: WorkspaceStats[]; slots: number; intervalMs: number; limitCpus: number | null }) {
  const last = samples[samples.length - 1];
  const scale = cpuScale(limitCpus, last?.onlineCpus ?? 1);
  const memRange: ChartProps['range'] = last && last.memoryLimit > 0 ? [0, last.memoryLimit] : RISING_RANGE(1024 ** 2);
  const span = `the last ${Math.round((slots * intervalMs) / 1000)} seconds`;
  const common = { slots, intervalMs, span };
  return (
    <div className="grid2">
      <Chart title="CPU" note={`cores; limit ${formatCores(scale)}`} data={slotData([samples.map((s) => coresOf(s.cpuPercent))], slots, [scale])} range={[0, scale]} fmt={formatCores} color="--cpu" {...common} />
      <Chart title="Memory" data={slotData([samples.map((s) => s.memoryUsed)], slots, [last?.memoryLimit])} range={memRange} fmt={formatBytes} color="--mem" {...common} />
    </div>
  );
}

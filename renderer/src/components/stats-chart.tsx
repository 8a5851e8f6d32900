/** CPU and memory over time for the detail page: two uPlot line charts with their scales. */
import { useMemo } from 'react';
import type uPlot from 'uplot';
import type { WorkspaceStats } from '../../../main/api/dto';
import { formatBytes, formatPercent } from '../lib/format';
import { RISING_RANGE, slotData, slotLabel } from '../lib/chart-data';
import { themeColor, UPlotView, type ChartOptions } from './uplot-view';

const H = 140;

interface ChartProps {
  title: string;
  values: number[];
  /** Where the y axis ends: a fixed top (a memory limit) or uPlot's range rising above a floor. */
  range: [number, number] | uPlot.Range.Config;
  fmt: (n: number) => string;
  color: string;
  slots: number;
  intervalMs: number;
}

function chartOptions({ range, fmt, color, slots, intervalMs }: Omit<ChartProps, 'title' | 'values'>): ChartOptions {
  const muted = themeColor('--muted');
  return {
    height: H, legend: { show: false }, cursor: { show: false }, select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    scales: { x: { time: false, range: [0, slots - 1] }, y: { range } },
    axes: [
      { stroke: muted, grid: { show: false }, splits: () => [0, slots - 1], values: (_u, xs) => xs.map((x) => slotLabel(x, slots, intervalMs)) },
      { stroke: muted, size: 64, grid: { stroke: themeColor('--border'), dash: [3, 3], width: 1 }, values: (_u, ys) => ys.map(fmt) },
    ],
    series: [{}, { stroke: themeColor(color), width: 1.5 }],
  };
}

function Chart(p: ChartProps) {
  const { title, values, range, fmt, color, slots, intervalMs } = p;
  // A new range object each render is the same range: rebuild the chart only when its value changes.
  const rangeKey = JSON.stringify(range);
  const options = useMemo(() => chartOptions({ range: JSON.parse(rangeKey) as ChartProps['range'], fmt, color, slots, intervalMs }), [rangeKey, fmt, color, slots, intervalMs]);
  const last = values[values.length - 1];
  const seconds = Math.round((slots * intervalMs) / 1000);
  const top = Array.isArray(range) ? range[1] : undefined;
  return (
    <figure className="panel">
      <figcaption><strong>{title}</strong> <span className="muted">now {last === undefined ? '—' : fmt(last)}</span></figcaption>
      <div className="chart" role="img" aria-label={`${title} over the last ${seconds} seconds; now ${last === undefined ? 'unknown' : fmt(last)}`}>
        <UPlotView options={options} data={slotData([values], slots, [top])} />
      </div>
    </figure>
  );
}

export function StatsCharts({ samples, slots, intervalMs }: { samples: WorkspaceStats[]; slots: number; intervalMs: number }) {
  const last = samples[samples.length - 1];
  const memRange: ChartProps['range'] = last && last.memoryLimit > 0 ? [0, last.memoryLimit] : RISING_RANGE(1024 ** 2);
  return (
    <div className="grid2">
      <Chart title="CPU" values={samples.map((s) => s.cpuPercent)} range={RISING_RANGE(100)} fmt={formatPercent} color="--cpu" slots={slots} intervalMs={intervalMs} />
      <Chart title="Memory" values={samples.map((s) => s.memoryUsed)} range={memRange} fmt={formatBytes} color="--mem" slots={slots} intervalMs={intervalMs} />
    </div>
  );
}

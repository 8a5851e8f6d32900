/**
 * One uPlot chart in React: made when mounted (and again when its options change), fed new data on
 * every render without being rebuilt, sized to its box unless given a width, and destroyed when
 * unmounted. uPlot draws on a canvas and styles through the CSSOM, so the UI's CSP (no inline
 * styles or scripts) needs nothing added; colours come from the theme's CSS variables at each draw,
 * so a theme switch shows on the next sample.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export type ChartOptions = Omit<uPlot.Options, 'width'> & { width?: number };

export function UPlotView({ options, data }: { options: ChartOptions; data: uPlot.AlignedData }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(data);
  latest.current = data;
  useEffect(() => {
    const el = box.current!;
    const u = new uPlot({ ...options, width: options.width ?? el.clientWidth }, latest.current, el);
    plot.current = u;
    const resize = options.width === undefined ? new ResizeObserver(() => u.setSize({ width: el.clientWidth, height: options.height })) : null;
    resize?.observe(el);
    return () => {
      resize?.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [options]);
  useEffect(() => plot.current?.setData(data), [data]);
  return <div ref={box} />;
}

/** A theme colour for the canvas, which cannot read CSS variables itself. */
export const themeColor = (name: string) => (u: uPlot) => getComputedStyle(u.root).getPropertyValue(name).trim();

/** Points of a line chart as SVG polyline text (pure: tested without a page). */

/** `values` scaled into a width × height box (y grows downwards), `max` at the top. */
export function polylinePoints(values: readonly number[], width: number, height: number, max: number, slots = values.length): string {
  if (values.length === 0) return '';
  const top = max > 0 ? max : 1;
  const step = slots > 1 ? width / (slots - 1) : 0;
  // Right-aligned: the newest sample is always at the right edge, as in activity monitors.
  const offset = slots - values.length;
  return values
    .map((v, i) => {
      const x = (offset + i) * step;
      const y = height - (Math.min(Math.max(v, 0), top) / top) * height;
      return `${round(x)},${round(y)}`;
    })
    .join(' ');
}

const round = (n: number) => Math.round(n * 10) / 10;

/** A round upper bound for an axis: 100% CPU per core, or the next "nice" number above the data. */
export function niceMax(values: readonly number[], floor: number): number {
  const m = Math.max(floor, ...values);
  const exp = 10 ** Math.floor(Math.log10(m));
  for (const f of [1, 2, 2.5, 5, 10]) if (m <= f * exp) return f * exp;
  return m;
}

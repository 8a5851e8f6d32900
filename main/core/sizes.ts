/**
 * Human byte sizes as Docker writes them ("512m", "2g", "1.5GiB", plain bytes). Units are binary
 * (k = 1024), as in `docker run --memory`, so "512m" is 536870912 bytes.
 */
const UNITS: Record<string, number> = {
  '': 1, b: 1,
  k: 1024, kb: 1024, ki: 1024, kib: 1024,
  m: 1024 ** 2, mb: 1024 ** 2, mi: 1024 ** 2, mib: 1024 ** 2,
  g: 1024 ** 3, gb: 1024 ** 3, gi: 1024 ** 3, gib: 1024 ** 3,
  t: 1024 ** 4, tb: 1024 ** 4, ti: 1024 ** 4, tib: 1024 ** 4,
};

const SIZE_RE = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/;

/** Parses a size; returns null when the text is not one (the caller words the error). */
export function parseSize(text: string | number): number | null {
  if (typeof text === 'number') return Number.isSafeInteger(text) && text >= 0 ? text : null;
  const m = SIZE_RE.exec(text);
  if (!m) return null;
  const unit = UNITS[m[2]!.toLowerCase()];
  if (unit === undefined) return null;
  const bytes = Math.round(Number(m[1]) * unit);
  return Number.isSafeInteger(bytes) ? bytes : null;
}

/** The shortest exact human form ("512m", "1.5g"), falling back to bytes. */
export function formatSize(bytes: number): string {
  for (const [unit, factor] of [['t', 1024 ** 4], ['g', 1024 ** 3], ['m', 1024 ** 2], ['k', 1024]] as const) {
    if (bytes >= factor) {
      const v = bytes / factor;
      if (Number.isInteger(v * 100)) return `${Number(v.toFixed(2))}${unit}`;
    }
  }
  return String(bytes);
}

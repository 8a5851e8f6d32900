/** Kubernetes resource quantities ("500m", "64Mi", "1e3", "2") to numbers, and back for what we write. */
const SUFFIX: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** null for an absent or unreadable quantity. */
export function parseQuantity(q: string | number | undefined | null): number | null {
  if (q === undefined || q === null) return null;
  if (typeof q === 'number') return q;
  const m = /^([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(q.trim());
  if (!m) return null;
  return Number(m[1]) * SUFFIX[m[2] ?? '']!;
}

/** CPUs as millicores, which is what Kubernetes keeps (finer values are rounded up by the API). */
export function cpuQuantity(cpus: number): string {
  return `${Math.max(1, Math.round(cpus * 1000))}m`;
}

export function bytesQuantity(bytes: number): string {
  return String(Math.round(bytes));
}

/** Millicore precision: 0.5 reads back as 0.5, not 0.5000000001. */
export function cpusFrom(q: string | number | undefined | null): number | null {
  const n = parseQuantity(q);
  return n === null ? null : Math.round(n * 1000) / 1000;
}

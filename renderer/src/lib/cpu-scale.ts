/**
 * CPU figures against what a workspace may use: its CPU limit in cores (0.5 CPU pegged is 0.5 of
 * 0.5 cores, full), else the machine's CPUs. The engines report percent of one CPU; a one-core
 * scale made a pegged half-CPU workspace look half idle while memory was shown against its limit.
 * Pure: tested without a page.
 */

/** The cores a workspace's CPU is drawn against: its limit, else the CPUs the engine sees (at least 1). */
export function cpuScale(limitCpus: number | null, onlineCpus: number): number {
  return limitCpus !== null && limitCpus > 0 ? limitCpus : Math.max(1, onlineCpus);
}

/** Percent of one CPU → cores in use. */
export const coresOf = (cpuPercent: number) => Math.max(0, cpuPercent) / 100;

/** 0.5 → "0.5 cores", 1 → "1 core", 0.0123 → "0.01 cores". */
export function formatCores(cores: number): string {
  const n = cores >= 10 ? Math.round(cores) : Math.round(cores * 100) / 100;
  return `${n} core${n === 1 ? '' : 's'}`;
}

/** "0.5 of 0.5 cores (100%)": use against the scale, with the share of it. */
export function cpuText(cpuPercent: number, scale: number): string {
  const used = coresOf(cpuPercent);
  const share = Math.round((used / scale) * 100);
  return `${formatCores(used).replace(/ cores?$/, '')} of ${formatCores(scale)} (${share}%)`;
}

/** "312 MiB of 512 MiB (61%)", or the use alone where the engine reports no limit. */
export function memoryText(used: number, limit: number, fmt: (n: number) => string): string {
  return limit > 0 ? `${fmt(used)} of ${fmt(limit)} (${Math.round((used / limit) * 100)}%)` : fmt(used);
}

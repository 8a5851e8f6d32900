/**
 * Placement (spec v2): node labels a workspace's node must carry, as Swarm constraints
 * (`node.labels.gpu==a100`) and Kubernetes nodeSelectors do. Keys and values follow Kubernetes
 * label rules, the strictest of the three engines, so one spec means the same everywhere.
 */
const KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
export const MAX_PLACEMENT = 16;

export type Placement = Record<string, string>;

/** Parses `key=value` lines or a record; returns it or the broken rule. */
export function parsePlacement(input: string[] | Record<string, string>): Placement | string {
  const pairs: [string, string][] = Array.isArray(input)
    ? input.map((line) => {
        const eq = line.indexOf('=');
        return eq < 0 ? [line, '\0'] : [line.slice(0, eq).trim(), line.slice(eq + 1).trim()];
      })
    : Object.entries(input);
  if (pairs.length > MAX_PLACEMENT) return `at most ${MAX_PLACEMENT} node labels`;
  const out: Placement = {};
  for (const [k, v] of pairs) {
    if (v === '\0') return `"${k}" is not key=value`;
    if (k.length > 253 || !KEY.test(k)) return `"${k}" is not a node label key`;
    if (typeof v !== 'string' || v.length > 63 || !VALUE.test(v)) return `"${String(v)}" is not a node label value`;
    if (k in out) return `"${k}" is given twice`;
    out[k] = v;
  }
  return out;
}

/** Whether a node with `labels` satisfies the placement. */
export function placementMatches(placement: Placement, labels: Record<string, string>): boolean {
  return Object.entries(placement).every(([k, v]) => labels[k] === v);
}

export function formatPlacement(p: Placement): string {
  return Object.entries(p).map(([k, v]) => `${k}=${v}`).join(',');
}

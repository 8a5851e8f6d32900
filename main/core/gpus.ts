/** GPU requests: all GPUs, a count, or explicit device ids ("0,2" or GPU UUIDs). */
export type GpuRequest =
  | { kind: 'all' }
  | { kind: 'count'; count: number }
  | { kind: 'devices'; ids: string[] };

const DEVICE_ID = /^[A-Za-z0-9][A-Za-z0-9:._-]{0,127}$/;

/** Parses the user's text: a request, null for "no GPUs", or the broken rule as a string. */
export function parseGpus(text: string | number): GpuRequest | null | string {
  const t = String(text).trim();
  if (t === '' || t === '0' || t.toLowerCase() === 'none') return null;
  if (t.toLowerCase() === 'all') return { kind: 'all' };
  if (/^\d+$/.test(t)) {
    const count = Number(t);
    return count <= 64 ? { kind: 'count', count } : `${t} GPUs is more than 64`;
  }
  // Accept docker's own spelling too: --gpus device=0,2
  return parseDevices(t.startsWith('device=') ? t.slice('device='.length) : t);
}

function parseDevices(t: string): GpuRequest | string {
  const ids = t.replace(/^"|"$/g, '').split(',').map((s) => s.trim());
  const bad = ids.find((id) => !DEVICE_ID.test(id));
  if (bad !== undefined) return `"${t}" is not a GPU request (use all, a count, or device ids like 0,2)`;
  if (new Set(ids).size !== ids.length) return `"${t}" names a GPU twice`;
  return { kind: 'devices', ids };
}

export function gpuCount(req: GpuRequest | null, hostGpus: number): number {
  if (!req) return 0;
  if (req.kind === 'all') return hostGpus;
  return req.kind === 'count' ? req.count : req.ids.length;
}

export function formatGpus(req: GpuRequest | null): string {
  if (!req) return 'none';
  if (req.kind === 'all') return 'all';
  return req.kind === 'count' ? String(req.count) : req.ids.join(',');
}

/**
 * The workspace spec: what a user asks for (WorkspaceRequest, loose and human) and what engines
 * receive and labels carry (WorkspaceSpec, normalized: bytes, numbers, absolute expiry). This is
 * version 2 (placement, reservations, extra mounts); spec-decoding.ts reads older labels.
 */
import { z } from 'zod';
import { ValidationError } from './errors';
import { parseSize } from './sizes';
import { checkUserName, checkWorkspaceName } from './names';
import { parseGpus, type GpuRequest } from './gpus';
import { parseEnv } from './env-vars';
import { checkImageRef } from './image-ref';
import { expiresAtFromDays } from './expiry';
import { numberOrText, parsedField, parseWith, rule, text } from './validation';
import { checkAbsolutePath, checkMountTargets, MAX_MOUNTS, parseMount, trimPath, type Mount } from './mounts';
import { parsePlacement, type Placement } from './placement';

export const DEFAULT_IMAGE = 'quay.io/jupyter/base-notebook:latest';
export const DEFAULT_WEB_PORT = 8888;
/** The public Jupyter images keep the user's files here; the volume is mounted over it. */
export const DEFAULT_VOLUME_PATH = '/home/jovyan/work';
export const MAX_DAYS = 3650;
export const MAX_CPUS = 1024;

// The schemas are z.lazy: built on first use, not when a module imports this one (the CLI's
// start-up paid for every schema of every command; the rules themselves are unchanged).
export const gpuSchema = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('all') }),
    z.object({ kind: z.literal('count'), count: z.number().int().positive() }),
    z.object({ kind: z.literal('devices'), ids: z.array(z.string()).min(1) }),
  ]),
);

/** Normalized spec. Also the schema that decodes a spec label read back from an engine. */
export const workspaceSpecSchema = z.lazy(() => z
  .object({
    name: z.string(),
    user: z.string(),
    image: z.string(),
    cpus: z.number().positive().nullable(),
    memory: z.number().int().positive().nullable(),
    shm: z.number().int().positive().nullable(),
    gpus: gpuSchema.nullable(),
    env: z.record(z.string(), z.string()),
    volume: z.boolean(),
    volumePath: z.string(),
    expiresAt: z.string().nullable(),
    webPort: z.number().int().min(1).max(65535),
    /** Node labels the workspace's node must carry. */
    placement: z.record(z.string(), z.string()),
    /** Guaranteed resources (Kubernetes requests, Swarm reservations), at most the limits. */
    reservations: z.object({ cpus: z.number().positive().nullable(), memory: z.number().int().positive().nullable() }).strict(),
    mounts: z.array(z.object({ type: z.enum(['volume', 'bind']), source: z.string(), target: z.string(), readOnly: z.boolean() }).strict()),
  })
  .strict());
export type WorkspaceSpec = z.infer<typeof workspaceSpecSchema>;
export type { Mount, Placement };

const sizeField = (what: string, min: number) =>
  parsedField(numberOrText(), (v) => {
    const bytes = parseSize(v);
    if (bytes === null) return rule(`"${v}" is not a size (use 512m, 2g, …)`);
    if (bytes < min) return rule(`${what} must be at least ${min / 1024 ** 2}m`);
    return bytes;
  });

const cpusField = () => parsedField(numberOrText(), (v) => {
  const n = typeof v === 'number' ? v : /^\s*\d*\.?\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(n)) return rule(`"${v}" is not a number of CPUs (use 0.5, 2, …)`);
  if (n <= 0) return rule(`must be more than 0 (got ${v})`);
  if (n > MAX_CPUS) return rule(`${v} is more than ${MAX_CPUS}`);
  // Docker counts in billionths of a CPU; keep the spec exactly representable there.
  return Math.round(n * 1e9) / 1e9;
});

const portField = () => parsedField(numberOrText(), (v) => {
  const n = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : rule(`"${v}" is not a port (1-65535)`);
});

const volumePathField = () => parsedField(text('a path'), (v) => {
  const r = checkAbsolutePath(v);
  return r ? rule(r) : trimPath(v);
});

const keyValues = (what: string) => z.union([z.array(z.string()), z.record(z.string(), z.string())], { error: `must be ${what} lines or an object` });

const placementField = () => parsedField(keyValues('key=value'), (v) => {
  const r = parsePlacement(v);
  return typeof r === 'string' ? rule(r) : r;
});

const mountsField = () => parsedField(z.array(z.union([z.string(), z.record(z.string(), z.unknown())]), { error: 'must be a list of mounts' }), (list) => {
  if (list.length > MAX_MOUNTS) return rule(`at most ${MAX_MOUNTS} mounts`);
  const out: Mount[] = [];
  for (const [i, m] of list.entries()) {
    const r = parseMount(m);
    if (typeof r === 'string') return rule(`${i}: ${r}`);
    out.push(r);
  }
  return out;
});

const gpusField = () => parsedField(numberOrText(), (v): GpuRequest | null | ReturnType<typeof rule> => {
  const r = parseGpus(v);
  return typeof r === 'string' ? rule(r) : r;
});

const daysField = () => parsedField(z.number({ error: 'must be a number of days' }).nullable(), (v) => {
  if (v === null) return null;
  return Number.isFinite(v) && v > 0 && v <= MAX_DAYS ? v : rule(`must be more than 0 and at most ${MAX_DAYS} (got ${v})`);
});

/** What a user, the CLI or the API asks for. Unknown fields are refused. */
export const workspaceRequestSchema = z.lazy(() => z
  .object({
    name: parsedField(text('a name'), (v) => { const r = checkWorkspaceName(v); return r ? rule(r) : v; }),
    user: parsedField(text('a name'), (v) => { const r = checkUserName(v); return r ? rule(r) : v; }),
    image: parsedField(text('an image reference'), (v) => { const r = checkImageRef(v.trim()); return r ? rule(r) : v.trim(); }).optional(),
    cpus: cpusField().nullable().optional(),
    memory: sizeField('memory', 6 * 1024 ** 2).nullable().optional(),
    shm: sizeField('shm', 1024 ** 2).nullable().optional(),
    gpus: gpusField().nullable().optional(),
    env: parsedField(z.union([z.array(z.string()), z.record(z.string(), z.string())], { error: 'must be KEY=VALUE lines or an object' }), (v) => {
      const r = parseEnv(v);
      return typeof r === 'string' ? rule(r) : r;
    }).optional(),
    volume: z.boolean({ error: 'must be true or false' }).optional(),
    volumePath: volumePathField().optional(),
    days: daysField().optional(),
    webPort: portField().optional(),
    placement: placementField().optional(),
    reservations: z.object({ cpus: cpusField().nullable().optional(), memory: sizeField('memory', 6 * 1024 ** 2).nullable().optional() }).strict().optional(),
    mounts: mountsField().optional(),
  })
  .strict());
export type WorkspaceRequest = z.input<typeof workspaceRequestSchema>;
/** A request once validated: sizes in bytes, GPUs parsed, names checked; defaults not yet filled. */
export type ParsedRequest = z.output<typeof workspaceRequestSchema>;

/**
 * What a hub fills in where a request is silent (an image's defaults, the hub's expiry), checked
 * by the same field rules as the request, so a default can never make a spec a request could not.
 */
export const requestDefaultsSchema = z.lazy(() => z
  .object({
    cpus: cpusField().optional(),
    memory: sizeField('memory', 6 * 1024 ** 2).optional(),
    shm: sizeField('shm', 1024 ** 2).optional(),
    gpus: gpusField().optional(),
    days: daysField().optional(),
  })
  .strict());
export type RequestDefaults = z.output<typeof requestDefaultsSchema>;

export interface SpecDefaults {
  image?: string;
  now: Date;
}

/** Validates a request and fills defaults. Throws ValidationError naming the field. */
export function parseWorkspaceRequest(input: unknown, defaults: SpecDefaults): WorkspaceSpec {
  return specOf(parseWith(workspaceRequestSchema, input), defaults);
}

/** The normalized spec of a validated request (a hub calls this after filling its own defaults in). */
export function specOf(r: ParsedRequest, defaults: SpecDefaults): WorkspaceSpec {
  const spec: WorkspaceSpec = {
    name: r.name,
    user: r.user,
    image: r.image ?? defaults.image ?? DEFAULT_IMAGE,
    cpus: r.cpus ?? null,
    memory: r.memory ?? null,
    shm: r.shm ?? null,
    gpus: r.gpus ?? null,
    env: r.env ?? {},
    volume: r.volume ?? true,
    volumePath: r.volumePath ?? DEFAULT_VOLUME_PATH,
    expiresAt: r.days ? expiresAtFromDays(r.days, defaults.now) : null,
    webPort: r.webPort ?? DEFAULT_WEB_PORT,
    placement: r.placement ?? {},
    reservations: { cpus: r.reservations?.cpus ?? null, memory: r.reservations?.memory ?? null },
    mounts: r.mounts ?? [],
  };
  checkConsistency(spec);
  return spec;
}

/** Rules across fields: reservations within limits, mounts not hiding each other or the data. */
function checkConsistency(s: WorkspaceSpec): void {
  const { cpus, memory } = s.reservations;
  if (cpus !== null && s.cpus !== null && cpus > s.cpus) throw new ValidationError('reservations.cpus', `${cpus} is more than the cpus limit ${s.cpus}`);
  if (memory !== null && s.memory !== null && memory > s.memory) throw new ValidationError('reservations.memory', 'is more than the memory limit');
  const clash = checkMountTargets(s.mounts, s.volume ? s.volumePath : null);
  if (clash) throw new ValidationError('mounts', clash);
}

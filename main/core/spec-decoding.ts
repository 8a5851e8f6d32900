/**
 * Reading a spec back from an engine's labels, by version. Labels outlive the code that wrote them:
 * a v1 spec (written before placement, reservations and mounts existed) is upgraded on read; a spec
 * this code cannot read — damaged, edited by hand, or from a newer Hubdeck — decodes to null with
 * the reason, and the hub then treats the workspace's resources as unknown, never as zero.
 */
import { z } from 'zod';
import { gpuSchema, workspaceSpecSchema, type WorkspaceSpec } from './workspace-spec';

/** The version this code writes (label hubdeck.io/version). */
export const SPEC_VERSION = '2';

/** What v1 wrote: v2 without placement, reservations and mounts. */
const v1Schema = z.lazy(() => z
  .object({
    name: z.string(), user: z.string(), image: z.string(),
    cpus: z.number().positive().nullable(), memory: z.number().int().positive().nullable(), shm: z.number().int().positive().nullable(),
    gpus: gpuSchema.nullable(), env: z.record(z.string(), z.string()), volume: z.boolean(), volumePath: z.string(),
    expiresAt: z.string().nullable(), webPort: z.number().int().min(1).max(65535),
  })
  .strict());

const upgradeV1 = (v1: z.infer<typeof v1Schema>): WorkspaceSpec => ({ ...v1, placement: {}, reservations: { cpus: null, memory: null }, mounts: [] });

const DECODERS: Record<string, (json: unknown) => WorkspaceSpec | null> = {
  '1': (json) => {
    const r = v1Schema.safeParse(json);
    return r.success ? upgradeV1(r.data) : null;
  },
  '2': (json) => {
    const r = workspaceSpecSchema.safeParse(json);
    return r.success ? r.data : null;
  },
};

export type DecodedSpec = { spec: WorkspaceSpec; issue: null } | { spec: null; issue: string };

/**
 * Decoded specs by version and label text. A container's labels never change, and listing hundreds
 * of workspaces would otherwise re-parse and re-validate every one on every request.
 */
const cache = new Map<string, Readonly<DecodedSpec>>();
const CACHE_MAX = 10_000;

/** Decodes a stored spec; a missing version means v1 (which wrote one, but be lenient). Frozen. */
export function decodeSpec(json: string | undefined, version: string | undefined = '1'): DecodedSpec {
  if (!json) return { spec: null, issue: 'the workspace has no spec label' };
  const key = `${version}\n${json}`;
  const hit = cache.get(key);
  if (hit) return hit;
  if (cache.size >= CACHE_MAX) cache.clear();
  const result = deepFreeze(decodeUncached(json, version));
  cache.set(key, result);
  return result;
}

function decodeUncached(json: string, version: string): DecodedSpec {
  const decoder = DECODERS[version];
  if (!decoder) return { spec: null, issue: `its spec label has version ${version}, which this Hubdeck cannot read (it reads ${Object.keys(DECODERS).join(', ')})` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return { spec: null, issue: 'its spec label is not valid JSON' };
  }
  const spec = decoder(parsed);
  return spec ? { spec, issue: null } : { spec: null, issue: `its spec label does not match spec version ${version}` };
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

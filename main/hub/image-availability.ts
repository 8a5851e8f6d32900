/**
 * Whether the hub's images can run, asked of the engine without pulling (engine.imageAvailability)
 * and kept for a short while: the New-workspace form and the Images page list every image on each
 * visit, and a registry that does not answer costs its timeout once, not per page load. Which
 * image a form preselects is decided here too (pickDefault), from those answers.
 */
import type { ImageAvailability } from '../api/dto';
import type { WorkspaceEngine } from '../engine/engine';

/** Long enough to spare a registry repeated questions, short enough that `npm run images` shows soon. */
export const AVAILABILITY_TTL_MS = 30_000;

interface Entry {
  at: number;
  value: Promise<ImageAvailability>;
}

export class ImageAvailabilityCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly engine: WorkspaceEngine, private readonly now: () => number = Date.now, private readonly ttlMs = AVAILABILITY_TTL_MS) {}

  /** One question per reference at a time; a failed question is an `unknown` answer, not an error. */
  check(ref: string): Promise<ImageAvailability> {
    const hit = this.entries.get(ref);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = this.engine.imageAvailability(ref).catch((e: Error) => ({ state: 'unknown' as const, detail: e.message }));
    this.entries.set(ref, { at: this.now(), value });
    return value;
  }

  /** Forgets what was learnt (an image was pulled, loaded or added). */
  clear(): void {
    this.entries.clear();
  }
}

const RUNS = ['present', 'pullable', 'unknown'] as const;

/**
 * The image a form preselects: the admin's choice when it is in the list, else the first that runs
 * without a registry (present), else the first pullable, else the first unknown; null when none
 * can run (the form then says why instead of preselecting a dead end).
 */
export function pickDefault<T extends { name: string; availability?: ImageAvailability }>(images: T[], chosen: string | null): T | null {
  const admins = chosen === null ? undefined : images.find((i) => i.name === chosen);
  if (admins) return admins;
  for (const state of RUNS) {
    const found = images.find((i) => (i.availability?.state ?? 'unknown') === state);
    if (found) return found;
  }
  return null;
}

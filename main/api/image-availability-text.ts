/**
 * How an image's availability reads, in the New-workspace picker, the Images page, the first-run
 * page and `hubdeck image list`: one set of words for the states the hub reports (image-dto.ts).
 */
import type { ImageAvailability, ImageRecord } from './image-dto';

const WORDS: Record<ImageAvailability['state'], string> = {
  present: 'on this engine',
  pullable: 'pulled on first use',
  missing: 'not found in its registry',
  unreachable: 'registry unreachable',
  unknown: 'not checked',
};

/** "on this engine", "registry unreachable", … ("not checked" when the hub did not say). */
export function availabilityText(a: ImageAvailability | undefined): string {
  return WORDS[a?.state ?? 'unknown'];
}

/** An image's name for people: its display name, unless that is only its reference again (then its entry name). */
export function imageTitle(i: Pick<ImageRecord, 'name' | 'ref' | 'displayName'>): string {
  return i.displayName && i.displayName !== i.ref ? i.displayName : i.name;
}

/** Whether a create from it can be expected to work (unknown: the engine will find out). */
export function canRun(i: Pick<ImageRecord, 'availability'>): boolean {
  const s = i.availability?.state ?? 'unknown';
  return s === 'present' || s === 'pullable' || s === 'unknown';
}

/** What to do when no listed image can run: the offline images, and how to list them. */
export const OFFLINE_IMAGES_HELP = 'Offline? Build the images that need no registry with "npm run images" (from Debian packages), then an admin adds one (Admin › Images, e.g. hubdeck-test/jupyter:1) and makes it the default.';

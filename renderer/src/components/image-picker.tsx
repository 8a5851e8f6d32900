/**
 * The image field of the New-workspace form: the images this user may use, each marked with whether
 * it runs on this hub's engine (present, pulled on first use, registry unreachable — the hub asks
 * without pulling), the one the hub preselects, and "Another image…" for a reference of one's own.
 * When no listed image can run, it says what to do instead of leaving a dead end.
 */
import type { ImageRecord } from '../../../main/api/dto';
import { availabilityText, canRun, imageTitle, OFFLINE_IMAGES_HELP } from '../../../main/api/image-availability-text';

/** The select's value for "Another image…". */
export const CUSTOM_IMAGE = '__custom__';

/** The reference a form starts with: the hub's preselection, else the first that can run, else a custom one. */
export function preselectedImage(images: ImageRecord[]): string {
  return (images.find((i) => i.isDefault) ?? images.find(canRun))?.ref ?? CUSTOM_IMAGE;
}

interface Props {
  images: ImageRecord[] | null;
  value: string;
  custom: string;
  invalid?: boolean;
  onChange: (ref: string) => void;
  onCustomChange: (ref: string) => void;
}

function hintOf(images: ImageRecord[] | null, chosen: ImageRecord | undefined): string {
  if (images === null) return 'Loading the images you may use…';
  if (!images.length) return 'This hub lists no images for you; name one (the hub decides whether you may use it).';
  if (!images.some(canRun)) return `None of these images can run here now. ${OFFLINE_IMAGES_HELP}`;
  if (chosen && !canRun(chosen)) return `${imageTitle(chosen)}: ${availabilityText(chosen.availability)} (${chosen.availability?.detail ?? 'the engine cannot get it'}). Pick one marked "on this engine".`;
  return 'The images this hub lets you use; "on this engine" ones start without a download.';
}

export function ImagePicker({ images, value, custom, invalid, onChange, onCustomChange }: Props) {
  const chosen = images?.find((i) => i.ref === value);
  const blocked = chosen !== undefined && !canRun(chosen);
  return (
    <>
      <div className="field">
        <label htmlFor="nw-image">Image</label>
        <select id="nw-image" value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={invalid || blocked || undefined} aria-describedby="nw-image-hint">
          {(images ?? []).map((i) => (
            <option key={i.name} value={i.ref}>{imageTitle(i)} ({i.ref}) — {availabilityText(i.availability)}</option>
          ))}
          <option value={CUSTOM_IMAGE}>Another image…</option>
        </select>
        <span id="nw-image-hint" className={blocked || (images?.length && !images.some(canRun)) ? 'hint warn' : 'hint'} data-testid="image-hint">{hintOf(images, chosen)}</span>
      </div>
      {value === CUSTOM_IMAGE && (
        <div className="field">
          <label htmlFor="nw-custom">Image reference</label>
          <input id="nw-custom" value={custom} onChange={(e) => onCustomChange(e.target.value)} required placeholder="registry/repo:tag" aria-invalid={invalid} />
        </div>
      )}
    </>
  );
}

/**
 * Small values sealed for a round trip through a browser (AES-256-GCM under a key that lives only
 * in this process): the browser can neither read nor change them, and the hub keeps no table of
 * them — so strangers starting logins by the thousand fill nothing and push out no one's login.
 * A restart makes values sealed before it worthless, which is fine for the minutes they live.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const IV = 12;
const TAG = 16;
/** Longer than anything this hub seals; a bigger cookie is not ours and is not even tried. */
const MAX_SEALED = 4096;

export class Sealer {
  private readonly key = randomBytes(32);

  seal(value: unknown): string {
    const iv = randomBytes(IV);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(JSON.stringify(value), 'utf8'), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64url');
  }

  /** What was sealed, or null for anything this process did not seal (forged, changed, from before a restart). */
  open(sealed: string): unknown {
    if (sealed.length > MAX_SEALED) return null;
    const raw = Buffer.from(sealed, 'base64url');
    if (raw.length <= IV + TAG) return null;
    try {
      const d = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV));
      d.setAuthTag(raw.subarray(IV, IV + TAG));
      return JSON.parse(Buffer.concat([d.update(raw.subarray(IV + TAG)), d.final()]).toString('utf8'));
    } catch {
      return null;
    }
  }
}

/**
 * The allowed-images list (SwarmSpawner style): display names, per-image access by user or group,
 * per-image defaults; custom images only where the hub allows them (admins always may).
 */
import { HubdeckError } from '../core/errors';
import { parseWith } from '../core/validation';
import type { ImageRecord as ImageView } from '../api/dto';
import { imageInput, updateImageInput } from '../api/requests';
import { normalizeImageRef } from '../core/image-ref';
import { requireAdmin, type Actor } from './actor';
import type { ImageRecord, UserRecord } from './hub-state';
import type { HubContext } from './hub-context';
import { imageToWire } from './to-wire';
import { withChanged, withNamed, withoutNamed } from './named-rows';
import { ImageAvailabilityCache, pickDefault } from './image-availability';
import { settingsOf } from './hub-context';
import { DEFAULT_IMAGE } from '../core/workspace-spec';

export class ImageService {
  private readonly availability: ImageAvailabilityCache;

  constructor(private readonly ctx: HubContext) {
    this.availability = new ImageAvailabilityCache(ctx.engine, () => ctx.now().getTime());
  }

  private canUse(img: ImageRecord, u: UserRecord): boolean {
    const { users, groups } = img.access;
    if (users.length === 0 && groups.length === 0) return true;
    return users.includes(u.name) || groups.some((g) => u.groups.includes(g));
  }

  /**
   * What the actor may pick from, each with whether it runs here (asked without pulling) and which
   * one a form preselects. Admins see all with access lists; users see theirs without them.
   */
  async list(actor: Actor, user: UserRecord | undefined): Promise<ImageView[]> {
    const all = this.ctx.store.current.images;
    // Who else may use an image is none of a user's business.
    const mine = actor.admin ? all.map(imageToWire)
      : all.filter((i) => user && this.canUse(i, user)).map((i) => ({ ...imageToWire(i), access: { users: [], groups: [] } }));
    const checked = await Promise.all(mine.map(async (i) => ({ ...i, availability: await this.availability.check(i.ref) })));
    const preselected = pickDefault(checked, settingsOf(this.ctx).defaultImage);
    return checked.map((i) => ({ ...i, isDefault: i === preselected }));
  }

  /**
   * The reference a request without an image gets: the image a form would preselect for this user,
   * else the built-in default (a hub with no usable image entry).
   */
  async defaultRef(actor: Actor, user: UserRecord): Promise<string> {
    const list = await this.list(actor, user);
    return list.find((i) => i.isDefault)?.ref ?? DEFAULT_IMAGE;
  }

  /**
   * The entry for `ref` the user may use, null for an allowed custom image, or a refusal. An image
   * is the same image whatever it is called: a tag, `repo@digest`, its id or a short id all resolve
   * (through the engine) to the image's names, and each is checked against the access lists.
   */
  async resolve(actor: Actor, user: UserRecord, ref: string): Promise<ImageRecord | null> {
    const info = await this.ctx.engine.imageInfo(ref).catch(() => null);
    const names = new Set([ref, ...(info ? [...info.tags, ...info.digests] : [])].map(normalizeImageRef));
    const digestRepo = ref.includes('@') ? repository(ref) : null;
    const entries = this.ctx.store.current.images.filter((i) => {
      const canonical = normalizeImageRef(i.ref);
      return names.has(canonical) || i.name === ref || (digestRepo !== null && repository(i.ref) === digestRepo);
    });
    const usable = entries.find((i) => this.canUse(i, user));
    if (usable) return usable;
    if (actor.admin) return entries[0] ?? null;
    // An id the engine cannot resolve may name anything: not a custom image anyone may run.
    const opaqueId = /^(sha256:)?[0-9a-f]{12,64}$/.test(ref) && !info;
    // One refusal for "restricted", "not listed" and "unknown id", so users cannot probe for others' images.
    if (!entries.length && !opaqueId && this.ctx.store.current.settings.allowCustomImages) return null;
    throw new HubdeckError('forbidden', `image: "${ref}" is not an image ${user.name} may use on this hub (ask an admin)`, 'image');
  }

  async create(actor: Actor, body: unknown): Promise<ImageView> {
    requireAdmin(actor, 'add images');
    const i = parseWith(imageInput, body);
    const record: ImageRecord = {
      name: i.name, ref: i.ref, displayName: i.displayName ?? i.ref,
      access: { users: i.access?.users ?? [], groups: i.access?.groups ?? [] },
      defaults: stripNulls(i.defaults ?? {}),
    };
    await this.ctx.store.mutate((s) => {
      s.images = withNamed(s.images, record, 'image');
    });
    this.availability.clear();
    return imageToWire(record);
  }

  async update(actor: Actor, name: string, body: unknown): Promise<ImageView> {
    requireAdmin(actor, 'change images');
    const p = parseWith(updateImageInput, body);
    return this.ctx.store.mutate((s) => {
      const changed = withChanged(s.images, name, 'image', (old) => {
        const img = { ...old, access: { ...old.access } };
        if (p.ref !== undefined) img.ref = p.ref;
        if (p.displayName !== undefined) img.displayName = p.displayName;
        if (p.access?.users !== undefined) img.access.users = p.access.users;
        if (p.access?.groups !== undefined) img.access.groups = p.access.groups;
        if (p.defaults !== undefined) img.defaults = stripNulls({ ...img.defaults, ...p.defaults });
        return img;
      });
      s.images = changed.list;
      return imageToWire(changed.row);
    });
  }

  async delete(actor: Actor, name: string): Promise<void> {
    requireAdmin(actor, 'remove images');
    await this.ctx.store.mutate((s) => {
      s.images = withoutNamed(s.images, name, 'image').list;
      // The default is chosen by name: a removed entry is no longer anyone's default.
      if (s.settings.defaultImage === name) s.settings = { ...s.settings, defaultImage: null };
    });
  }
}

function stripNulls<T extends Record<string, unknown>>(o: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as never;
}

/** The repository of a reference, canonical, without tag or digest. */
function repository(ref: string): string {
  return normalizeImageRef(ref).replace(/@.*$/, '').replace(/:[^/:]+$/, '');
}

/**
 * The fake daemon's images as Docker names them: each present image has an id (sha256 of its
 * reference) and a repo digest, and is found by tag, digest, full id or an unambiguous id prefix.
 */
import { createHash } from 'node:crypto';
import { withDefaultTag } from '../../core/image-ref';
import type { ImageInfo } from '../engine';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const repoOf = (ref: string) => ref.replace(/@.*$/, '').replace(/:[^/:]+$/, '');

export function imageInfoOf(ref: string): ImageInfo {
  return { id: `sha256:${sha(`id:${ref}`)}`, tags: [ref], digests: [`${repoOf(ref)}@sha256:${sha(`digest:${ref}`)}`] };
}

export function findImage(present: Iterable<string>, wanted: string): ImageInfo | null {
  const infos = [...present].map(imageInfoOf);
  const id = /^(?:sha256:)?([0-9a-f]{12,64})$/.exec(wanted)?.[1];
  if (id) {
    const byId = infos.filter((i) => i.id.slice('sha256:'.length).startsWith(id));
    if (byId.length === 1) return byId[0]!;
  }
  return infos.find((i) => i.tags.includes(withDefaultTag(wanted)) || i.digests.includes(wanted)) ?? null;
}

/**
 * What an image reference names on the cluster. Kubernetes has no image API: the nodes report the
 * names (tags and digests) of the images they hold, and pods report the image id each container
 * runs. Together they give the same ImageInfo a Docker engine does, so access checks by id,
 * short id or digest cannot be dodged. An image no pod has run yet has no known id; its first
 * digest (or tag) stands in.
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { normalizeImageRef } from '../../core/image-ref';
import type { ImageInfo } from '../engine';

interface Group {
  tags: string[];
  digests: string[];
  id: string | null;
}

const ID = /^(?:sha256:)?([0-9a-f]{12,64})$/;

/** "docker://sha256:…" → "sha256:…"; "docker-pullable://repo@sha256:…" → the digest reference. */
function runtimeId(imageID: string | undefined): { id: string | null; digest: string | null } {
  const v = (imageID ?? '').replace(/^[a-z-]+:\/\//, '');
  if (/^sha256:[0-9a-f]{64}$/.test(v)) return { id: v, digest: null };
  return { id: null, digest: v.includes('@') ? v : null };
}

export function imageGroups(nodes: V1Node[], pods: V1Pod[]): Group[] {
  const groups: Group[] = [];
  for (const n of nodes) {
    for (const img of n.status?.images ?? []) {
      const names = img.names ?? [];
      const tags = names.filter((x) => !x.includes('@'));
      const digests = names.filter((x) => x.includes('@'));
      const same = groups.find((g) => g.tags.some((t) => tags.includes(t)) || g.digests.some((d) => digests.includes(d)));
      if (same) {
        same.tags = [...new Set([...same.tags, ...tags])];
        same.digests = [...new Set([...same.digests, ...digests])];
      } else groups.push({ tags, digests, id: null });
    }
  }
  for (const p of pods) {
    for (const c of p.status?.containerStatuses ?? []) {
      const { id, digest } = runtimeId(c.imageID);
      const image = normalizeImageRef(c.image);
      const g = groups.find((x) => x.tags.some((t) => normalizeImageRef(t) === image) || (digest !== null && x.digests.includes(digest)));
      if (g && id) g.id = id;
    }
  }
  return groups;
}

export function resolveImage(groups: Group[], ref: string): ImageInfo | null {
  const idMatch = ID.exec(ref);
  const want = normalizeImageRef(ref);
  const g = groups.find((x) => {
    if (idMatch && x.id && x.id.slice('sha256:'.length).startsWith(idMatch[1]!)) return true;
    if (ref.includes('@')) return x.digests.some((d) => normalizeImageRef(d) === want);
    return x.tags.some((t) => normalizeImageRef(t) === want);
  });
  if (!g) return null;
  const id = g.id ?? g.digests[0]?.slice(g.digests[0].indexOf('@') + 1) ?? g.tags[0]!;
  return { id, tags: g.tags, digests: g.digests };
}

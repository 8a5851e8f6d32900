// main/engine/kubernetes/kube-images.ts: image lookup from the nodes' and pods' image lists.
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { imageGroups, resolveImage } from '../../../../main/engine/kubernetes/kube-images';

describe('images', () => {
  const id = `sha256:${'ab'.repeat(32)}`;
  const nodes: V1Node[] = [{ status: { images: [{ names: ['registry.example/ml/torch@sha256:' + 'cd'.repeat(32), 'registry.example/ml/torch:2'] }, { names: ['busybox:1'] }] } }];
  const pods: V1Pod[] = [{ status: { containerStatuses: [{ name: 'workspace', image: 'registry.example/ml/torch:2', imageID: `docker://${id}`, ready: true, restartCount: 0 }] } }];
  it('resolves tags, ids, short ids and digests to one image; unknown ones to null', () => {
    const g = imageGroups(nodes, pods);
    const info = resolveImage(g, 'registry.example/ml/torch:2')!;
    expect(info).toEqual({ id, tags: ['registry.example/ml/torch:2'], digests: ['registry.example/ml/torch@sha256:' + 'cd'.repeat(32)] });
    expect(resolveImage(g, id)).toEqual(info);
    expect(resolveImage(g, 'ab'.repeat(6))).toEqual(info);
    expect(resolveImage(g, info.digests[0]!)).toEqual(info);
    expect(resolveImage(g, 'docker.io/library/busybox:1')!.tags).toEqual(['busybox:1']);
    expect(resolveImage(g, 'busybox:2')).toBeNull();
    expect(resolveImage(g, `sha256:${'0'.repeat(64)}`)).toBeNull();
  });
});

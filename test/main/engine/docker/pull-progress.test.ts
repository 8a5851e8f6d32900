import { describe, expect, it } from 'vitest';
import { PullProgress } from '../../../../main/engine/docker/pull-progress';

describe('PullProgress', () => {
  it('folds layer messages into a monotonic overall percent', () => {
    const p = new PullProgress('img');
    expect(p.update({ status: 'Pulling from img', id: '1' })).toBeNull();
    p.update({ status: 'Pulling fs layer', id: 'a' });
    p.update({ status: 'Pulling fs layer', id: 'b' });
    const half = p.update({ status: 'Downloading', id: 'a', progressDetail: { current: 50, total: 100 } });
    expect(half).toMatchObject({ phase: 'pull', percent: 17 });
    p.update({ status: 'Download complete', id: 'a' });
    p.update({ status: 'Pull complete', id: 'a' });
    const b = p.update({ status: 'Already exists', id: 'b' })!;
    expect(b.percent).toBe(100);
    expect(b.phase === 'pull' && b.layers.map((l) => l.status)).toEqual(['Pull complete', 'Already exists']);
    // a late layer must not move the bar backwards
    expect(p.update({ status: 'Pulling fs layer', id: 'c' })!.percent).toBe(100);
  });
});

import { describe, expect, it } from 'vitest';
import { PullProgress } from '../../../../main/engine/docker/pull-progress';

describe('PullProgress', () => {
  it('counts only layers that need work, weighted by size, never backwards, below 100 until done', () => {
    const p = new PullProgress('img');
    expect(p.update({ status: 'Pulling from img', id: '1' })).toBeNull();
    expect(p.update({ status: 'Already exists', id: 'base' })!.percent).toBe(0);
    p.update({ status: 'Pulling fs layer', id: 'a' });
    p.update({ status: 'Pulling fs layer', id: 'b' });
    // a: 300 bytes, half downloaded; b: 100 bytes, not started → 0.7*0.5*300/400
    p.update({ status: 'Downloading', id: 'b', progressDetail: { current: 0, total: 100 } });
    expect(p.update({ status: 'Downloading', id: 'a', progressDetail: { current: 150, total: 300 } })!.percent).toBe(26);
    p.update({ status: 'Download complete', id: 'a' });
    p.update({ status: 'Pull complete', id: 'a' });
    const last = p.update({ status: 'Pull complete', id: 'b' })!;
    expect(last.percent).toBe(99);
    expect(last.phase === 'pull' && last.layers.map((l) => [l.id, l.status])).toEqual([
      ['base', 'Already exists'], ['a', 'Pull complete'], ['b', 'Pull complete'],
    ]);
    // a late layer lowers the mean, but the bar holds
    expect(p.update({ status: 'Pulling fs layer', id: 'c' })!.percent).toBe(99);
  });

  it('ignores error and summary messages', () => {
    const p = new PullProgress('img');
    expect(p.update({ error: 'denied' })).toBeNull();
    expect(p.update({ status: 'Digest: sha256:abc' })).toBeNull();
    expect(p.update({ status: 'Status: Downloaded newer image for img' })).toBeNull();
  });
});

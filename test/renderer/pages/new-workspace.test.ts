// renderer/src/pages/new-workspace.tsx: the request body the New workspace form sends.
import { describe, expect, it } from 'vitest';
import { bodyOf } from '../../../renderer/src/pages/new-workspace';

describe('the New workspace form', () => {
  it('sends only what the form sets, leaving the rest to the hub defaults', () => {
    const base = { name: ' nb ', image: 'img:1', customImage: '', cpus: '', memory: '2g', shm: '', gpus: '', days: '3', env: 'A=1\n\n B=2 ', volume: false };
    expect(bodyOf(base)).toEqual({ name: 'nb', image: 'img:1', memory: '2g', days: 3, env: ['A=1', 'B=2'], volume: false });
    expect(bodyOf({ ...base, image: '__custom__', customImage: ' my/img:2 ', memory: '', days: '', env: '', volume: true })).toEqual({ name: 'nb', image: 'my/img:2' });
  });
});

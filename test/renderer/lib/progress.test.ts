// renderer/src/lib/progress.ts: one progress bar over the create phases.
import { describe, expect, it } from 'vitest';
import { overallPercent, stepLabel } from '../../../renderer/src/lib/progress';

describe('create progress', () => {
  it('gives each phase a slice of one bar that never goes back', () => {
    expect(overallPercent({ phase: 'pull', image: 'i', percent: 50, message: '', layers: [] })).toBe(30);
    expect(overallPercent({ phase: 'create', percent: 100, message: '' })).toBe(75);
    expect(overallPercent({ phase: 'start', percent: 100, message: '' })).toBe(90);
    expect(overallPercent({ phase: 'create', percent: 0, message: '' }, 90)).toBe(90);
    expect(stepLabel({ phase: 'start', percent: 100, message: '' })).toBe('Started; waiting for it to answer');
  });
});

// renderer/src/components/action-menu.tsx: the row menu's arrow-key order (issue 20 item 9).
import { describe, expect, it } from 'vitest';
import { nextIndex } from '../../../renderer/src/components/action-menu';

describe('the row menu keys', () => {
  it('moves over enabled items, wrapping, with Home and End; other keys are not the menu\'s', () => {
    const enabled = [true, false, true, true];
    expect(nextIndex('ArrowDown', 0, enabled)).toBe(2);
    expect(nextIndex('ArrowDown', 3, enabled)).toBe(0);
    expect(nextIndex('ArrowUp', 0, enabled)).toBe(3);
    expect(nextIndex('Home', 3, enabled)).toBe(0);
    expect(nextIndex('End', 0, enabled)).toBe(3);
    expect(nextIndex('a', 0, enabled)).toBeNull();
    expect(nextIndex('ArrowDown', 0, [false])).toBeNull();
  });
});

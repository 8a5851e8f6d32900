import { describe, expect, it } from 'vitest';
import { EventBus, visibleTo, type HubEvent } from '../../../main/hub/hub-events';

const ev = (user: string, name: string): HubEvent => ({ type: 'workspace.removed', user, name, at: '2026-01-01T00:00:00Z' });

describe('EventBus', () => {
  it('numbers events hub-wide and replays what a reconnecting subscriber missed', () => {
    const bus = new EventBus();
    const first: number[] = [];
    const off = bus.subscribe((_e, id) => first.push(id));
    bus.emit(ev('a', 'x'));
    bus.emit(ev('a', 'y'));
    off();
    bus.emit(ev('a', 'z')); // missed while away
    const again: string[] = [];
    const base = first[0]!;
    bus.subscribe((e, id) => again.push(`${id - base}:${(e as { name: string }).name}`), first.at(-1));
    bus.emit(ev('a', 'w'));
    expect(first).toEqual([base, base + 1]);
    expect(again).toEqual(['2:z', '3:w']);
    // ids start from the clock, so they keep rising across restarts and an old Last-Event-ID replays
    expect(base).toBeGreaterThan(Date.parse('2026-01-01T00:00:00Z') * 1000);
  });

  it('keeps delivering when one subscriber throws, and filters by user', () => {
    const bus = new EventBus();
    const got: HubEvent[] = [];
    bus.subscribe(() => { throw new Error('broken'); });
    bus.subscribe((e) => got.push(e));
    bus.emit(ev('a', 'x'));
    expect(got).toHaveLength(1);
    expect(visibleTo(ev('a', 'x'), 'b', false)).toBe(false);
    expect(visibleTo(ev('a', 'x'), 'a', false)).toBe(true);
    expect(visibleTo(ev('a', 'x'), 'b', true)).toBe(true);
  });
});

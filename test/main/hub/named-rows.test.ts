// main/hub/named-rows.ts: one way to add, change and remove a row of a named list, with one set of errors.
import { describe, expect, it } from 'vitest';
import { namedRow, withChanged, withNamed, withoutNamed } from '../../../main/hub/named-rows';

const list: readonly { readonly name: string; readonly n: number }[] = Object.freeze([Object.freeze({ name: 'a', n: 1 }), Object.freeze({ name: 'b', n: 2 })]);

describe('named rows', () => {
  it('adds a free name and refuses a taken one as a conflict on "name"', () => {
    expect(withNamed(list, { name: 'c', n: 3 }, 'group').map((x) => x.name)).toEqual(['a', 'b', 'c']);
    expect(() => withNamed(list, { name: 'a', n: 9 }, 'group')).toThrow(expect.objectContaining({ code: 'conflict', field: 'name', message: 'group a already exists' }));
  });

  it('changes a row into a new list without touching the frozen old one, keeping the order', () => {
    const { list: next, row } = withChanged(list, 'a', 'image', (old) => ({ ...old, n: 10 }));
    expect(next).toEqual([{ name: 'a', n: 10 }, { name: 'b', n: 2 }]);
    expect(row).toEqual({ name: 'a', n: 10 });
    expect(list[0]!.n).toBe(1);
  });

  it('removes a row and returns it; a missing name is not_found with what was looked for', () => {
    const { list: next, row } = withoutNamed(list, 'b', 'user');
    expect(next.map((x) => x.name)).toEqual(['a']);
    expect(row.n).toBe(2);
    for (const f of [() => namedRow(list, 'z', 'user'), () => withoutNamed(list, 'z', 'user'), () => withChanged(list, 'z', 'user', (x) => x)]) {
      expect(f).toThrow(expect.objectContaining({ code: 'not_found', message: 'user z does not exist' }));
    }
  });
});

/**
 * The store's named lists (users, groups, images) are edited the same way everywhere: a new name
 * must be free, a changed or removed one must be there, and a change replaces the row (stored rows
 * are frozen, never edited in place). One spelling of each, with the same errors for every list.
 */
import { HubdeckError } from '../core/errors';

type Named = { readonly name: string };

/** The row called `name`, or not_found naming what was looked for (`user alice does not exist`). */
export function namedRow<T extends Named>(list: readonly T[], name: string, what: string): T {
  const row = list.find((x) => x.name === name);
  if (!row) throw new HubdeckError('not_found', `${what} ${name} does not exist`);
  return row;
}

/** The list with `row` added; conflict (on field "name") when its name is taken. */
export function withNamed<T extends Named>(list: readonly T[], row: T, what: string): T[] {
  if (list.some((x) => x.name === row.name)) throw new HubdeckError('conflict', `${what} ${row.name} already exists`, 'name');
  return [...list, row];
}

/** The list with the row called `name` replaced by `change(old)`, and that new row. */
export function withChanged<T extends Named>(list: readonly T[], name: string, what: string, change: (old: T) => T): { list: T[]; row: T } {
  const old = namedRow(list, name, what);
  const row = change(old);
  return { list: list.map((x) => (x === old ? row : x)), row };
}

/** The list without the row called `name`, and that row; not_found when there is none. */
export function withoutNamed<T extends Named>(list: readonly T[], name: string, what: string): { list: T[]; row: T } {
  const row = namedRow(list, name, what);
  return { list: list.filter((x) => x !== row), row };
}

/**
 * The hub state as rows of the SQLite store, and what changed between two states. Pure: no I/O.
 * Rows are immutable (frozen once stored), so a write finds its changes by reference in
 * microseconds instead of cloning and serialising the whole store: 10,000 users × 10 tokens made a
 * full rewrite cost ~0.7 s of blocked event loop per write (hardening issue, 7).
 */
import { z } from 'zod';
import { deletedUserSchema, groupSchema, imageSchema, inviteSchema, legacyExpirySchema, stateSchema, tokenSchema, userSchema, type HubState } from './hub-state';

/** One stored record: a collection (or 'hub' for the scalars and settings), its key, its JSON. */
export interface Row {
  kind: string;
  key: string;
  body: string;
}

export interface Changes {
  /** Rows to write, with the values they hold (frozen once committed). */
  upserts: (Row & { value?: unknown })[];
  deletes: { kind: string; key: string }[];
}

type CollectionName = 'users' | 'groups' | 'tokens' | 'images' | 'expiry' | 'deletedUsers' | 'invites';

interface Collection {
  name: CollectionName;
  key: (row: never) => string;
  schema: z.ZodType;
}

const byName = (r: { name: string }) => r.name;

/** The state's arrays, each keyed as its services look rows up. */
export const COLLECTIONS: readonly Collection[] = [
  { name: 'users', key: byName, schema: userSchema },
  { name: 'groups', key: byName, schema: groupSchema },
  { name: 'tokens', key: (t: { id: string }) => t.id, schema: tokenSchema },
  { name: 'images', key: byName, schema: imageSchema },
  { name: 'expiry', key: (e: { workspaceId: string }) => e.workspaceId, schema: legacyExpirySchema },
  { name: 'deletedUsers', key: byName, schema: deletedUserSchema },
  { name: 'invites', key: (i: { id: string }) => i.id, schema: inviteSchema },
];

const SCALARS = ['version', 'hubId', 'origin', 'createdAt', 'settings', 'shared'] as const;

/** Every row of a state (a new store, or one migrated from hub.json). */
export function rowsOf(state: HubState): Row[] {
  const rows: Row[] = [];
  for (const k of SCALARS) if (state[k] !== undefined) rows.push({ kind: 'hub', key: k, body: JSON.stringify(state[k]) });
  for (const c of COLLECTIONS) for (const r of state[c.name] as never[]) rows.push({ kind: c.name, key: c.key(r), body: JSON.stringify(r) });
  return rows;
}

/** The state the rows describe (still to be checked against the schema), or null for no store yet. */
export function stateOfRows(rows: Iterable<Row>): unknown {
  const state: Record<string, unknown> = Object.fromEntries(COLLECTIONS.map((c) => [c.name, []]));
  let any = false;
  for (const r of rows) {
    any = true;
    const value: unknown = JSON.parse(r.body);
    if (r.kind === 'hub') state[r.key] = value;
    else if (Array.isArray(state[r.kind])) (state[r.kind] as unknown[]).push(value);
    else throw new Error(`unknown record kind "${r.kind}"`);
  }
  return any ? state : null;
}

/**
 * What to write to go from `prev` to `next`. Unchanged rows are the same objects: appends and
 * in-place replacements are found without building maps; anything else compares by key.
 */
export function diffStates(prev: HubState, next: HubState): Changes {
  const changes: Changes = { upserts: [], deletes: [] };
  for (const k of SCALARS) {
    if (next[k] !== prev[k] && next[k] !== undefined) changes.upserts.push({ kind: 'hub', key: k, body: JSON.stringify(next[k]), value: next[k] });
  }
  for (const c of COLLECTIONS) {
    const { upserts, deletes } = diffRows(prev[c.name] as object[], next[c.name] as object[], c.key as (r: object) => string);
    for (const r of upserts) changes.upserts.push({ kind: c.name, key: (c.key as (r: object) => string)(r), body: JSON.stringify(c.schema.parse(r)), value: r });
    for (const key of deletes) changes.deletes.push({ kind: c.name, key });
  }
  return changes;
}

/**
 * Walks both lists in step (services keep the order: they push, map and filter). A row with the
 * same key but another object was replaced; a row missing from `next` was removed; a row only in
 * `next` was added. A row moved elsewhere comes out as removed and added, which is still correct.
 */
function diffRows<T>(prev: readonly T[], next: readonly T[], key: (r: T) => string): { upserts: T[]; deletes: string[] } {
  const upserts: T[] = [];
  const deletes: string[] = [];
  if (prev === next) return { upserts, deletes };
  let i = 0;
  let j = 0;
  while (i < prev.length && j < next.length) {
    const p = prev[i]!;
    const n = next[j]!;
    if (p === n) {
      i++;
      j++;
    } else if (key(p) === key(n)) {
      upserts.push(n);
      i++;
      j++;
    } else if (next[j + 1] === p) {
      upserts.push(n); // inserted before p
      j++;
    } else {
      deletes.push(key(p));
      i++;
    }
  }
  for (; i < prev.length; i++) deletes.push(key(prev[i]!));
  for (; j < next.length; j++) upserts.push(next[j]!);
  return { upserts, deletes };
}

/** A draft for one write: new arrays over the same (frozen) rows; rows are replaced, never edited. */
export function draftOf(state: HubState): HubState {
  const draft = { ...state };
  for (const c of COLLECTIONS) (draft as Record<string, unknown>)[c.name] = [...state[c.name]];
  return draft;
}

/** Freezes a value and everything in it (already-frozen parts are skipped: they were done before). */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
  } else {
    for (const k in value) deepFreeze(value[k]);
  }
  return value;
}

/** The state rows describe, validated; the zod error's first issue otherwise. */
export function parseState(raw: unknown): { ok: true; state: HubState } | { ok: false; why: string } {
  const r = stateSchema.safeParse(raw);
  if (r.success) return { ok: true, state: r.data };
  const issue = r.error.issues[0]!;
  return { ok: false, why: `does not match the schema at ${issue.path.join('.') || '(root)'}: ${issue.message}` };
}

/**
 * The audit log's SQLite table (beside the state's `records` in hub.db), its indexes, and the SQL
 * of a filtered, keyset-paged read. Pure: statements and parameters, no database handle.
 *
 * Every listing is "newest first" over (time, id), so each filter has an index that is already in
 * that order: (time), (user, time), (ws_name, time), (action, time), (outcome, time) — SQLite
 * appends the rowid (the id) to every index, so ties on time come out by id without a sort. With
 * several filters the most selective one's index is named (INDEXED BY): without statistics SQLite
 * may pick the action's, and then walks a 30th of the table to find one user's entries. Pages continue from a cursor
 * (`before`: the last id seen) instead of OFFSET, which would walk every skipped row: at 1,000,000
 * entries the 10,000th page costs the same as the first (`npm run bench:audit`).
 */
import type { AuditFilter } from '../api/audit-dto';

export const AUDIT_TABLE = `
CREATE TABLE IF NOT EXISTS audit (
  id INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  user TEXT,
  token_id TEXT,
  address TEXT,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_name TEXT NOT NULL,
  ws_owner TEXT,
  ws_name TEXT,
  outcome TEXT NOT NULL,
  code TEXT,
  reason TEXT
);
CREATE INDEX IF NOT EXISTS audit_time ON audit (time);
CREATE INDEX IF NOT EXISTS audit_user_time ON audit (user, time);
CREATE INDEX IF NOT EXISTS audit_workspace_time ON audit (ws_name, time);
CREATE INDEX IF NOT EXISTS audit_action_time ON audit (action, time);
CREATE INDEX IF NOT EXISTS audit_outcome_time ON audit (outcome, time);
`;

/** One stored entry, as the table holds it (time in epoch milliseconds). */
export interface AuditRow {
  id: number;
  time: number;
  user: string | null;
  token_id: string | null;
  address: string | null;
  action: string;
  object_type: string;
  object_name: string;
  ws_owner: string | null;
  ws_name: string | null;
  outcome: string;
  code: string | null;
  reason: string | null;
}

export type NewAuditRow = Omit<AuditRow, 'id'>;

export const INSERT_AUDIT = `INSERT INTO audit (time, user, token_id, address, action, object_type, object_name, ws_owner, ws_name, outcome, code, reason)
VALUES (@time, @user, @token_id, @address, @action, @object_type, @object_name, @ws_owner, @ws_name, @outcome, @code, @reason)`;

/** The oldest entries before a time, at most `limit` of them: one bounded batch of retention. */
export const PURGE_AUDIT = 'DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE time < ? ORDER BY time LIMIT ?)';

/** Where the page after `cursor` (an entry's time and id) starts; null: from the newest. */
export interface AuditCursor {
  time: number;
  id: number;
}

/** The SELECT of one page: filters, cursor, newest first, `limit` rows. */
export function auditPageQuery(f: AuditFilter, cursor: AuditCursor | null, limit: number): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    where.push(clause);
    params.push(...values);
  };
  if (f.user !== undefined) add('user = ?', f.user);
  if (f.workspace !== undefined) {
    const slash = f.workspace.indexOf('/');
    if (slash < 0) add('ws_name = ?', f.workspace);
    else add('ws_name = ? AND ws_owner = ?', f.workspace.slice(slash + 1), f.workspace.slice(0, slash));
  }
  if (f.action !== undefined) add('action = ?', f.action);
  if (f.outcome !== undefined) add('outcome = ?', f.outcome);
  if (f.since !== undefined) add('time >= ?', Date.parse(f.since));
  if (f.until !== undefined) add('time < ?', Date.parse(f.until));
  // The plain bound on time keeps the index range tight; the OR only breaks ties within one millisecond.
  if (cursor) add('time <= ? AND (time < ? OR id < ?)', cursor.time, cursor.time, cursor.id);
  const sql = `SELECT * FROM audit INDEXED BY ${indexFor(f)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY time DESC, id DESC LIMIT ?`;
  return { sql, params: [...params, limit] };
}

/**
 * The index for a filter, most selective first: a workspace has fewer entries than a user, a user
 * fewer than an action; refusals and failures are few (an `ok` filter is not worth its index).
 */
function indexFor(f: AuditFilter): string {
  if (f.workspace !== undefined) return 'audit_workspace_time';
  if (f.user !== undefined) return 'audit_user_time';
  if (f.outcome !== undefined && f.outcome !== 'ok') return 'audit_outcome_time';
  if (f.action !== undefined) return 'audit_action_time';
  return 'audit_time';
}

/**
 * The audit log as it crosses the API: one entry per state change, sign-in or refusal (who, what,
 * to which object, when, how it ended), a page of them with the cursor to the next, and the
 * filters every client (REST, CLI, UI) asks with. Environment-neutral: the renderer imports it.
 */

/** `ok`: done; `refused`: not allowed (unauthenticated, forbidden, throttled); `failed`: allowed but did not succeed. */
export type AuditOutcome = 'ok' | 'refused' | 'failed';
export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ['ok', 'refused', 'failed'];

export interface AuditEntry {
  /** Increasing; the paging cursor (`before`). */
  id: number;
  /** ISO time. */
  time: string;
  /** Who acted: a user name, `system:…` for the hub's own jobs, null when nobody was authenticated. */
  user: string | null;
  /** The API token the request came with (its id, never the token); null for sessions and in-process callers. */
  tokenId: string | null;
  /** The client's address; null for in-process callers (the desktop app, a local CLI). */
  address: string | null;
  /** A stable dotted name: `workspace.create`, `user.update`, `session.sign-in`. */
  action: string;
  /** What was acted on: `workspace`, `user`, `token`, `hub`… */
  objectType: string;
  objectName: string;
  /** `owner/name` when the object is a workspace; null otherwise. */
  workspace: string | null;
  outcome: AuditOutcome;
  /** The error code of a refusal or failure (`forbidden`, `not_found`, …); null when ok. */
  code: string | null;
  /** Why it was refused or failed, or what changed (e.g. the fields of an update). */
  reason: string | null;
}

export interface AuditPage {
  /** Newest first. */
  entries: AuditEntry[];
  /** The `before` for the next (older) page; null at the end. */
  next: number | null;
}

/** The filters of a listing or an export; all optional, combined with AND. */
export interface AuditFilter {
  user?: string;
  /** A workspace name, or `owner/name`. */
  workspace?: string;
  action?: string;
  outcome?: AuditOutcome;
  /** ISO times, inclusive `since`, exclusive `until`. */
  since?: string;
  until?: string;
}

/** The columns of a CSV export, in order (the JSON export has the same fields). */
export const AUDIT_COLUMNS = ['id', 'time', 'user', 'tokenId', 'address', 'action', 'objectType', 'objectName', 'workspace', 'outcome', 'code', 'reason'] as const satisfies readonly (keyof AuditEntry)[];

/** At most this many entries in one page. */
export const MAX_AUDIT_PAGE = 500;

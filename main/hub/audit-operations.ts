/**
 * The hub's operations with every state-changing one recorded in the audit log: done (`ok`),
 * refused (not authenticated, forbidden) or failed (with its error code and message). Wrapping the
 * one operations map covers every door at once: the REST server, the in-process client and the IPC.
 */
import { isHubdeckError, StorageError, type ErrorCode } from '../core/errors';
import { OPERATIONS, isChangeOperation, type ChangeOperation } from '../api/endpoints';
import type { AuditOutcome } from '../api/audit-dto';
import type { Actor } from './actor';
import { AUDIT_ACTIONS, type AuditSubject } from './audit-actions';
import type { AuditLog } from './audit-log';
import type { HubOperations } from './hub-operation-types';

type AnyCall = (a: Actor, i: unknown, o: unknown) => Promise<unknown>;
type AnyDescribe = (a: Actor, i: unknown, r: unknown) => AuditSubject;

const REFUSALS = new Set<ErrorCode | string>(['forbidden', 'unauthorized']);

/** How a thrown error ends an operation in the log: refused or failed, with its code and a public message. */
export function outcomeOf(e: unknown): { outcome: AuditOutcome; code: string; reason: string } {
  if (e instanceof StorageError) return { outcome: 'failed', code: e.code, reason: e.publicMessage };
  if (isHubdeckError(e)) return { outcome: REFUSALS.has(e.code) ? 'refused' : 'failed', code: e.code, reason: e.message };
  // Not one of ours: its message may hold internals (paths, engine answers); the code says enough.
  return { outcome: 'failed', code: 'internal', reason: 'internal error' };
}

export function auditedOperations(ops: HubOperations, audit: AuditLog): HubOperations {
  const out: Record<string, unknown> = { ...ops };
  for (const op of OPERATIONS) {
    if (!isChangeOperation(op)) continue;
    const call = ops[op] as AnyCall;
    const describe = AUDIT_ACTIONS[op] as AnyDescribe;
    const record = (a: Actor, i: unknown, r: unknown, end: { outcome: AuditOutcome; code?: string; reason?: string }) => {
      const s = describe(a, i ?? {}, r);
      const reason = [end.reason, s.detail].filter(Boolean).join('; ') || null;
      audit.record({ actor: a.user ? a : null, action: s.action, object: { type: s.type, name: s.name }, workspace: s.workspace ?? null, outcome: end.outcome, code: end.code ?? null, reason });
    };
    out[op] = async (a: Actor, i: unknown, o: unknown) => {
      let r: unknown;
      try {
        r = await call(a, i, o);
      } catch (e) {
        record(a, i, undefined, outcomeOf(e));
        throw e;
      }
      record(a, i, r, { outcome: 'ok' });
      return r;
    };
  }
  return out as HubOperations;
}

/**
 * A request to a state-changing route refused before it reached its operation (no or bad
 * credentials, throttled): recorded as that operation's action, by nobody, with what the path names.
 */
export function recordRefusedRequest(audit: AuditLog, op: ChangeOperation, params: Record<string, string>, code: string, reason: string): void {
  const s = (AUDIT_ACTIONS[op] as AnyDescribe)(NOBODY, params, undefined);
  audit.record({ actor: null, action: s.action, object: { type: s.type, name: s.name }, workspace: s.workspace ?? null, outcome: 'refused', code, reason });
}

const NOBODY: Actor = { user: '', admin: false };

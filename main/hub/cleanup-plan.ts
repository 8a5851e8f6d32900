/**
 * What a cleanup sweep removes, decided from the engine's resources and the hub's users: expired
 * workspaces; every resource of a user deleted on this hub; networks no container uses. Data
 * volumes of existing users are kept (remove keeps data on purpose), and resources of users this hub
 * never knew are orphans: reported by reconciliation, never removed. Pure, so dry-run and run agree.
 */
import type { EngineResource } from '../engine/engine';
import type { CleanupReason } from '../api/dto';
import { isExpired } from '../core/expiry';

export type { CleanupReason };

export interface CleanupItem {
  resource: EngineResource;
  reason: CleanupReason;
}

export interface PlanInputs {
  resources: EngineResource[];
  users: ReadonlySet<string>;
  /** Users deleted on this hub (and not re-created). */
  deleted: ReadonlySet<string>;
  /** Workspace key "user/name" → effective expiry (RFC 3339) for those that have one. */
  expiry: ReadonlyMap<string, string>;
  now: Date;
}

export function planCleanup(i: PlanInputs): CleanupItem[] {
  const items: CleanupItem[] = [];
  for (const r of i.resources) {
    const reason = reasonFor(r, i);
    if (reason) items.push({ resource: r, reason });
  }
  // The engine says in which order its objects can go (a workspace before its volume and network).
  return items.sort((a, b) => a.resource.order - b.resource.order);
}

function reasonFor(r: EngineResource, i: PlanInputs): CleanupReason | null {
  if (!i.users.has(r.user)) return i.deleted.has(r.user) ? 'user-deleted' : null;
  if (r.kind === 'workspace') {
    const at = i.expiry.get(`${r.user}/${r.workspace}`);
    return isExpired(at ?? null, i.now) ? 'expired' : null;
  }
  if (r.kind === 'network' && !r.inUse) return 'dangling-network';
  return null;
}

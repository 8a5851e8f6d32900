/**
 * Who is asking. Every hub operation takes an actor and checks it here, so the REST server and the
 * in-process client share one authorization code path.
 */
import { HubdeckError } from '../core/errors';

export interface Actor {
  user: string;
  /** True only for an admin user with an admin-scope token (or the local desktop admin). */
  admin: boolean;
  /**
   * The credentials the request came with, when it came over the network: sessions and login codes
   * made from them end when they do (a revoked token, a signed-out session). Absent: the process
   * itself (the desktop's local admin, the CLI, the hub's own jobs).
   */
  via?: ActorSource;
}

export type ActorSource = { kind: 'token'; id: string } | { kind: 'session'; key: string };

export function requireAdmin(a: Actor, what: string): void {
  if (!a.admin) throw new HubdeckError('forbidden', `only admins may ${what}`);
}

/** Users act on themselves; admins on anyone. The message does not reveal whether `user` exists. */
export function requireSelfOrAdmin(a: Actor, user: string, what: string): void {
  if (!a.admin && a.user !== user) throw new HubdeckError('forbidden', `${a.user} may not ${what} of ${user}`);
}

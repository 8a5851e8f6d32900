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

/**
 * The parts of the process that act on the hub on nobody's behalf: the cleanup timer, a server
 * reading what it serves (`serve`, `share`), directory sign-in creating and updating accounts.
 */
export type SystemRole = 'cleanup' | 'serve' | 'share' | 'directory';

/**
 * An admin actor for one of the process's own jobs. Its name ("system:cleanup") can never be a
 * user's (user names are DNS labels), so nothing it does can be mistaken for a person's doing,
 * and it carries no credentials (`via`) that could be revoked under it.
 */
export function systemActor(role: SystemRole): Actor {
  return { user: `system:${role}`, admin: true };
}

/**
 * Whoever runs a local hub in this process (the desktop, a CLI command): its admin, holding no
 * token — being the process is the credential, and nothing can revoke it under them.
 */
export function localAdmin(name: string): Actor {
  return { user: name, admin: true };
}

/**
 * The workspace's owner, for a connection the caller has ALREADY authorized (the proxy's pooled
 * agents, the local hub's tunnels): opening it as the owner keeps the admin-access rule, made
 * for people, from standing between an authorized request and its workspace.
 */
export function ownerActor(ref: { user: string }): Actor {
  return { user: ref.user, admin: false };
}

export function requireAdmin(a: Actor, what: string): void {
  if (!a.admin) throw new HubdeckError('forbidden', `only admins may ${what}`);
}

/** Users act on themselves; admins on anyone. The message does not reveal whether `user` exists. */
export function requireSelfOrAdmin(a: Actor, user: string, what: string): void {
  if (!a.admin && a.user !== user) throw new HubdeckError('forbidden', `${a.user} may not ${what} of ${user}`);
}

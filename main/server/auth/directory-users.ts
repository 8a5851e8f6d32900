/**
 * Turns a directory's or provider's answer into a Hubdeck user: refuses people outside the allowed
 * groups, blocked users and names an admin deleted (the directory may still know them), creates
 * new users, and keeps admin, self-service and group membership in step with the directory.
 */
import type { Actor } from '../../hub/actor';
import type { Hub } from '../../hub/hub';
import { isAdmin, isAllowed, isSelfService, SignInRefused, type DirectoryIdentity, type DirectoryPolicy } from './directory-policy';

/** Who changes users on the directory's behalf; not a valid user name, so never a real person. */
const DIRECTORY: Actor = { user: 'directory sign-in', admin: true };

/** The signed-in user's actor (admin as the hub now says), or SignInRefused. */
export async function admitIdentity(hub: Hub, who: DirectoryIdentity, policy: DirectoryPolicy): Promise<Actor> {
  if (!isAllowed(policy, who.groups)) throw new SignInRefused(`${who.username} is not in a group allowed on this hub (${policy.allowedGroups.join(', ')})`, false);
  const existing = hub.users.find(who.username);
  if (existing?.blocked) throw new SignInRefused(`${who.username} is blocked on this hub; ask a hub admin`, false);
  if (!existing && hub.users.wasDeleted(who.username)) throw new SignInRefused(`${who.username} was removed from this hub; ask a hub admin to add the account again`, false);
  // Only groups the hub has: an admin creates the ones that matter (quotas, image access).
  const hubGroups = new Set(hub.users.listGroups(DIRECTORY).map((g) => g.name));
  const groups = who.groups.filter((g) => hubGroups.has(g)).sort();
  const admin = isAdmin(policy, who.groups);
  const selfService = isSelfService(policy, who.groups);
  if (!existing) {
    await hub.users.create(DIRECTORY, { name: who.username, admin: admin ?? false, selfService: selfService ?? false, groups });
  } else {
    const patch: Record<string, unknown> = {};
    if (admin !== null && admin !== existing.admin) patch.admin = admin;
    if (selfService !== null && selfService !== existing.selfService) patch.selfService = selfService;
    if ([...existing.groups].sort().join() !== groups.join()) patch.groups = groups;
    if (Object.keys(patch).length) await hub.users.update(DIRECTORY, who.username, patch);
  }
  // The session carries admin rights; SessionService re-checks the user on every request.
  return { user: who.username, admin: true };
}

/**
 * Turns a directory's or provider's answer into a Hubdeck user: refuses people outside the allowed
 * groups, blocked users and names an admin deleted (the directory may still know them), creates
 * new users, and keeps admin, self-service and group membership in step with the directory.
 *
 * A directory only ever owns the accounts it made: an account made on the hub (its first admin, a
 * token-only teammate) or made for another person of the directory (another DN, another issuer or
 * `sub`) is refused, never signed into nor given or stripped of admin. A name is therefore only a
 * label: a provider's `preferred_username` that a person may change cannot take anyone's account.
 */
import { systemActor, type Actor } from '../../hub/actor';
import type { Hub } from '../../hub/hub';
import type { UserRecord } from '../../hub/hub-state';
import { isAdmin, isAllowed, isSelfService, SignInRefused, type DirectoryIdentity, type DirectoryPolicy } from './directory-policy';

/** Who changes users on the directory's behalf; not a valid user name, so never a real person. */
const DIRECTORY = systemActor('directory');

const KIND = { ldap: 'LDAP', oidc: 'OpenID Connect' } as const;

/** Refuses an existing account this directory person does not own. */
function refuseForeign(existing: UserRecord, who: DirectoryIdentity): void {
  const link = existing.directory;
  const kind = KIND[who.source];
  // Refusals here come after a right password: not guessing, so not counted by the throttle.
  if (!link) throw new SignInRefused(`${who.username} is an account made on this hub, not by ${kind} sign-in; sign in with its token, or ask a hub admin`, false);
  if (link.source !== who.source) throw new SignInRefused(`${who.username} is an account made by ${KIND[link.source]} sign-in, not ${kind}; sign in that way, or ask a hub admin`, false);
  if (link.subject !== who.subject) throw new SignInRefused(`${who.username} on this hub belongs to another ${kind} account (the name was reused or changed there); ask a hub admin`, false);
}

/** The signed-in user's actor (admin as the hub now says), or SignInRefused. */
export async function admitIdentity(hub: Hub, who: DirectoryIdentity, policy: DirectoryPolicy): Promise<Actor> {
  if (!isAllowed(policy, who.groups)) throw new SignInRefused(`${who.username} is not in a group allowed on this hub (${policy.allowedGroups.join(', ')})`, false);
  const existing = hub.users.find(who.username);
  if (existing?.blocked) throw new SignInRefused(`${who.username} is blocked on this hub; ask a hub admin`, false);
  if (existing) refuseForeign(existing, who);
  if (!existing && hub.users.wasDeleted(who.username)) throw new SignInRefused(`${who.username} was removed from this hub; ask a hub admin to add the account again`, false);
  // Only groups the hub has: an admin creates the ones that matter (quotas, image access).
  const hubGroups = new Set(hub.users.listGroups(DIRECTORY).map((g) => g.name));
  const groups = who.groups.filter((g) => hubGroups.has(g)).sort();
  const admin = isAdmin(policy, who.groups);
  const selfService = isSelfService(policy, who.groups);
  if (!existing) {
    const body = { name: who.username, admin: admin ?? false, selfService: selfService ?? false, groups };
    await hub.users.create(DIRECTORY, body, { source: who.source, subject: who.subject });
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

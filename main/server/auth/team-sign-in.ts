/**
 * The hub's team sign-in: an LDAP directory (user name and password) and/or an OpenID provider
 * ("Sign in with …"), beside tokens, which always keep working. Turns what they say into a user.
 */
import type { Actor } from '../../hub/actor';
import type { Hub } from '../../hub/hub';
import { KeyedLock } from '../../hub/keyed-lock';
import { admitIdentity } from './directory-users';
import { SignInRefused, type DirectoryPolicy } from './directory-policy';
import type { LdapAuthenticator } from './ldap-auth';
import type { OidcAuthenticator } from './oidc-auth';
import { OIDC_START_PATH } from './oidc-paths';

export interface TeamSignIn {
  ldap: LdapAuthenticator | null;
  oidc: OidcAuthenticator | null;
  /** Each source names its own groups (a directory's cn, a provider's claim values). */
  ldapPolicy: DirectoryPolicy;
  oidcPolicy: DirectoryPolicy;
}

/** What the sign-in page offers (also GET /hub/login/methods, for the web UI). */
export interface SignInMethods {
  password: boolean;
  oidc: { name: string; url: string } | null;
}

/** The start-up line: what people can sign in with. */
export function describeSignIn(team: TeamSignIn): string {
  const kinds = [team.ldap ? `LDAP ${team.ldap.describe}` : null, team.oidc ? `OpenID Connect ${team.oidc.describe}` : null];
  return `sign-in: ${kinds.filter(Boolean).join(', ')}, and tokens`;
}

export function methodsOf(team: TeamSignIn | undefined): SignInMethods {
  return { password: Boolean(team?.ldap), oidc: team?.oidc ? { name: team.oidc.name, url: OIDC_START_PATH } : null };
}

/** The auth throttle as a password sign-in uses it, for one client address. */
export interface PasswordGate {
  address: string;
  /** Refuses (429) an address past the throttle's limit. */
  refuseIfBlocked(): void;
  /** Counts a failure: a wrong password counts like a wrong token. */
  countFailure(): Promise<void>;
}

/**
 * One password check at a time per client address, the throttle asked again once it is that
 * request's turn: sent all at once, a batch of guesses would otherwise all pass the throttle
 * before the first of them failed, and the directory would answer every one.
 */
const perAddress = new KeyedLock();

/**
 * A user name and password checked against the directory. A wrong password counts in the auth
 * throttle; an outage does not (nobody guessed anything).
 */
export async function passwordSignIn(hub: Hub, team: TeamSignIn, username: string, password: string, gate: PasswordGate): Promise<Actor> {
  const ldap = team.ldap;
  if (!ldap) throw new SignInRefused('This hub does not take passwords; sign in with a token.', false);
  return perAddress.run(gate.address, async () => {
    gate.refuseIfBlocked();
    try {
      // Directories match uid case-insensitively; Hubdeck names are lowercase: "Alice" is alice.
      const identity = await ldap.authenticate(username.trim().toLowerCase(), password);
      return await admitIdentity(hub, identity, team.ldapPolicy);
    } catch (e) {
      if (e instanceof SignInRefused && e.counts) await gate.countFailure();
      throw e;
    }
  });
}

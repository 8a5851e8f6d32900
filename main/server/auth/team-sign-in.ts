/**
 * The hub's team sign-in: an LDAP directory (user name and password) and/or an OpenID provider
 * ("Sign in with …"), beside tokens, which always keep working. Turns what they say into a user.
 */
import type { Actor } from '../../hub/actor';
import type { Hub } from '../../hub/hub';
import { KeyedLock } from '../../hub/keyed-lock';
import { admitIdentity } from './directory-users';
import { SignInRefused, SignInsBusy, type DirectoryPolicy } from './directory-policy';
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
/** Checks in line (the running one included) per address. */
const inLine = new Map<string, number>();
/**
 * At most this many per address: the throttle refuses an address after 15 failures a minute, so a
 * longer line could never all be checked; with a slow directory it would only hold sockets, and
 * everyone behind that address (an office's NAT) would wait behind it.
 */
export const MAX_IN_LINE_PER_ADDRESS = 16;

/**
 * A user name and password checked against the directory. A wrong password counts in the auth
 * throttle; an outage does not (nobody guessed anything). `signal`: the client went away — if it
 * is still waiting its turn, the directory is not asked at all.
 */
export async function passwordSignIn(hub: Hub, team: TeamSignIn, username: string, password: string, gate: PasswordGate, signal?: AbortSignal): Promise<Actor> {
  const ldap = team.ldap;
  if (!ldap) throw new SignInRefused('This hub does not take passwords; sign in with a token.', false);
  const waiting = inLine.get(gate.address) ?? 0;
  if (waiting >= MAX_IN_LINE_PER_ADDRESS) throw new SignInsBusy(`${MAX_IN_LINE_PER_ADDRESS} sign-ins in progress from your address already; try again in a moment.`);
  inLine.set(gate.address, waiting + 1);
  // A client that went away leaves the line at once, not when its turn would have come.
  let left = false;
  const leave = () => {
    if (left) return;
    left = true;
    const n = (inLine.get(gate.address) ?? 1) - 1;
    if (n > 0) inLine.set(gate.address, n);
    else inLine.delete(gate.address);
  };
  signal?.addEventListener('abort', leave, { once: true });
  try {
    return await perAddress.run(gate.address, async () => {
      gate.refuseIfBlocked();
      try {
        // Directories match uid case-insensitively; Hubdeck names are lowercase: "Alice" is alice.
        const identity = await ldap.authenticate(username.trim().toLowerCase(), password);
        return await admitIdentity(hub, identity, team.ldapPolicy);
      } catch (e) {
        if (e instanceof SignInRefused && e.counts) await gate.countFailure();
        throw e;
      }
    }, signal);
  } catch (e) {
    // Nobody is left to tell: not an error worth a log line.
    if (signal?.aborted) throw new SignInRefused('The sign-in was abandoned.', false);
    throw e;
  } finally {
    signal?.removeEventListener('abort', leave);
    leave();
  }
}

/**
 * Browser sessions: windows and tabs the app opens get a one-time, short-lived login code (never a
 * long-lived token in a URL or a history), redeemed once for a session; people signing in by hand
 * trade a token for one. The session cookie holds only a random id; sessions are kept in memory,
 * hashed, and re-checked against the user on every request (blocked, deleted or demoted users lose
 * them at once).
 */
import { createHash, randomBytes } from 'node:crypto';
import { HubdeckError } from '../core/errors';
import type { Actor } from './actor';
import type { HubContext } from './hub-context';
import type { UserService } from './user-service';

const CODE_TTL_MS = 60_000;
/** The longest a code may live: a link printed for a person to open (`hubdeck ui`). */
export const MAX_CODE_TTL_MS = 15 * 60_000;
const SESSION_TTL_MS = 12 * 3_600_000;
const MAX_SESSIONS = 10_000;

interface Grant {
  user: string;
  /** Admin rights only if what it came from had them (an admin-scope token or session). */
  admin: boolean;
  expiresAt: number;
}

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');
const secret = () => randomBytes(32).toString('base64url');

export class SessionService {
  private readonly codes = new Map<string, Grant>();
  private readonly sessions = new Map<string, Grant>();

  constructor(private readonly ctx: HubContext, private readonly users: UserService) {}

  /** A code the caller's browser window redeems once, within a minute (or `ttlMs`), for a session. */
  createLoginCode(actor: Actor, ttlMs = CODE_TTL_MS): { code: string; expiresAt: string } {
    this.sweep();
    const code = secret();
    const expiresAt = this.ctx.now().getTime() + Math.min(ttlMs, MAX_CODE_TTL_MS);
    this.codes.set(hash(code), { user: actor.user, admin: actor.admin, expiresAt });
    return { code, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** Redeems a login code (once) for a session id; refuses used, expired or unknown codes alike. */
  redeem(code: string): string {
    const key = hash(code);
    const grant = this.codes.get(key);
    this.codes.delete(key);
    if (!grant || grant.expiresAt <= this.ctx.now().getTime()) throw new HubdeckError('unauthorized', 'this sign-in link has expired or was already used; open the workspace again from the app');
    return this.open(grant.user, grant.admin);
  }

  /** A session for an authenticated actor (a token traded at the sign-in page). */
  open(user: string, admin: boolean): string {
    this.sweep();
    if (this.sessions.size >= MAX_SESSIONS) throw new HubdeckError('unavailable', 'too many open sessions on this hub; try again later');
    const id = secret();
    this.sessions.set(hash(id), { user, admin, expiresAt: this.ctx.now().getTime() + SESSION_TTL_MS });
    return id;
  }

  /** The actor of a session id, as the user is now; null for unknown, expired, blocked or deleted. */
  authenticate(id: string): Actor | null {
    const grant = this.sessions.get(hash(id));
    if (!grant || grant.expiresAt <= this.ctx.now().getTime()) return null;
    const user = this.users.find(grant.user);
    if (!user || user.blocked) return null;
    return { user: user.name, admin: user.admin && grant.admin };
  }

  close(id: string): void {
    this.sessions.delete(hash(id));
  }

  private sweep(): void {
    const now = this.ctx.now().getTime();
    for (const m of [this.codes, this.sessions]) for (const [k, g] of m) if (g.expiresAt <= now) m.delete(k);
  }
}

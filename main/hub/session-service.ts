/**
 * Browser sessions and the one-time login codes that make them. Windows and tabs the app opens get
 * a short-lived code (never a long-lived token in a URL or a history), redeemed once for a session;
 * people signing in by hand trade a token or a password for one. The cookie holds only a random id;
 * sessions are kept hashed and in memory, so a copy of the disk or a backup holds no live session (a
 * hub restart signs browsers out; the app signs its windows in again by itself).
 *
 * Every session is re-checked on every use against what it came from:
 * - the user's identity, not only the name (a re-created "frank" is somebody else);
 * - the credentials that made it: a session made from a token ends when that token is revoked or
 *   expires, one made from another session (a workspace's) when that one ends or signs out;
 * - the user as they are now (blocked: nothing; demoted: no admin rights).
 * A session is either the hub's or one workspace's (`scope`): a workspace's session opens that
 * workspace's pages on its own origin and nothing else, and a hub session never opens a workspace.
 *
 * Limits are per user, never hub-wide: one user filling a table must not lock anyone else out, so
 * each user keeps their newest sessions and codes and the oldest give way.
 */
import { createHash, randomBytes } from 'node:crypto';
import { HubdeckError } from '../core/errors';
import type { WorkspaceRef } from '../engine/engine';
import type { Actor, ActorSource } from './actor';
import type { HubContext } from './hub-context';
import type { UserService } from './user-service';
import { identityOf } from './user-identity';

const CODE_TTL_MS = 60_000;
/** The longest a code may live: a link printed for a person to open (`hubdeck ui`). */
export const MAX_CODE_TTL_MS = 15 * 60_000;
export const SESSION_TTL_MS = 12 * 3_600_000;
/** Sessions one user keeps (every browser, window and workspace tab): past it the oldest ends. */
export const MAX_SESSIONS_PER_USER = 100;
/** Unredeemed codes one user keeps: past it the oldest is void. */
export const MAX_CODES_PER_USER = 20;
/** How deep "a session made from a session" may go (a workspace's session from a hub session). */
const MAX_CHAIN = 4;

interface Grant {
  user: string;
  uid: string;
  /** Admin rights only if what it came from had them (an admin-scope token or session). */
  admin: boolean;
  via: ActorSource | null;
  /** null: the hub's own pages and API; a workspace: only that workspace's origin. */
  scope: WorkspaceRef | null;
  expiresAt: number;
}

interface CodeGrant extends Grant {
  /** The browser that asked for it (a cookie it holds); null: a window the app itself signs in. */
  state: string | null;
  /** Where the browser goes once signed in. */
  next: string | null;
}

export interface CodeOptions {
  ttlMs?: number;
  scope?: WorkspaceRef | null;
  state?: string | null;
  next?: string | null;
}

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');
const secret = () => randomBytes(32).toString('base64url');
const sameScope = (a: WorkspaceRef | null, b: WorkspaceRef | null) => (a === null || b === null ? a === b : a.user === b.user && a.name === b.name);
const refused = () => new HubdeckError('unauthorized', 'this sign-in link has expired or was already used; open the workspace again from the app');

/** Entries per user, oldest first (a Map keeps insertion order), with a cap. */
class PerUser<G extends Grant> {
  private readonly byUser = new Map<string, Map<string, G>>();
  private readonly owner = new Map<string, string>();

  constructor(private readonly cap: number) {}

  get(key: string): G | undefined {
    const user = this.owner.get(key);
    return user === undefined ? undefined : this.byUser.get(user)?.get(key);
  }

  add(key: string, g: G, now: number): void {
    const mine = this.byUser.get(g.user) ?? new Map<string, G>();
    this.byUser.set(g.user, mine);
    for (const [k, old] of mine) if (old.expiresAt <= now) this.delete(k);
    while (mine.size >= this.cap) this.delete(mine.keys().next().value!);
    mine.set(key, g);
    this.owner.set(key, g.user);
  }

  delete(key: string): void {
    const user = this.owner.get(key);
    if (user === undefined) return;
    this.owner.delete(key);
    const mine = this.byUser.get(user);
    mine?.delete(key);
    if (mine && mine.size === 0) this.byUser.delete(user);
  }

  sweep(now: number): void {
    for (const mine of this.byUser.values()) for (const [k, g] of mine) if (g.expiresAt <= now) this.delete(k);
  }

  get size(): number {
    return this.owner.size;
  }
}

export class SessionService {
  private readonly codes = new PerUser<CodeGrant>(MAX_CODES_PER_USER);
  private readonly sessions = new PerUser<Grant>(MAX_SESSIONS_PER_USER);
  private lastSweep = 0;

  constructor(
    private readonly ctx: HubContext,
    private readonly users: UserService,
    /** Whether a token still stands (not revoked, not expired): sessions made from it end with it. */
    private readonly tokenLive: (id: string) => boolean,
  ) {}

  /**
   * A one-time code for the actor, redeemed within a minute (or `ttlMs`, at most 15) for a session:
   * the hub's, or with `scope` one workspace's. It carries the actor's credentials, so it is void
   * once they are (a revoked token, a deleted user).
   */
  createLoginCode(actor: Actor, o: CodeOptions = {}): { code: string; expiresAt: string } {
    const now = this.now();
    const code = secret();
    const expiresAt = now + Math.min(o.ttlMs ?? CODE_TTL_MS, MAX_CODE_TTL_MS);
    this.codes.add(hash(code), { ...this.grantFor(actor, o.scope ?? null, expiresAt), state: o.state ?? null, next: o.next ?? null }, now);
    return { code, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** Who a code would sign in, and where to, without using it (the page that asks "sign in as …?"). */
  peek(code: string): { user: string; scope: WorkspaceRef | null; next: string | null } | null {
    const g = this.codes.get(hash(code));
    return g && this.stands(g) ? { user: g.user, scope: g.scope, next: g.next } : null;
  }

  /**
   * Redeems a code (once) for a session id where it was meant to be used: the hub (`scope` null) or
   * one workspace, by the browser that asked for it (`state`) when it was asked for by one. The code
   * is used up only once its session exists: a refusal leaves it for the right place.
   */
  redeem(code: string, scope: WorkspaceRef | null = null, state: string | null = null): { session: string; next: string | null } {
    const key = hash(code);
    const g = this.codes.get(key);
    if (!g || !this.stands(g) || !sameScope(g.scope, scope) || (g.state !== null && g.state !== state)) {
      this.ctx.audit.signIn(null, g?.user ?? '', 'refused', 'a one-time code that was wrong, used, expired or meant elsewhere', 'unauthorized', scope);
      throw refused();
    }
    const session = this.openGrant({ ...g, expiresAt: this.now() + SESSION_TTL_MS });
    this.codes.delete(key);
    this.ctx.audit.signIn(this.actorOf(hash(session), g.scope), g.user, 'ok', 'with a one-time code', null, g.scope);
    return { session, next: g.next };
  }

  /** A hub session (or one workspace's) for an authenticated actor: a token or password sign-in. */
  open(actor: Actor, scope: WorkspaceRef | null = null): string {
    const session = this.openGrant(this.grantFor(actor, scope, this.now() + SESSION_TTL_MS));
    // A token's actor carries its id; a directory's (password, single sign-on) carries nothing yet.
    this.ctx.audit.signIn(actor, actor.user, 'ok', actor.via?.kind === 'token' ? 'with a token' : 'with the directory (password or single sign-on)', null, scope);
    return session;
  }

  /** The actor of a hub session id, as the user is now; null for unknown, expired, revoked, or a workspace's. */
  authenticate(id: string): Actor | null {
    return this.actorOf(hash(id), null);
  }

  /** The actor of a workspace's session id on that workspace's origin; null for anything else. */
  authenticateWorkspace(id: string, ref: WorkspaceRef): Actor | null {
    return this.actorOf(hash(id), ref);
  }

  /** Signs out: the session ends, and with it every session made from it. */
  close(id: string): void {
    this.sessions.delete(hash(id));
  }

  /** Open sessions on the hub (all users). */
  get size(): number {
    return this.sessions.size;
  }

  private actorOf(key: string, scope: WorkspaceRef | null): Actor | null {
    const g = this.sessions.get(key);
    if (!g || !sameScope(g.scope, scope) || !this.stands(g)) return null;
    const user = this.users.find(g.user)!;
    return { user: user.name, admin: user.admin && g.admin, via: { kind: 'session', key } };
  }

  private grantFor(actor: Actor, scope: WorkspaceRef | null, expiresAt: number): Grant {
    const user = this.users.find(actor.user);
    if (!user || user.blocked) throw new HubdeckError('unauthorized', `${actor.user} cannot sign in on this hub`);
    return { user: user.name, uid: identityOf(user), admin: actor.admin, via: actor.via ?? null, scope, expiresAt };
  }

  private openGrant(g: Grant): string {
    const now = this.now();
    if (now - this.lastSweep > 60_000) {
      this.lastSweep = now;
      this.sessions.sweep(now);
      this.codes.sweep(now);
    }
    const id = secret();
    this.sessions.add(hash(id), g, now);
    return id;
  }

  /** Whether a grant still stands: unexpired, its user the same person and not blocked, its source alive. */
  private stands(g: Grant, depth = 0): boolean {
    if (g.expiresAt <= this.now() || depth > MAX_CHAIN) return false;
    const user = this.users.find(g.user);
    if (!user || user.blocked || identityOf(user) !== g.uid) return false;
    if (!g.via) return true;
    if (g.via.kind === 'token') return this.tokenLive(g.via.id);
    const parent = this.sessions.get(g.via.key);
    return parent !== undefined && this.stands(parent, depth + 1);
  }

  private now(): number {
    return this.ctx.now().getTime();
  }
}

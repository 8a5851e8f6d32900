/** API tokens: created per user (the secret shown once), stored hashed, listed, revoked, checked. */
import { HubdeckError } from '../core/errors';
import { isExpired } from '../core/expiry';
import { parseWith } from '../core/validation';
import type { CreatedToken, TokenView } from '../api/dto';
import { tokenInput } from '../api/requests';
import { hashToken, newToken, tokenId, tokenMatches } from '../core/tokens';
import { requireSelfOrAdmin, type Actor } from './actor';
import type { HubState, TokenRecord } from './hub-state';
import { stamp, type HubContext } from './hub-context';
import type { UserService } from './user-service';
import { createdTokenToWire, tokenToWire } from './to-wire';

interface TokenOptions { note: string; scope: 'user' | 'admin'; expiresInDays: number | null }

/** Tokens one user may hold: enough for every laptop and script, bounded so one user cannot bloat the store. */
export const MAX_TOKENS_PER_USER = 50;
/** lastUsedAt is written at most this often, so every request does not rewrite the store. */
const LAST_USED_RESOLUTION_MS = 60_000;

export class TokenService {
  constructor(private readonly ctx: HubContext, private readonly users: UserService) {}

  list(actor: Actor, user: string): TokenView[] {
    requireSelfOrAdmin(actor, user, 'list the tokens');
    this.users.mustFind(user);
    return this.ctx.store.current.tokens.filter((t) => t.user === user).map(tokenToWire);
  }

  async create(actor: Actor, user: string, body: unknown): Promise<CreatedToken> {
    requireSelfOrAdmin(actor, user, 'create tokens');
    const input = parseWith(tokenInput, body ?? {});
    const owner = this.users.mustFind(user);
    const scope = input.scope ?? 'user';
    if (scope === 'admin' && !owner.admin) throw new HubdeckError('invalid', `scope: ${user} is not an admin, so the token cannot have admin scope`, 'scope');
    if (scope === 'admin' && !actor.admin) throw new HubdeckError('forbidden', 'only an admin-scope token may create admin-scope tokens', 'scope');
    return this.issue(user, { note: input.note ?? '', scope, expiresInDays: input.expiresInDays ?? null });
  }

  /** Issues a token without an actor: the first admin token of a new hub. */
  async issue(user: string, o: TokenOptions): Promise<CreatedToken> {
    const { record, secret } = this.mint(user, o);
    await this.ctx.store.mutate((s) => this.add(s, record));
    this.announce(record);
    return createdTokenToWire(record, secret);
  }

  /** A new token's record and its secret, not stored yet (add() stores it, in the caller's write). */
  mint(user: string, o: TokenOptions): { record: TokenRecord; secret: string } {
    const t = newToken();
    const now = this.ctx.now();
    const record: TokenRecord = {
      id: t.id, user, hash: t.hash, note: o.note, scope: o.scope,
      expiresAt: o.expiresInDays ? new Date(now.getTime() + o.expiresInDays * 86_400_000).toISOString() : null,
      createdAt: now.toISOString(), lastUsedAt: null,
    };
    return { record, secret: t.secret };
  }

  /** Adds a minted token to the draft of a store write (InviteService.redeem's, issue()'s), within the per-user limit. */
  add(s: HubState, record: TokenRecord): void {
    if (s.tokens.filter((x) => x.user === record.user).length >= MAX_TOKENS_PER_USER) {
      throw new HubdeckError('conflict', `token: ${record.user} has ${MAX_TOKENS_PER_USER} tokens, the most one user may have; revoke some first`, 'token');
    }
    s.tokens.push(record);
  }

  /** Tells subscribers a token was stored (once its write committed). */
  announce(record: TokenRecord): void {
    this.ctx.bus.emit({ type: 'token.changed', user: record.user, change: 'created', id: record.id, at: stamp(this.ctx) });
  }

  async revoke(actor: Actor, user: string, id: string): Promise<void> {
    requireSelfOrAdmin(actor, user, 'revoke the tokens');
    await this.ctx.store.mutate((s) => {
      const before = s.tokens.length;
      s.tokens = s.tokens.filter((t) => !(t.id === id && t.user === user));
      if (s.tokens.length === before) throw new HubdeckError('not_found', `token ${id} of ${user} does not exist`);
    });
    this.ctx.bus.emit({ type: 'token.changed', user, change: 'revoked', id, at: stamp(this.ctx) });
  }

  /** Removes expired tokens (they can never authenticate again); returns how many went. */
  async purgeExpired(): Promise<number> {
    const now = this.ctx.now();
    const expired = (t: TokenRecord) => isExpired(t.expiresAt, now);
    if (!this.ctx.store.current.tokens.some(expired)) return 0;
    return this.ctx.store.mutate((s) => {
      const before = s.tokens.length;
      s.tokens = s.tokens.filter((t) => !expired(t));
      return before - s.tokens.length;
    });
  }

  /** The actor a token stands for, or null: unknown, expired, revoked, or its user blocked/gone. */
  authenticate(secret: string): Actor | null {
    const id = tokenId(secret);
    if (!id) {
      hashToken(secret); // same work on every path
      return null;
    }
    const record = this.ctx.store.current.tokens.find((t) => t.id === id);
    if (!record || !tokenMatches(secret, record.hash)) return null;
    const now = this.ctx.now();
    if (isExpired(record.expiresAt, now)) return null;
    const user = this.users.find(record.user);
    if (!user || user.blocked) return null;
    this.touch(record, now);
    return { user: user.name, admin: user.admin && record.scope === 'admin', via: { kind: 'token', id: record.id } };
  }

  /** Whether the token with this id still exists and has not expired (sessions made from it end with it). */
  isLive(id: string): boolean {
    const record = this.ctx.store.current.tokens.find((t) => t.id === id);
    return Boolean(record && !isExpired(record.expiresAt, this.ctx.now()));
  }

  private touch(record: TokenRecord, now: Date): void {
    if (record.lastUsedAt && now.getTime() - Date.parse(record.lastUsedAt) < LAST_USED_RESOLUTION_MS) return;
    void this.ctx.store.mutate((s) => {
      s.tokens = s.tokens.map((t) => (t.id === record.id ? { ...t, lastUsedAt: now.toISOString() } : t));
    }).catch((e: Error) => this.ctx.log(`could not record token use: ${e.message}`));
  }
}

/**
 * Invites: an admin invites a user; the invite's one-time code is traded, once and before it
 * expires (default 24 h), for an API token of that user — how a teammate joins a shared hub
 * without anyone copying a token around. Codes are kept hashed, in hub.db with everything else:
 * redeeming (consume the invite, add the token) is one store transaction, so the desktop app and
 * the CLI sharing a data directory cannot both redeem one code, and a crash cannot leave one half
 * done. The hub also records where it is shared (URL and certificate fingerprint), so whoever
 * makes an invite can put the address in it.
 */
import path from 'node:path';
import { HubdeckError } from '../core/errors';
import { parseWith } from '../core/validation';
import { isExpired } from '../core/expiry';
import { DEFAULT_INVITE_HOURS, hashInviteCode, hubUrlProblem, inviteCodeId, newInviteCode } from '../core/invite-link';
import type { CreatedInvite, HubAddress, InviteView, RedeemedInvite } from '../api/dto';
import { inviteInput, redeemInput } from '../api/requests';
import { requireAdmin, type Actor } from './actor';
import type { HubContext } from './hub-context';
import type { HubState, InviteRecord, UserRecord } from './hub-state';
import type { TokenService } from './token-service';
import type { UserService } from './user-service';
import { identityOf } from './user-identity';
import { readLegacyInvites, retireLegacyInvites } from './legacy-invites-file';
import { createdTokenToWire, inviteToWire } from './to-wire';

/** Pending invites one hub keeps: plenty for a team, bounded so nobody can fill the disk. */
export const MAX_PENDING_INVITES = 1000;
/** The store's schema version (PRAGMA user_version) once invites.json has been moved into hub.db. */
const INVITES_IN_STORE = 1;
const wholeSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export class InviteService {
  constructor(private readonly ctx: HubContext, private readonly users: UserService, private readonly tokens: TokenService) {}

  /** Moves the invites of invites.json (hubs before hub.db kept them) into the store, once. */
  async moveLegacyFile(): Promise<void> {
    const file = path.join(this.ctx.store.dir, 'invites.json');
    const moved = await this.ctx.store.migrateOnce(INVITES_IN_STORE, (s) => {
      const legacy = readLegacyInvites(file, this.ctx.log);
      if (!legacy) return;
      s.invites = [...s.invites, ...legacy.invites.filter((i) => !this.expired(i) && !s.invites.some((x) => x.id === i.id))];
      s.shared ??= legacy.shared;
    });
    if (moved) retireLegacyInvites(file);
  }

  /** Whether the invite was made for this very account (invites from before uids: one that existed then). */
  private sameIdentity(record: InviteRecord, user: UserRecord): boolean {
    if (record.uid !== undefined) return record.uid === identityOf(user);
    return Date.parse(user.createdAt) <= Date.parse(record.createdAt) + 999;
  }

  async create(actor: Actor, body: unknown, hubId: string): Promise<CreatedInvite> {
    requireAdmin(actor, 'invite users');
    const input = parseWith(inviteInput, body);
    const user = this.users.mustFind(input.user);
    if (user.blocked) throw new HubdeckError('conflict', `user: ${user.name} is blocked; unblock them before inviting them`, 'user');
    const { id, code, hash } = newInviteCode();
    const now = this.ctx.now().getTime();
    const record: InviteRecord = {
      id, user: user.name, uid: identityOf(user), hash, note: input.note ?? '', createdBy: actor.user, createdAt: wholeSeconds(now),
      expiresAt: wholeSeconds(now + (input.expiresInHours ?? DEFAULT_INVITE_HOURS) * 3_600_000),
    };
    const shared = await this.change((s) => {
      if (s.invites.length >= MAX_PENDING_INVITES) throw new HubdeckError('conflict', `invite: this hub has ${MAX_PENDING_INVITES} pending invites; revoke some first`, 'invite');
      s.invites.push(record);
      return s.shared;
    });
    return { ...inviteToWire(record), code, hubId, shared: shared && { url: shared.url, fingerprint: shared.fingerprint } };
  }

  async list(actor: Actor): Promise<InviteView[]> {
    requireAdmin(actor, 'list invites');
    return this.ctx.store.current.invites.filter((i) => !this.expired(i)).map(inviteToWire);
  }

  async revoke(actor: Actor, id: string): Promise<void> {
    requireAdmin(actor, 'revoke invites');
    await this.change((s) => {
      const before = s.invites.length;
      s.invites = s.invites.filter((i) => i.id !== id);
      if (s.invites.length === before) throw new HubdeckError('not_found', `invite ${id} does not exist (or was used or expired)`);
    });
  }

  /**
   * Trades a code for a new token of its user, once: the invite goes and the token comes in one
   * store transaction. Unknown, used, revoked and expired codes, and codes of users since blocked
   * or deleted, get one and the same answer, so a guess learns nothing.
   */
  async redeem(body: unknown, hubId: string): Promise<RedeemedInvite> {
    const { code } = parseWith(redeemInput, body);
    const refused = new HubdeckError('unauthorized', 'this invite is not valid: it expired, was already used or revoked, or was mistyped; ask for a new one');
    if (!inviteCodeId(code)) throw refused;
    const hash = hashInviteCode(code);
    const { user, record, secret } = await this.change((s) => {
      const found = s.invites.find((i) => i.hash === hash);
      if (!found || this.expired(found)) throw refused;
      // A refused code is used up all the same: a blocked or re-created user's invite is no good later either.
      s.invites = s.invites.filter((i) => i !== found);
      const invited = s.users.find((u) => u.name === found.user);
      if (!invited || invited.blocked || !this.sameIdentity(found, invited)) return { user: null, record: null, secret: '' };
      const minted = this.tokens.mint(invited.name, { note: `joined by invite ${found.id}`, scope: 'user', expiresInDays: null });
      this.tokens.add(s, minted.record);
      return { user: invited.name, ...minted };
    });
    if (!user || !record) throw refused;
    this.tokens.announce(record);
    return { hubId, user, token: createdTokenToWire(record, secret) };
  }

  /** Records (or clears) the address this hub is shared at, for invites made from now on. */
  async setShared(address: HubAddress | null): Promise<void> {
    if (address) {
      const problem = hubUrlProblem(address.url);
      if (problem) throw new HubdeckError('invalid', `url: ${problem}`, 'url');
    }
    await this.ctx.store.mutate((s) => { s.shared = address && { url: address.url, fingerprint: address.fingerprint }; });
  }

  async shared(): Promise<HubAddress | null> {
    const s = this.ctx.store.current.shared;
    return s && { url: s.url, fingerprint: s.fingerprint };
  }

  private expired(i: InviteRecord): boolean {
    return isExpired(i.expiresAt, this.ctx.now());
  }

  /** Applies `fn` to the latest state in one store write, dropping expired invites first. */
  private change<T>(fn: (s: HubState) => T): Promise<T> {
    return this.ctx.store.mutate((s) => {
      if (s.invites.some((i) => this.expired(i))) s.invites = s.invites.filter((i) => !this.expired(i));
      return fn(s);
    });
  }
}

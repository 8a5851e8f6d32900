/**
 * Invites: an admin invites a user; the invite's one-time code is traded, once and before it
 * expires (default 24 h), for an API token of that user — how a teammate joins a shared hub
 * without anyone copying a token around. Codes are kept hashed, in their own file beside the hub store
 * (invites.json, 0600, written atomically under the same kind of lock, so the desktop app and the
 * CLI sharing a data directory cannot both redeem one code). The hub also records where it is
 * shared (URL and certificate fingerprint), so whoever makes an invite can put the address in it.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { HubdeckError } from '../core/errors';
import { parseWith } from '../core/validation';
import { DEFAULT_INVITE_HOURS, hashInviteCode, hubUrlProblem, inviteCodeId, MAX_INVITE_HOURS, newInviteCode } from '../core/invite-link';
import { requireAdmin, type Actor } from './actor';
import type { HubContext } from './hub-context';
import { withFileLock } from './store-lock';
import type { CreatedToken, TokenService } from './token-service';
import type { UserService } from './user-service';
import type { UserRecord } from './hub-state';
import { identityOf } from './user-identity';

export const inviteInput = z.object({
  user: z.string().min(1, 'is required'),
  /** Hours until the code stops working (default 24, at most 30 days). */
  expiresInHours: z.number().positive().max(MAX_INVITE_HOURS, `must be at most ${MAX_INVITE_HOURS} (30 days)`).optional(),
  note: z.string().max(200).optional(),
}).strict();

export const redeemInput = z.object({ code: z.string().min(1, 'is required').max(200) }).strict();

const recordSchema = z.object({
  id: z.string(), user: z.string(), hash: z.string(), note: z.string(), createdBy: z.string(), createdAt: z.string(), expiresAt: z.string(),
  /** The invited user's identity: a new user given a deleted user's name is somebody else. */
  uid: z.string().optional(),
});
const addressSchema = z.object({ url: z.string(), fingerprint: z.string().regex(/^[0-9A-F]{64}$/).nullable() });
const fileSchema = z.object({ version: z.literal(1), invites: z.array(recordSchema), shared: addressSchema.nullable() });

type InviteRecord = z.infer<typeof recordSchema>;
type InviteFile = z.infer<typeof fileSchema>;
export type InviteView = Omit<InviteRecord, 'hash' | 'uid'>;
/** Where a shared hub is reached: what goes into its invites. */
export type HubAddress = z.infer<typeof addressSchema>;

export interface CreatedInvite extends InviteView {
  /** The one-time code: shown once, never stored. */
  code: string;
  hubId: string;
  /** Where the hub is shared, when it is (null: the inviter names the address). */
  shared: HubAddress | null;
}

export interface RedeemedInvite {
  hubId: string;
  user: string;
  token: CreatedToken;
}

/** Pending invites one hub keeps: plenty for a team, bounded so nobody can fill the disk. */
export const MAX_PENDING_INVITES = 1000;
const EMPTY: InviteFile = { version: 1, invites: [], shared: null };
const view = ({ hash: _hash, uid: _uid, ...rest }: InviteRecord): InviteView => rest;
const wholeSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export class InviteService {
  private readonly file: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly ctx: HubContext, private readonly users: UserService, private readonly tokens: TokenService) {
    this.file = path.join(ctx.store.dir, 'invites.json');
    // A deleted user's invites go with them (redeem also checks the identity, for other processes).
    ctx.bus.subscribe((e) => {
      if (e.type !== 'user.changed' || e.change !== 'deleted') return;
      this.change((f) => { f.invites = f.invites.filter((i) => i.user !== e.user); })
        .catch((err: Error) => ctx.log(`could not drop the invites of ${e.user}: ${err.message}`));
    });
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
    const shared = await this.change((f) => {
      if (f.invites.length >= MAX_PENDING_INVITES) throw new HubdeckError('conflict', `invite: this hub has ${MAX_PENDING_INVITES} pending invites; revoke some first`, 'invite');
      f.invites.push(record);
      return f.shared;
    });
    return { ...view(record), code, hubId, shared };
  }

  async list(actor: Actor): Promise<InviteView[]> {
    requireAdmin(actor, 'list invites');
    return (await this.read()).invites.filter((i) => !this.expired(i)).map(view);
  }

  async revoke(actor: Actor, id: string): Promise<void> {
    requireAdmin(actor, 'revoke invites');
    await this.change((f) => {
      const before = f.invites.length;
      f.invites = f.invites.filter((i) => i.id !== id);
      if (f.invites.length === before) throw new HubdeckError('not_found', `invite ${id} does not exist (or was used or expired)`);
    });
  }

  /**
   * Trades a code for a new token of its user, once. Unknown, used, revoked and expired codes get
   * one and the same answer, so a guess learns nothing.
   */
  async redeem(body: unknown, hubId: string): Promise<RedeemedInvite> {
    const { code } = parseWith(redeemInput, body);
    const refused = new HubdeckError('unauthorized', 'this invite is not valid: it expired, was already used or revoked, or was mistyped; ask for a new one');
    if (!inviteCodeId(code)) throw refused;
    const hash = hashInviteCode(code);
    const record = await this.change((f) => {
      const found = f.invites.find((i) => i.hash === hash);
      if (!found || this.expired(found)) throw refused;
      f.invites = f.invites.filter((i) => i !== found);
      return found;
    });
    const user = this.users.find(record.user);
    if (!user || user.blocked || !this.sameIdentity(record, user)) throw refused;
    const token = await this.tokens.issue(user.name, { note: `joined by invite ${record.id}`, scope: 'user', expiresInDays: null });
    return { hubId, user: user.name, token };
  }

  /** Records (or clears) the address this hub is shared at, for invites made from now on. */
  async setShared(address: HubAddress | null): Promise<void> {
    if (address) {
      const problem = hubUrlProblem(address.url);
      if (problem) throw new HubdeckError('invalid', `url: ${problem}`, 'url');
    }
    await this.change((f) => { f.shared = address; });
  }

  async shared(): Promise<HubAddress | null> {
    return (await this.read()).shared;
  }

  private expired(i: InviteRecord): boolean {
    return Date.parse(i.expiresAt) <= this.ctx.now().getTime();
  }

  private async read(): Promise<InviteFile> {
    let text: string;
    try {
      text = await fsp.readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return structuredClone(EMPTY);
      throw e;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    const r = fileSchema.safeParse(json);
    // Invites are short-lived and re-made in a minute: a damaged file is set aside, never fatal.
    if (!r.success) {
      this.ctx.log(`${this.file} is damaged (${r.error.issues[0]?.message ?? 'not JSON'}); it was set aside and pending invites were dropped`);
      await fsp.rename(this.file, `${this.file}.corrupt`).catch(() => undefined);
      return structuredClone(EMPTY);
    }
    return r.data;
  }

  /** Applies `fn` to the latest file, dropping expired invites, under the lock; written atomically. */
  private change<T>(fn: (f: InviteFile) => T): Promise<T> {
    const run = this.queue.then(() => withFileLock(`${this.file}.lock`, async () => {
      const f = await this.read();
      f.invites = f.invites.filter((i) => !this.expired(i));
      const result = fn(f);
      await writeAtomic(this.file, `${JSON.stringify(f, null, 2)}\n`);
      return result;
    }));
    this.queue = run.catch(() => undefined);
    return run;
  }
}

async function writeAtomic(file: string, text: string): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    const fh = await fsp.open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, file);
  } catch (e) {
    await fsp.rm(tmp, { force: true }); // the old file stays whole, and no debris is left
    throw e;
  }
}

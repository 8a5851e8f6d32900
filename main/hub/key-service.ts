/** SSH public keys per user (for the SSH gateway): listed, added (validated), removed. */
import { randomBytes } from 'node:crypto';
import { HubdeckError } from '../core/errors';
import { parseWith } from '../core/validation';
import type { SshKeyRecord as SshKeyView } from '../api/dto';
import { keyInput } from '../api/requests';
import { requireSelfOrAdmin, type Actor } from './actor';
import type { SshKeyRecord } from './hub-state';
import { stamp, type HubContext } from './hub-context';
import type { UserService } from './user-service';
import { sshKeyToWire } from './to-wire';

/** SSH keys one user may register. */
export const MAX_KEYS_PER_USER = 20;

export class KeyService {
  constructor(private readonly ctx: HubContext, private readonly users: UserService) {}

  list(actor: Actor, user: string): SshKeyView[] {
    requireSelfOrAdmin(actor, user, 'list the SSH keys');
    return this.users.mustFind(user).sshKeys.map(sshKeyToWire);
  }

  async add(actor: Actor, user: string, body: unknown): Promise<SshKeyView> {
    requireSelfOrAdmin(actor, user, 'add SSH keys');
    const { key } = parseWith(keyInput, body);
    const record: SshKeyRecord = { id: randomBytes(6).toString('hex'), type: key.type, key: key.key, comment: key.comment, fingerprint: key.fingerprint, addedAt: stamp(this.ctx) };
    await this.ctx.store.mutate((s) => {
      const owner = s.users.find((u) => u.name === user);
      if (!owner) throw new HubdeckError('not_found', `user ${user} does not exist`);
      if (owner.sshKeys.length >= MAX_KEYS_PER_USER) throw new HubdeckError('conflict', `key: ${user} has ${MAX_KEYS_PER_USER} keys, the most one user may have; remove some first`, 'key');
      // One key, one user: otherwise the gateway could not tell who logs in.
      const holder = s.users.find((u) => u.sshKeys.some((k) => k.fingerprint === key.fingerprint));
      // The same words whoever holds it: a refusal must not reveal other users' keys.
      if (holder) throw new HubdeckError('conflict', `key: this key (${key.fingerprint}) is already registered; use another key`, 'key');
      s.users = s.users.map((u) => (u === owner ? { ...u, sshKeys: [...u.sshKeys, record] } : u));
    });
    return sshKeyToWire(record);
  }

  /**
   * Who a key presented to the SSH gateway belongs to: the user who registered exactly this key
   * (type and blob), not blocked; null for anyone else. SSH keys carry no scope, so an admin's key
   * acts as that admin (which matters only where the hub allows admin access to workspaces).
   */
  actorForKey(type: string, blob: Buffer): Actor | null {
    const b64 = blob.toString('base64');
    for (const u of this.ctx.store.current.users) {
      if (u.blocked) continue;
      if (u.sshKeys.some((k) => k.type === type && k.key === b64)) return { user: u.name, admin: u.admin };
    }
    return null;
  }

  async remove(actor: Actor, user: string, id: string): Promise<void> {
    requireSelfOrAdmin(actor, user, 'remove SSH keys');
    await this.ctx.store.mutate((s) => {
      const owner = s.users.find((u) => u.name === user);
      if (!owner || !owner.sshKeys.some((k) => k.id === id)) throw new HubdeckError('not_found', `key ${id} of ${user} does not exist`);
      s.users = s.users.map((u) => (u === owner ? { ...u, sshKeys: u.sshKeys.filter((k) => k.id !== id) } : u));
    });
    // SSH connections made with the key are re-checked (and ended) on this event.
    this.ctx.bus.emit({ type: 'user.changed', user, change: 'updated', at: stamp(this.ctx) });
  }
}

/** Users and groups: who may log in, who is admin, who may create workspaces, and their quotas. */
import type { z } from 'zod';
import { HubdeckError } from '../core/errors';
import { parseWith } from '../core/validation';
import type { GroupRecord as GroupView, UserView } from '../api/dto';
import { createUserInput, groupInput, updateGroupInput, updateUserInput } from '../api/requests';
import { requireAdmin, requireSelfOrAdmin, type Actor } from './actor';
import type { DirectoryLink, GroupRecord, HubState, Quota, UserRecord } from './hub-state';
import { stamp, type HubContext } from './hub-context';
import { effectiveQuota } from './quota';
import { newUid } from './user-identity';
import { groupToWire, userToWire } from './to-wire';
import { namedRow, withChanged, withNamed, withoutNamed } from './named-rows';

function clean(q: z.output<typeof createUserInput>['quota']): Quota {
  const out: Quota = {};
  for (const [k, v] of Object.entries(q ?? {})) if (v !== undefined) (out as Record<string, number | null>)[k] = v;
  return out;
}

export class UserService {
  constructor(private readonly ctx: HubContext) {}

  private state(): HubState {
    return this.ctx.store.current;
  }

  find(name: string): UserRecord | undefined {
    return this.state().users.find((u) => u.name === name);
  }

  /** Whether an admin deleted this name (and nobody re-created it): directory sign-in keeps it out. */
  wasDeleted(name: string): boolean {
    return this.state().deletedUsers.some((d) => d.name === name);
  }

  mustFind(name: string): UserRecord {
    return namedRow(this.state().users, name, 'user');
  }

  quotaOf(u: UserRecord): Quota {
    const groups = this.state().groups.filter((g) => u.groups.includes(g.name)).map((g) => g.quota);
    return effectiveQuota(u.quota, groups, this.state().settings.defaultQuota);
  }

  private view(u: UserRecord): UserView {
    return userToWire(u, this.quotaOf(u));
  }

  list(actor: Actor): UserView[] {
    requireAdmin(actor, 'list users');
    return this.state().users.map((u) => this.view(u));
  }

  get(actor: Actor, name: string): UserView {
    requireSelfOrAdmin(actor, name, 'see the account');
    return this.view(this.mustFind(name));
  }

  /**
   * `directory`: only directory sign-in passes it (never the API). An admin re-adding a removed
   * directory user gives the account back to that same directory person.
   */
  async create(actor: Actor, body: unknown, directory?: DirectoryLink): Promise<UserView> {
    requireAdmin(actor, 'create users');
    const input = parseWith(createUserInput, body);
    this.checkGroups(input.groups ?? []);
    await this.refuseLeftovers(input.name);
    const link = directory ?? this.state().deletedUsers.find((d) => d.name === input.name)?.directory;
    const user: UserRecord = {
      name: input.name, admin: input.admin ?? false, blocked: input.blocked ?? false, selfService: input.selfService ?? false,
      groups: input.groups ?? [], quota: clean(input.quota), sshKeys: [], createdAt: stamp(this.ctx), uid: newUid(), ...(link ? { directory: link } : {}),
    };
    await this.ctx.store.mutate((s) => {
      s.users = withNamed(s.users, user, 'user');
      s.deletedUsers = s.deletedUsers.filter((d) => d.name !== user.name);
    });
    this.ctx.bus.emit({ type: 'user.changed', user: user.name, change: 'created', at: stamp(this.ctx) });
    return this.view(user);
  }

  async update(actor: Actor, name: string, body: unknown): Promise<UserView> {
    requireAdmin(actor, 'change users');
    const patch = parseWith(updateUserInput, body);
    if (patch.groups) this.checkGroups(patch.groups);
    if (name === actor.user && (patch.admin === false || patch.blocked === true)) {
      throw new HubdeckError('conflict', 'admins cannot remove their own admin rights or block themselves');
    }
    const updated = await this.ctx.store.mutate((s) => {
      const changed = withChanged(s.users, name, 'user', (old) => {
        const u = { ...old };
        if (patch.admin !== undefined) u.admin = patch.admin;
        if (patch.blocked !== undefined) u.blocked = patch.blocked;
        if (patch.selfService !== undefined) u.selfService = patch.selfService;
        if (patch.groups !== undefined) u.groups = patch.groups;
        if (patch.quota !== undefined) u.quota = { ...u.quota, ...clean(patch.quota) };
        return u;
      });
      s.users = changed.list;
      return changed.row;
    });
    this.ctx.bus.emit({ type: 'user.changed', user: name, change: 'updated', at: stamp(this.ctx) });
    return this.view(updated);
  }

  /** Deletes the account and its tokens; its workspaces and data go on the next cleanup sweep. */
  async delete(actor: Actor, name: string): Promise<void> {
    requireAdmin(actor, 'delete users');
    if (name === actor.user) throw new HubdeckError('conflict', 'admins cannot delete themselves');
    await this.ctx.store.mutate((s) => {
      const { list, row: gone } = withoutNamed(s.users, name, 'user');
      s.users = list;
      s.tokens = s.tokens.filter((t) => t.user !== name);
      s.invites = s.invites.filter((i) => i.user !== name); // in the same write: no invite outlives its user
      const directory = gone.directory ? { directory: gone.directory } : {};
      s.deletedUsers = [...s.deletedUsers.filter((d) => d.name !== name), { name, deletedAt: stamp(this.ctx), ...directory }];
    });
    this.ctx.bus.emit({ type: 'user.changed', user: name, change: 'deleted', at: stamp(this.ctx) });
  }

  /** The first admin of a new hub, and local desktop users created on first use. */
  async ensure(name: string, opts: { admin: boolean; selfService: boolean }): Promise<UserRecord> {
    const existing = this.find(name);
    if (existing) return existing;
    // Created on first use or by hand, a new person never inherits a deleted user's workspaces.
    await this.refuseLeftovers(name);
    const user: UserRecord = { name, admin: opts.admin, blocked: false, selfService: opts.selfService, groups: [], quota: {}, sshKeys: [], createdAt: stamp(this.ctx), uid: newUid() };
    await this.ctx.store.mutate((s) => {
      if (s.users.some((u) => u.name === name)) return;
      s.users.push(user);
      s.deletedUsers = s.deletedUsers.filter((d) => d.name !== name);
    });
    this.ctx.bus.emit({ type: 'user.changed', user: name, change: 'created', at: stamp(this.ctx) });
    return this.mustFind(name);
  }

  /**
   * A deleted user's workspaces and data stay until cleanup: a new person given the same name must
   * not inherit them, so the name is free again only once they are gone.
   */
  private async refuseLeftovers(name: string): Promise<void> {
    if (!this.state().deletedUsers.some((d) => d.name === name)) return;
    const left = (await this.ctx.engine.resources()).filter((r) => r.user === name).length;
    if (left > 0) {
      throw new HubdeckError('conflict', `name: ${name} was deleted and ${left} of their resources are still on the engine; run cleanup first`, 'name');
    }
  }

  private checkGroups(groups: string[]): void {
    const missing = groups.find((g) => !this.state().groups.some((x) => x.name === g));
    if (missing) throw new HubdeckError('invalid', `groups: group ${missing} does not exist`, 'groups');
  }

  // ---- groups --------------------------------------------------------------------------------

  listGroups(actor: Actor): GroupView[] {
    requireAdmin(actor, 'list groups');
    return this.state().groups.map(groupToWire);
  }

  async createGroup(actor: Actor, body: unknown): Promise<GroupView> {
    requireAdmin(actor, 'create groups');
    const input = parseWith(groupInput, body);
    const group: GroupRecord = { name: input.name, quota: clean(input.quota), createdAt: stamp(this.ctx) };
    await this.ctx.store.mutate((s) => {
      s.groups = withNamed(s.groups, group, 'group');
    });
    return groupToWire(group);
  }

  async updateGroup(actor: Actor, name: string, body: unknown): Promise<GroupView> {
    requireAdmin(actor, 'change groups');
    const input = parseWith(updateGroupInput, body);
    return this.ctx.store.mutate((s) => {
      const changed = withChanged(s.groups, name, 'group', (old) => ({ ...old, quota: { ...old.quota, ...clean(input.quota) } }));
      s.groups = changed.list;
      return groupToWire(changed.row);
    });
  }

  async deleteGroup(actor: Actor, name: string): Promise<void> {
    requireAdmin(actor, 'delete groups');
    await this.ctx.store.mutate((s) => {
      s.groups = withoutNamed(s.groups, name, 'group').list;
      s.users = s.users.map((u) => (u.groups.includes(name) ? { ...u, groups: u.groups.filter((g) => g !== name) } : u));
      s.images = s.images.map((i) => (i.access.groups.includes(name) ? { ...i, access: { ...i.access, groups: i.access.groups.filter((g) => g !== name) } } : i));
    });
  }
}

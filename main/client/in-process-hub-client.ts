/** A HubClient over a Hub in this process, acting as one actor (the desktop's local admin). */
import type { Actor } from '../hub/actor';
import type { Hub } from '../hub/hub';
import { visibleTo } from '../hub/hub-events';
import type { CreateWorkspaceClientOptions, HubClient, HubInfo, LogRequest, WorkspaceRef } from './hub-client';

export const HUBDECK_VERSION = '0.1.0';

export class InProcessHubClient implements HubClient {
  constructor(private readonly hub: Hub, private readonly actor: Actor, private readonly onClose: () => Promise<void> = async () => undefined) {}

  async info(): Promise<HubInfo> {
    const cap = await this.hub.ctx.engine.capacity();
    return { hubId: this.hub.id, version: HUBDECK_VERSION, engine: { kind: this.hub.ctx.engine.kind, description: cap.description }, user: { name: this.actor.user, admin: this.actor.admin } };
  }
  capacity() { return this.hub.ctx.engine.capacity(); }

  async listImages() { return this.hub.images.list(this.actor, this.hub.users.find(this.actor.user)); }
  createImage(body: unknown) { return this.hub.images.create(this.actor, body); }
  updateImage(name: string, body: unknown) { return this.hub.images.update(this.actor, name, body); }
  deleteImage(name: string) { return this.hub.images.delete(this.actor, name); }

  async listUsers() { return this.hub.users.list(this.actor); }
  async getUser(name: string) { return this.hub.users.get(this.actor, name); }
  createUser(body: unknown) { return this.hub.users.create(this.actor, body); }
  updateUser(name: string, body: unknown) { return this.hub.users.update(this.actor, name, body); }
  deleteUser(name: string) { return this.hub.users.delete(this.actor, name); }

  async listGroups() { return this.hub.users.listGroups(this.actor); }
  createGroup(body: unknown) { return this.hub.users.createGroup(this.actor, body); }
  updateGroup(name: string, body: unknown) { return this.hub.users.updateGroup(this.actor, name, body); }
  deleteGroup(name: string) { return this.hub.users.deleteGroup(this.actor, name); }

  async listTokens(user: string) { return this.hub.tokens.list(this.actor, user); }
  createToken(user: string, body: unknown) { return this.hub.tokens.create(this.actor, user, body); }
  revokeToken(user: string, id: string) { return this.hub.tokens.revoke(this.actor, user, id); }

  async listKeys(user: string) { return this.hub.keys.list(this.actor, user); }
  addKey(user: string, body: unknown) { return this.hub.keys.add(this.actor, user, body); }
  removeKey(user: string, id: string) { return this.hub.keys.remove(this.actor, user, id); }

  listWorkspaces(filter?: { user?: string; all?: boolean }) { return this.hub.workspaces.list(this.actor, filter); }
  getWorkspace(ref: WorkspaceRef) { return this.hub.workspaces.get(this.actor, ref); }
  createWorkspace(body: unknown, opts: CreateWorkspaceClientOptions = {}) { return this.hub.workspaces.create(this.actor, body, opts); }
  startWorkspace(ref: WorkspaceRef) { return this.hub.workspaces.start(this.actor, ref); }
  stopWorkspace(ref: WorkspaceRef) { return this.hub.workspaces.stop(this.actor, ref); }
  restartWorkspace(ref: WorkspaceRef) { return this.hub.workspaces.restart(this.actor, ref); }
  removeWorkspace(ref: WorkspaceRef, opts?: { deleteData?: boolean }) { return this.hub.workspaces.remove(this.actor, ref, opts); }
  extendWorkspace(ref: WorkspaceRef, days: number) { return this.hub.workspaces.extend(this.actor, ref, { days }); }
  workspaceLogs(ref: WorkspaceRef, opts: LogRequest = {}) { return this.hub.workspaces.logs(this.actor, ref, opts); }
  workspaceStats(ref: WorkspaceRef) { return this.hub.workspaces.stats(this.actor, ref); }

  async getSettings() { return this.hub.settings(this.actor); }
  updateSettings(body: unknown) { return this.hub.updateSettings(this.actor, body); }
  cleanup(opts?: { dryRun?: boolean }) { return this.hub.maintenance.cleanup(this.actor, opts); }

  async subscribe(listener: Parameters<HubClient['subscribe']>[0]) {
    return this.hub.bus.subscribe((e) => { if (visibleTo(e, this.actor.user, this.actor.admin)) listener(e); });
  }
  close() { return this.onClose(); }
}

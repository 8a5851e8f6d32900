/**
 * What every UI, the CLI and the tests use to talk to a hub, wherever it runs: in this process
 * (InProcessHubClient) or behind the REST API (RemoteHubClient). Callers cannot tell which.
 * Methods mirror the REST routes listed in main/server/routes.ts.
 */
import type { Capacity, WorkspaceRef, WorkspaceStats, ProgressEvent } from '../engine/engine';
import type { GroupRecord, ImageRecord, Settings, SshKeyRecord } from '../hub/hub-state';
import type { UserView } from '../hub/user-service';
import type { CreatedToken, TokenView } from '../hub/token-service';
import type { WorkspaceView } from '../hub/workspace-service';
import type { CleanupReport } from '../hub/maintenance';
import type { HubEvent } from '../hub/hub-events';

export type { Capacity, GroupRecord, ImageRecord, Settings, SshKeyRecord, UserView, CreatedToken, TokenView, WorkspaceView, CleanupReport, HubEvent, WorkspaceRef, WorkspaceStats };

export interface HubInfo {
  hubId: string;
  version: string;
  engine: { kind: string; description: string };
  /** Who the client acts as. */
  user: { name: string; admin: boolean };
}

export interface CreateWorkspaceClientOptions {
  /** Wait until the web port answers (default true). */
  wait?: boolean;
  timeoutMs?: number;
  onProgress?: (e: ProgressEvent) => void;
}

export interface LogRequest {
  tail?: number;
  follow?: boolean;
  signal?: AbortSignal;
}

export interface HubClient {
  info(): Promise<HubInfo>;
  capacity(): Promise<Capacity>;

  listImages(): Promise<ImageRecord[]>;
  createImage(body: unknown): Promise<ImageRecord>;
  updateImage(name: string, body: unknown): Promise<ImageRecord>;
  deleteImage(name: string): Promise<void>;

  listUsers(): Promise<UserView[]>;
  getUser(name: string): Promise<UserView>;
  createUser(body: unknown): Promise<UserView>;
  updateUser(name: string, body: unknown): Promise<UserView>;
  deleteUser(name: string): Promise<void>;

  listGroups(): Promise<GroupRecord[]>;
  createGroup(body: unknown): Promise<GroupRecord>;
  updateGroup(name: string, body: unknown): Promise<GroupRecord>;
  deleteGroup(name: string): Promise<void>;

  listTokens(user: string): Promise<TokenView[]>;
  createToken(user: string, body: unknown): Promise<CreatedToken>;
  revokeToken(user: string, id: string): Promise<void>;

  listKeys(user: string): Promise<SshKeyRecord[]>;
  addKey(user: string, body: unknown): Promise<SshKeyRecord>;
  removeKey(user: string, id: string): Promise<void>;

  listWorkspaces(filter?: { user?: string; all?: boolean }): Promise<WorkspaceView[]>;
  getWorkspace(ref: WorkspaceRef): Promise<WorkspaceView>;
  createWorkspace(body: unknown, opts?: CreateWorkspaceClientOptions): Promise<WorkspaceView>;
  startWorkspace(ref: WorkspaceRef): Promise<WorkspaceView>;
  stopWorkspace(ref: WorkspaceRef): Promise<WorkspaceView>;
  restartWorkspace(ref: WorkspaceRef): Promise<WorkspaceView>;
  removeWorkspace(ref: WorkspaceRef, opts?: { deleteData?: boolean }): Promise<void>;
  extendWorkspace(ref: WorkspaceRef, days: number): Promise<WorkspaceView>;
  workspaceLogs(ref: WorkspaceRef, opts?: LogRequest): AsyncIterable<string>;
  workspaceStats(ref: WorkspaceRef): Promise<WorkspaceStats>;

  getSettings(): Promise<Settings>;
  updateSettings(body: unknown): Promise<Settings>;
  cleanup(opts?: { dryRun?: boolean }): Promise<CleanupReport>;

  /** Calls `listener` for every event the client may see; resolves once subscribed. */
  subscribe(listener: (e: HubEvent) => void): Promise<() => void>;
  close(): Promise<void>;
}

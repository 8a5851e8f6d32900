/**
 * Input and result of every operation in endpoints.ts. An input object carries the path
 * parameters, the query values and `body`; the transports split it back onto the wire.
 */
import type { z } from 'zod';
import type {
  cleanupInput, createUserInput, extendInput, groupInput, imageInput, inviteInput, keyInput, redeemInput, settingsInput, tokenInput, updateGroupInput, updateImageInput,
  updateUserInput,
} from './requests';
import type { WorkspaceRequest } from '../core/workspace-spec';
import type {
  Capacity, CleanupReport, CreatedInvite, CreatedToken, GroupRecord, HubInfo, InviteView, RedeemedInvite, ImageRecord, ProgressEvent, Settings, SshKeyRecord, TokenView, UserView, WorkspaceRef,
  StatsBatch, UsageSeries, WorkspaceSignIn, WorkspaceStats, WorkspaceView,
} from './dto';
import type { CallOperation, Operation, StreamOperation } from './endpoints';
import type { AuditFilter, AuditPage } from './audit-dto';

type In<S extends z.ZodType> = z.input<S>;
type Op<I, R> = { input: I; result: R };
// An input with no fields ({}): the argument may be left out.
type None = Partial<Record<never, never>>;

/** A create request; `user` defaults to the caller. */
export type CreateWorkspaceBody = Omit<WorkspaceRequest, 'user'> & {
  user?: string;
  /** A connected JupyterHub only: spawner user_options sent as given, over what the form's fields map to. A Hubdeck hub refuses it. */
  userOptions?: Record<string, unknown>;
};

export interface OperationTypes {
  info: Op<None, HubInfo>;
  createLoginCode: Op<None, { code: string; expiresAt: string }>;
  capacity: Op<None, Capacity>;

  listImages: Op<None, ImageRecord[]>;
  createImage: Op<{ body: In<typeof imageInput> }, ImageRecord>;
  updateImage: Op<{ image: string; body: In<typeof updateImageInput> }, ImageRecord>;
  deleteImage: Op<{ image: string }, void>;

  listUsers: Op<None, UserView[]>;
  createUser: Op<{ body: In<typeof createUserInput> }, UserView>;
  getUser: Op<{ user: string }, UserView>;
  updateUser: Op<{ user: string; body: In<typeof updateUserInput> }, UserView>;
  deleteUser: Op<{ user: string }, void>;

  listGroups: Op<None, GroupRecord[]>;
  createGroup: Op<{ body: In<typeof groupInput> }, GroupRecord>;
  updateGroup: Op<{ group: string; body: In<typeof updateGroupInput> }, GroupRecord>;
  deleteGroup: Op<{ group: string }, void>;

  listTokens: Op<{ user: string }, TokenView[]>;
  createToken: Op<{ user: string; body?: In<typeof tokenInput> }, CreatedToken>;
  revokeToken: Op<{ user: string; id: string }, void>;

  listKeys: Op<{ user: string }, SshKeyRecord[]>;
  addKey: Op<{ user: string; body: In<typeof keyInput> }, SshKeyRecord>;
  removeKey: Op<{ user: string; id: string }, void>;

  /** Admins invite an existing user; the code in the answer is shown once. */
  createInvite: Op<{ body: In<typeof inviteInput> }, CreatedInvite>;
  listInvites: Op<None, InviteView[]>;
  revokeInvite: Op<{ id: string }, void>;
  /** No credentials needed: the code is one. Answers with a new token of the invited user. */
  redeemInvite: Op<{ body: In<typeof redeemInput> }, RedeemedInvite>;

  listWorkspaces: Op<{ user?: string; all?: boolean }, WorkspaceView[]>;
  /** wait (default true): answer once the web port answers; timeout in seconds. */
  createWorkspace: Op<{ body: CreateWorkspaceBody; wait?: boolean; timeout?: number; opId?: string }, WorkspaceView>;
  getWorkspace: Op<WorkspaceRef, WorkspaceView>;
  workspaceSignIn: Op<WorkspaceRef, WorkspaceSignIn>;
  removeWorkspace: Op<WorkspaceRef & { deleteData?: boolean }, void>;
  startWorkspace: Op<WorkspaceRef, WorkspaceView>;
  stopWorkspace: Op<WorkspaceRef, WorkspaceView>;
  restartWorkspace: Op<WorkspaceRef, WorkspaceView>;
  extendWorkspace: Op<WorkspaceRef & { body: In<typeof extendInput> }, WorkspaceView>;
  workspaceStats: Op<WorkspaceRef, WorkspaceStats>;
  /** Samples until the caller stops reading (intervalMs between samples, default 2000). */
  watchStats: Op<WorkspaceRef & { intervalMs?: number }, WorkspaceStats>;
  /** One batch per interval (default 2000 ms, at least 1000) of every running workspace of a user, or of all (admins). */
  watchAllStats: Op<{ user?: string; all?: boolean; intervalMs?: number }, StatsBatch>;
  /** The hub's in-memory last day of use of a user's workspaces (default the caller), or of all (admins). */
  usageHistory: Op<{ user?: string; all?: boolean; minutes?: number }, UsageSeries[]>;
  workspaceLogs: Op<WorkspaceRef & { tail?: number; follow?: boolean }, string>;

  getSettings: Op<None, Settings>;
  updateSettings: Op<{ body: In<typeof settingsInput> }, Settings>;
  cleanup: Op<{ body?: In<typeof cleanupInput> }, CleanupReport>;

  listAudit: Op<AuditFilter & { before?: number; limit?: number }, AuditPage>;
  /** Text chunks of CSV (a header line first) or of one JSON array. */
  exportAudit: Op<AuditFilter & { format?: 'csv' | 'json'; limit?: number }, string>;
}

export type InputOf<K extends Operation> = OperationTypes[K]['input'];
export type ResultOf<K extends Operation> = OperationTypes[K]['result'];

export interface CallOptions {
  /** Create progress, as it happens (pull layers, create, start, ready). */
  onProgress?: (e: ProgressEvent) => void;
  signal?: AbortSignal;
}
export interface StreamOptions {
  signal?: AbortSignal;
}

/** The input argument is optional where every field of it is. */
type Args<K extends Operation, O> = object extends InputOf<K> ? [input?: InputOf<K>, opts?: O] : [input: InputOf<K>, opts?: O];

/** Every operation as a method: calls resolve with their result, streams yield their chunks. */
export type HubApi = { [K in CallOperation]: (...args: Args<K, CallOptions>) => Promise<ResultOf<K>> } & {
  [K in StreamOperation]: (...args: Args<K, StreamOptions>) => AsyncIterable<ResultOf<K>>;
};

/**
 * The one definition of the hub API: every operation with its HTTP method, path, query and body,
 * and (in OperationTypes) its input and result types. The REST router, the Node client, the
 * browser client and the IPC bridge are all driven by this table, so a new operation is one entry
 * here, one line in OperationTypes and its hub method (main/hub/hub-operations.ts).
 * Environment-neutral: no Node, no Electron, importable by the renderer.
 */
export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
/** How a query value travels: `flag` is 1/0, `int` a whole number, `string` as is. */
export type QueryType = 'flag' | 'int' | 'string';

export interface EndpointDef {
  method: Method;
  /** Under /api/v1; `:name` segments are path parameters, taken from the input object. */
  path: string;
  query?: Readonly<Record<string, QueryType>>;
  /** Whether the operation takes a JSON body (input.body); others refuse one. */
  body?: boolean;
  /** Success status (default 200; 204 answers carry no body). */
  status?: 200 | 201 | 204;
  /** Streaming answers: text chunks, or one JSON document per line. */
  stream?: 'text' | 'json-lines';
  /** Slow on purpose (pulls, starts): clients must not apply their usual silence timeout. */
  slow?: boolean;
  /** Answered without credentials, for callers who have none yet (redeeming an invite); throttled like a guess. */
  public?: boolean;
}

const WS = '/workspaces/:user/:name';
/** The audit log's filters (main/api/audit-dto.ts AuditFilter), for a listing and an export alike. */
const AUDIT_FILTERS = { user: 'string', workspace: 'string', action: 'string', outcome: 'string', since: 'string', until: 'string' } as const;

export const ENDPOINTS = {
  info: { method: 'GET', path: '/info' },
  /** A one-time code a browser window redeems at /hub/login?code=… for a session (no token in URLs). */
  createLoginCode: { method: 'POST', path: '/login-codes', status: 201 },
  capacity: { method: 'GET', path: '/capacity' },

  listImages: { method: 'GET', path: '/images' },
  createImage: { method: 'POST', path: '/images', body: true, status: 201 },
  updateImage: { method: 'PATCH', path: '/images/:image', body: true },
  deleteImage: { method: 'DELETE', path: '/images/:image', status: 204 },

  listUsers: { method: 'GET', path: '/users' },
  createUser: { method: 'POST', path: '/users', body: true, status: 201 },
  getUser: { method: 'GET', path: '/users/:user' },
  updateUser: { method: 'PATCH', path: '/users/:user', body: true },
  deleteUser: { method: 'DELETE', path: '/users/:user', status: 204 },

  listGroups: { method: 'GET', path: '/groups' },
  createGroup: { method: 'POST', path: '/groups', body: true, status: 201 },
  updateGroup: { method: 'PATCH', path: '/groups/:group', body: true },
  deleteGroup: { method: 'DELETE', path: '/groups/:group', status: 204 },

  listTokens: { method: 'GET', path: '/users/:user/tokens' },
  createToken: { method: 'POST', path: '/users/:user/tokens', body: true, status: 201 },
  revokeToken: { method: 'DELETE', path: '/users/:user/tokens/:id', status: 204 },

  listKeys: { method: 'GET', path: '/users/:user/keys' },
  addKey: { method: 'POST', path: '/users/:user/keys', body: true, status: 201 },
  removeKey: { method: 'DELETE', path: '/users/:user/keys/:id', status: 204 },

  createInvite: { method: 'POST', path: '/invites', body: true, status: 201 },
  listInvites: { method: 'GET', path: '/invites' },
  revokeInvite: { method: 'DELETE', path: '/invites/:id', status: 204 },
  redeemInvite: { method: 'POST', path: '/invites/redeem', body: true, public: true },

  listWorkspaces: { method: 'GET', path: '/workspaces', query: { user: 'string', all: 'flag' } },
  createWorkspace: { method: 'POST', path: '/workspaces', body: true, status: 201, slow: true, query: { wait: 'flag', timeout: 'int', opId: 'string' } },
  getWorkspace: { method: 'GET', path: WS },
  /** A one-time sign-in to the workspace's own web origin (never the hub's session). */
  workspaceSignIn: { method: 'POST', path: `${WS}/sign-in`, status: 201 },
  removeWorkspace: { method: 'DELETE', path: WS, status: 204, slow: true, query: { deleteData: 'flag' } },
  startWorkspace: { method: 'POST', path: `${WS}/start`, slow: true },
  stopWorkspace: { method: 'POST', path: `${WS}/stop`, slow: true },
  restartWorkspace: { method: 'POST', path: `${WS}/restart`, slow: true },
  extendWorkspace: { method: 'POST', path: `${WS}/extend`, body: true },
  workspaceStats: { method: 'GET', path: `${WS}/stats` },
  watchStats: { method: 'GET', path: `${WS}/stats/watch`, stream: 'json-lines', query: { intervalMs: 'int' } },
  watchAllStats: { method: 'GET', path: '/stats/watch', stream: 'json-lines', query: { user: 'string', all: 'flag', intervalMs: 'int' } },
  /** The last `minutes` (default 60, at most 1440) of use, a point per minute per workspace. */
  usageHistory: { method: 'GET', path: '/stats/history', query: { user: 'string', all: 'flag', minutes: 'int' } },
  workspaceLogs: { method: 'GET', path: `${WS}/logs`, stream: 'text', query: { tail: 'int', follow: 'flag' } },

  getSettings: { method: 'GET', path: '/settings' },
  updateSettings: { method: 'PATCH', path: '/settings', body: true },
  cleanup: { method: 'POST', path: '/cleanup', body: true, slow: true },

  /** Admins: a page of the audit log, newest first; `before` is the previous page's `next`. */
  listAudit: { method: 'GET', path: '/audit', query: { ...AUDIT_FILTERS, before: 'int', limit: 'int' } },
  /** Admins: the filtered audit log as CSV or one JSON array, streamed (never the whole table in memory). */
  exportAudit: { method: 'GET', path: '/audit/export', stream: 'text', query: { ...AUDIT_FILTERS, format: 'string', limit: 'int' } },
} as const satisfies Record<string, EndpointDef>;

/** The hub's event stream (Server-Sent Events); not an operation, listed for the route check. */
export const EVENTS_PATH = '/events';
export const HEALTH_PATH = '/health';
export const API_PREFIX = '/api/v1';

export type Operation = keyof typeof ENDPOINTS;
type Def<K extends Operation> = (typeof ENDPOINTS)[K];
export type StreamOperation = { [K in Operation]: Def<K> extends { stream: string } ? K : never }[Operation];
export type CallOperation = Exclude<Operation, StreamOperation>;

/** Operations that change something (every method but GET): each is recorded in the audit log. */
export type ChangeOperation = { [K in Operation]: Def<K>['method'] extends 'GET' ? never : K }[Operation];

export const OPERATIONS = Object.keys(ENDPOINTS) as Operation[];
export const isChangeOperation = (op: Operation): op is ChangeOperation => ENDPOINTS[op].method !== 'GET';
export const isStreamOperation = (op: Operation): op is StreamOperation => 'stream' in ENDPOINTS[op];

/** Names of the `:param` segments of a path, in order. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
}

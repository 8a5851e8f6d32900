/**
 * The REST API under /api/v1: one table of (method, path, handler). Handlers only translate HTTP to
 * hub calls; the hub checks the actor. Paths name users and workspaces directly:
 *
 *   GET    /info                          GET    /capacity
 *   GET    /images                        POST   /images            PATCH|DELETE /images/:name
 *   GET    /users                         POST   /users             GET|PATCH|DELETE /users/:user
 *   GET    /groups                        POST   /groups            PATCH|DELETE /groups/:group
 *   GET    /users/:user/tokens            POST   /users/:user/tokens          DELETE /users/:user/tokens/:id
 *   GET    /users/:user/keys              POST   /users/:user/keys            DELETE /users/:user/keys/:id
 *   GET    /workspaces[?user=|all=1]      POST   /workspaces[?wait=0]
 *   GET|DELETE /workspaces/:user/:name[?deleteData=1]
 *   POST   /workspaces/:user/:name/{start,stop,restart,extend}
 *   GET    /workspaces/:user/:name/logs[?tail=N&follow=1]     GET /workspaces/:user/:name/stats
 *   GET|PATCH /settings                   POST   /cleanup           GET /events (SSE)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Actor } from '../hub/actor';
import type { Hub } from '../hub/hub';
import { InProcessHubClient } from '../client/in-process-hub-client';
import { HttpError } from './http-errors';
import { parseWith } from '../core/validation';
import { cleanupInput } from '../core/hub-requests';

export interface RouteContext {
  actor: Actor;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  req: IncomingMessage;
  res: ServerResponse;
  hub: Hub;
  /** The same operations through the client interface, as this actor. */
  client: InProcessHubClient;
  /** Long-lived responses register here so shutdown can end them. */
  track: (res: ServerResponse) => void;
}

/** A JSON result with its status; `stream` means the handler has answered by itself. */
export type RouteResult = { status: number; body?: unknown } | 'stream';
export type Handler = (c: RouteContext) => Promise<RouteResult>;

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  pattern: string;
  handler: Handler;
  /** Routes that read a body; others refuse one. */
  body?: boolean;
}

const ok = (body: unknown): RouteResult => ({ status: 200, body });
const created = (body: unknown): RouteResult => ({ status: 201, body });
const none: RouteResult = { status: 204 };
const ref = (c: RouteContext) => ({ user: c.params.user!, name: c.params.name! });

function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  if (!/^\d+$/.test(v)) throw new HttpError('invalid', `${name}: "${v}" is not a whole number`);
  return Number(v);
}

const flag = (q: URLSearchParams, name: string) => ['1', 'true', 'yes'].includes(q.get(name) ?? '');

export const ROUTES: Route[] = [
  { method: 'GET', pattern: '/info', handler: async (c) => ok(await c.client.info()) },
  { method: 'GET', pattern: '/capacity', handler: async (c) => ok(await c.client.capacity()) },

  { method: 'GET', pattern: '/images', handler: async (c) => ok(await c.client.listImages()) },
  { method: 'POST', pattern: '/images', body: true, handler: async (c) => created(await c.client.createImage(c.body)) },
  { method: 'PATCH', pattern: '/images/:image', body: true, handler: async (c) => ok(await c.client.updateImage(c.params.image!, c.body)) },
  { method: 'DELETE', pattern: '/images/:image', handler: async (c) => (await c.client.deleteImage(c.params.image!), none) },

  { method: 'GET', pattern: '/users', handler: async (c) => ok(await c.client.listUsers()) },
  { method: 'POST', pattern: '/users', body: true, handler: async (c) => created(await c.client.createUser(c.body)) },
  { method: 'GET', pattern: '/users/:user', handler: async (c) => ok(await c.client.getUser(c.params.user!)) },
  { method: 'PATCH', pattern: '/users/:user', body: true, handler: async (c) => ok(await c.client.updateUser(c.params.user!, c.body)) },
  { method: 'DELETE', pattern: '/users/:user', handler: async (c) => (await c.client.deleteUser(c.params.user!), none) },

  { method: 'GET', pattern: '/groups', handler: async (c) => ok(await c.client.listGroups()) },
  { method: 'POST', pattern: '/groups', body: true, handler: async (c) => created(await c.client.createGroup(c.body)) },
  { method: 'PATCH', pattern: '/groups/:group', body: true, handler: async (c) => ok(await c.client.updateGroup(c.params.group!, c.body)) },
  { method: 'DELETE', pattern: '/groups/:group', handler: async (c) => (await c.client.deleteGroup(c.params.group!), none) },

  { method: 'GET', pattern: '/users/:user/tokens', handler: async (c) => ok(await c.client.listTokens(c.params.user!)) },
  { method: 'POST', pattern: '/users/:user/tokens', body: true, handler: async (c) => created(await c.client.createToken(c.params.user!, c.body ?? {})) },
  { method: 'DELETE', pattern: '/users/:user/tokens/:id', handler: async (c) => (await c.client.revokeToken(c.params.user!, c.params.id!), none) },

  { method: 'GET', pattern: '/users/:user/keys', handler: async (c) => ok(await c.client.listKeys(c.params.user!)) },
  { method: 'POST', pattern: '/users/:user/keys', body: true, handler: async (c) => created(await c.client.addKey(c.params.user!, c.body)) },
  { method: 'DELETE', pattern: '/users/:user/keys/:id', handler: async (c) => (await c.client.removeKey(c.params.user!, c.params.id!), none) },

  {
    method: 'GET', pattern: '/workspaces',
    handler: async (c) => ok(await c.client.listWorkspaces({ user: c.query.get('user') ?? undefined, all: flag(c.query, 'all') })),
  },
  {
    method: 'POST', pattern: '/workspaces', body: true,
    handler: async (c) => created(await c.client.createWorkspace(c.body, { wait: c.query.get('wait') !== '0', timeoutMs: (intParam(c.query, 'timeout') ?? 300) * 1000 })),
  },
  { method: 'GET', pattern: '/workspaces/:user/:name', handler: async (c) => ok(await c.client.getWorkspace(ref(c))) },
  { method: 'DELETE', pattern: '/workspaces/:user/:name', handler: async (c) => (await c.client.removeWorkspace(ref(c), { deleteData: flag(c.query, 'deleteData') }), none) },
  { method: 'POST', pattern: '/workspaces/:user/:name/start', handler: async (c) => ok(await c.client.startWorkspace(ref(c))) },
  { method: 'POST', pattern: '/workspaces/:user/:name/stop', handler: async (c) => ok(await c.client.stopWorkspace(ref(c))) },
  { method: 'POST', pattern: '/workspaces/:user/:name/restart', handler: async (c) => ok(await c.client.restartWorkspace(ref(c))) },
  { method: 'POST', pattern: '/workspaces/:user/:name/extend', body: true, handler: async (c) => ok(await c.hub.workspaces.extend(c.actor, ref(c), c.body)) },
  { method: 'GET', pattern: '/workspaces/:user/:name/stats', handler: async (c) => ok(await c.client.workspaceStats(ref(c))) },
  { method: 'GET', pattern: '/workspaces/:user/:name/logs', handler: streamLogs },

  { method: 'GET', pattern: '/settings', handler: async (c) => ok(await c.client.getSettings()) },
  { method: 'PATCH', pattern: '/settings', body: true, handler: async (c) => ok(await c.client.updateSettings(c.body)) },
  { method: 'POST', pattern: '/cleanup', body: true, handler: async (c) => ok(await c.client.cleanup(parseWith(cleanupInput, c.body ?? {}))) },
];

/** Plain-text log stream; with follow=1 it stays open until the client goes away. */
async function streamLogs(c: RouteContext): Promise<RouteResult> {
  // Checked first (and as JSON errors): who may read, and that the workspace exists.
  await c.client.getWorkspace(ref(c));
  c.track(c.res);
  const tail = intParam(c.query, 'tail');
  const ac = new AbortController();
  c.res.on('close', () => ac.abort());
  // Headers go out at once: a quiet workspace being followed must not look like a hung hub.
  c.res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  c.res.flushHeaders();
  try {
    for await (const chunk of c.client.workspaceLogs(ref(c), { tail, follow: flag(c.query, 'follow'), signal: ac.signal })) c.res.write(chunk);
  } catch {
    // the client left or the engine stream broke: end what we have
  }
  c.res.end();
  return 'stream';
}

/** Compiles ':param' patterns once. */
export function compile(routes: Route[]): { route: Route; re: RegExp; names: string[] }[] {
  return routes.map((route) => {
    const names: string[] = [];
    const re = new RegExp(`^/api/v1${route.pattern.replace(/:(\w+)/g, (_m, n: string) => { names.push(n); return '([^/]+)'; })}/?$`);
    return { route, re, names };
  });
}

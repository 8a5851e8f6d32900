/**
 * The HTTP form of an operation, both ways: a client turns (operation, input) into method, URL
 * path with query and body; the server matches a request to its operation and rebuilds the input.
 * Pure and shared, so clients and server cannot disagree on a path or a query value.
 */
import { HubdeckError } from '../core/errors';
import { API_PREFIX, ENDPOINTS, OPERATIONS, pathParams, type EndpointDef, type Method, type Operation, type QueryType } from './endpoints';

export interface WireRequest {
  method: Method;
  /** Path and query under the hub's base URL, e.g. `/api/v1/workspaces?all=1`. */
  url: string;
  /** JSON body, for operations that take one. */
  body?: unknown;
}

const def = (op: Operation): EndpointDef => ENDPOINTS[op];

function queryText(type: QueryType, v: unknown): string {
  if (type === 'flag') return v ? '1' : '0';
  return String(v);
}

/** What a client sends for `op` with `input` (path parameters are percent-encoded). */
export function requestFor(op: Operation, input: Record<string, unknown> = {}): WireRequest {
  const d = def(op);
  const path = d.path.replace(/:(\w+)/g, (_m, name: string) => {
    const v = input[name];
    if (typeof v !== 'string' || v === '') throw new HubdeckError('invalid', `${name}: is required`, name);
    return encodeURIComponent(v);
  });
  const q = new URLSearchParams();
  for (const [k, type] of Object.entries(d.query ?? {})) if (input[k] !== undefined && input[k] !== null) q.set(k, queryText(type, input[k]));
  const qs = q.toString();
  const req: WireRequest = { method: d.method, url: `${API_PREFIX}${path}${qs ? `?${qs}` : ''}` };
  if (d.body) req.body = input.body ?? {};
  return req;
}

interface CompiledRoute {
  op: Operation;
  re: RegExp;
  names: string[];
}

const ROUTES: CompiledRoute[] = OPERATIONS.map((op) => ({
  op,
  names: pathParams(def(op).path),
  re: new RegExp(`^${API_PREFIX}${def(op).path.replace(/:(\w+)/g, '([^/]+)')}/?$`),
}));

export type RouteMatch = { op: Operation; params: Record<string, string> } | { allowed: Method[] } | null;

/** The operation a method and path name; `allowed` when the path exists for other methods only. */
export function matchRoute(method: string, pathname: string): RouteMatch {
  const allowed: Method[] = [];
  for (const r of ROUTES) {
    const m = r.re.exec(pathname);
    if (!m) continue;
    if (def(r.op).method !== method) {
      allowed.push(def(r.op).method);
      continue;
    }
    const params: Record<string, string> = {};
    r.names.forEach((n, i) => {
      try {
        params[n] = decodeURIComponent(m[i + 1]!);
      } catch {
        throw new HubdeckError('invalid', `${n}: not a valid path segment`, n);
      }
    });
    return { op: r.op, params };
  }
  return allowed.length ? { allowed } : null;
}

const FLAG_TRUE = new Set(['1', 'true', 'yes']);
const FLAG_FALSE = new Set(['0', 'false', 'no', '']);

/** The input object of a matched request; query values are checked against their types. */
export function inputFromRequest(op: Operation, params: Record<string, string>, query: URLSearchParams, body: unknown): Record<string, unknown> {
  const input: Record<string, unknown> = { ...params };
  for (const [k, type] of Object.entries(def(op).query ?? {})) {
    const v = query.get(k);
    if (v === null) continue;
    if (type === 'int') {
      if (!/^\d{1,15}$/.test(v)) throw new HubdeckError('invalid', `${k}: "${v}" is not a whole number`, k);
      input[k] = Number(v);
    } else if (type === 'flag') {
      if (!FLAG_TRUE.has(v) && !FLAG_FALSE.has(v)) throw new HubdeckError('invalid', `${k}: "${v}" is not 1 or 0`, k);
      input[k] = FLAG_TRUE.has(v);
    } else input[k] = v;
  }
  if (def(op).body && body !== undefined) input.body = body;
  return input;
}

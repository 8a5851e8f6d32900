/**
 * Kubernetes API errors as HubdeckErrors that say what was refused and where: a 403 names the
 * verb, resource and identity exactly as the API server does (so an admin knows what the Role
 * lacks), an unreachable API server names its URL.
 */
import { ApiException } from '@kubernetes/client-node';
import { HubdeckError, type ErrorCode } from '../../core/errors';

export function statusOf(e: unknown): number | null {
  if (e instanceof ApiException) return e.code;
  const code = (e as { code?: unknown; statusCode?: unknown } | null)?.statusCode ?? (e as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : null;
}

function apiMessage(e: ApiException<unknown>): string {
  const body = e.body;
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body) as { message?: string };
      if (parsed.message) return parsed.message;
    } catch {
      // not JSON: use the text
    }
    return body.trim() || e.message;
  }
  return (body as { message?: string } | null)?.message ?? e.message;
}

const BY_STATUS: Record<number, ErrorCode> = { 400: 'invalid', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 410: 'conflict', 422: 'invalid', 429: 'unavailable', 503: 'unavailable', 504: 'timeout' };

export function kubeError(e: unknown, where: string): HubdeckError {
  if (e instanceof HubdeckError) return e;
  if (e instanceof ApiException) {
    const msg = apiMessage(e);
    if (e.code === 401) return new HubdeckError('unauthorized', `Kubernetes (${where}) did not accept the credentials: ${msg}`);
    if (e.code === 403) return new HubdeckError('forbidden', `Kubernetes (${where}) refused: ${msg}`);
    return new HubdeckError(BY_STATUS[e.code] ?? 'engine', `Kubernetes (${where}): ${msg}`);
  }
  const err = e as NodeJS.ErrnoException;
  if (err?.code && /^(ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|ECONNRESET|EAI_AGAIN)$/.test(err.code)) {
    return new HubdeckError('unavailable', `Kubernetes (${where}) cannot be reached: ${err.message}`);
  }
  return new HubdeckError('engine', `Kubernetes (${where}): ${err?.message ?? String(e)}`);
}

export type KubeCall = <T>(fn: () => Promise<T>) => Promise<T>;

export function kubeCalls(where: string): { call: KubeCall; ignoring: <T>(codes: number[], fn: () => Promise<T>) => Promise<T | null> } {
  const call: KubeCall = async (fn) => {
    try {
      return await fn();
    } catch (e) {
      throw kubeError(e, where);
    }
  };
  const ignoring = async <T>(codes: number[], fn: () => Promise<T>): Promise<T | null> => {
    try {
      return await fn();
    } catch (e) {
      if (codes.includes(statusOf(e) ?? -1)) return null;
      throw kubeError(e, where);
    }
  };
  return { call, ignoring };
}

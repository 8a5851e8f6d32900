/** Turns dockerode/HTTP/socket failures into HubdeckErrors a person can act on. */
import { HubdeckError } from '../../core/errors';

interface DockerodeError {
  statusCode?: number;
  json?: { message?: string } | null;
  reason?: string;
  message?: string;
  code?: string;
}

export function dockerMessage(e: unknown): string {
  const d = e as DockerodeError;
  return (d.json?.message ?? d.message ?? String(e)).replace(/^\(HTTP code \d+\)\s*[^-]*-\s*/, '').trim();
}

export function statusOf(e: unknown): number | undefined {
  return (e as DockerodeError).statusCode;
}

/** Wraps an engine failure; `where` names the engine so a remote failure is recognisable. */
export function engineError(e: unknown, where: string, sshRefusal?: string | null): HubdeckError {
  if (e instanceof HubdeckError) return e;
  if (sshRefusal) return new HubdeckError('unavailable', `cannot reach the Docker engine at ${where}: ${sshRefusal}`);
  const code = (e as DockerodeError).code;
  if (code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'EACCES' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH') {
    const hint = code === 'EACCES' ? ' (permission denied: is your user in the docker group?)' : ' (is Docker running?)';
    return new HubdeckError('unavailable', `cannot reach the Docker engine at ${where}${hint}`);
  }
  const status = statusOf(e);
  const msg = dockerMessage(e);
  if (status === 404) return new HubdeckError('not_found', msg);
  if (status === 409) return new HubdeckError('conflict', msg);
  if (status === 400) return new HubdeckError('invalid', msg);
  return new HubdeckError('engine', `Docker engine (${where}): ${msg}`);
}

/** Docker calls whose failures read as HubdeckErrors naming the engine (shared by every module). */
export interface DockerCalls {
  call<T>(fn: () => Promise<T>): Promise<T>;
  /** The same, but one status is success: 304 "already so", 404 "already gone". */
  ignoring(status: number, fn: () => Promise<unknown>): Promise<void>;
}

/** `where` names the engine; `sshRefusal` explains an ssh engine that would not let us in. */
export function dockerCalls(where: string, sshRefusal: () => string | null = () => null): DockerCalls {
  return {
    async call(fn) {
      try {
        return await fn();
      } catch (e) {
        throw engineError(e, where, sshRefusal());
      }
    },
    async ignoring(status, fn) {
      try {
        await fn();
      } catch (e) {
        if (statusOf(e) !== status) throw engineError(e, where, sshRefusal());
      }
    },
  };
}

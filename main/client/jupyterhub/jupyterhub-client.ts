/**
 * Talks to an existing JupyterHub (3.x and later) over its REST API, as a connected hub's user.
 * Facts it is built around (measured against JupyterHub 3.0.0): tokens go only in the Authorization
 * header, a bad or expired token is a 403 (never 401), and stopped servers are listed only with
 * `include_stopped_servers`.
 */
import { z } from 'zod';
import { HubdeckError, type ErrorCode } from '../../core/errors';
import { followProgress, type JupyterHubProgress } from './jupyterhub-progress';

const MIN_MAJOR = 3;
const REQUEST_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 120_000;
const STOP_POLL_MS = 500;
const START_TIMEOUT_MS = 300_000;
/** How long after the start request settles a 404/400 from the progress stream may still be "too early". */
const PROGRESS_GRACE_MS = 3_000;
/** How long a finished start waits for the progress stream's last event (the failure reason). */
const FINAL_EVENT_WAIT_MS = 5_000;
const MAX_THROTTLE_WAIT_MS = 10_000;
export const OPEN_TOKEN_SECONDS = 300;

const versionSchema = z.object({ version: z.string() });
const serverSchema = z.object({
  name: z.string(),
  ready: z.boolean(),
  pending: z.string().nullable().optional(),
  stopped: z.boolean().optional(),
  url: z.string(),
  progress_url: z.string().optional(),
  started: z.string().nullable().optional(),
  last_activity: z.string().nullable().optional(),
  user_options: z.record(z.string(), z.unknown()).nullable().optional(),
});
const userSchema = z.object({
  name: z.string(),
  scopes: z.array(z.string()).optional(),
  servers: z.record(z.string(), serverSchema).optional(),
});

export type JupyterHubServer = z.infer<typeof serverSchema>;
export type JupyterHubUser = z.infer<typeof userSchema>;

/** A HubdeckError, so the CLI's exit codes follow the error table; `status` is JupyterHub's answer. */
export class JupyterHubError extends HubdeckError {
  constructor(message: string, readonly status?: number, readonly retryAfterMs?: number) {
    super(codeFor(status), message);
    this.name = 'JupyterHubError';
  }
}

function codeFor(status: number | undefined): ErrorCode {
  if (status === undefined || status === 429) return 'unavailable';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 400 || status === 409) return 'conflict';
  return 'engine';
}

export interface StartOptions {
  /** The spawner's user_options; none = JupyterHub reuses the server's last options. */
  userOptions?: Record<string, unknown>;
  onProgress?: (e: JupyterHubProgress) => void;
  /** When JupyterHub answers 202 (still starting): follow the progress until ready (default) or return. */
  wait?: boolean;
  timeoutMs?: number;
}

export class JupyterHubClient {
  private readonly base: string;

  constructor(url: string, private readonly token: string) {
    this.base = url.replace(/\/+$/, '');
  }

  /** The hub's version; refuses hubs older than JupyterHub 3. Needs no token. */
  async version(): Promise<string> {
    const { version } = versionSchema.parse(await this.request('GET', '/hub/api', { auth: false }));
    const major = Number(version.split('.')[0]);
    if (!(major >= MIN_MAJOR)) throw new JupyterHubError(`${this.base} runs JupyterHub ${version}; Hubdeck needs JupyterHub ${MIN_MAJOR} or later`);
    return version;
  }

  /** The token's owner, with scopes and running servers. */
  async whoami(): Promise<JupyterHubUser> {
    return userSchema.parse(await this.request('GET', '/hub/api/user'));
  }

  /** All the user's servers, stopped ones included (JupyterHub hides them otherwise). */
  async listServers(user: string): Promise<JupyterHubServer[]> {
    const body = userSchema.parse(await this.request('GET', `/hub/api/users/${encodeURIComponent(user)}?include_stopped_servers`));
    return Object.values(body.servers ?? {});
  }

  /**
   * Stops a server ("" = default); `remove` also deletes a named one. JupyterHub answers 204 when done
   * or 202 while the stop goes on, in which case this polls `pending` until it clears. Resolves to
   * how JupyterHub first answered.
   */
  async stopServer(user: string, name: string, opts: { remove?: boolean; timeoutMs?: number } = {}): Promise<'stopped' | 'stopped-after-wait'> {
    const deadline = Date.now() + (opts.timeoutMs ?? STOP_TIMEOUT_MS);
    const status = await this.deleteServer(user, name, opts.remove === true, deadline);
    if (status === 204) return 'stopped';
    while (Date.now() < deadline) {
      const server = (await this.listServers(user)).find((s) => s.name === name);
      if (!server || server.pending !== 'stop') return 'stopped-after-wait';
      await new Promise((r) => setTimeout(r, STOP_POLL_MS));
    }
    throw new JupyterHubError(`server "${displayName(name)}" of ${user} is still stopping on ${this.base}`);
  }

  /** DELETE …/server(s); a server still starting answers 400 "pending spawn": retried until it is not. */
  private async deleteServer(user: string, name: string, remove: boolean, deadline: number): Promise<number> {
    for (;;) {
      try {
        return await this.requestStatus('DELETE', this.serverApi(user, name), remove ? { remove: true } : undefined);
      } catch (e) {
        if (!(e instanceof JupyterHubError) || e.status !== 400 || !/pending spawn/.test(e.message) || Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, STOP_POLL_MS * 2));
      }
    }
  }

  /**
   * Starts a server ("" = default) and reports the spawn's progress while the POST is in flight.
   * Resolves 'ready' (201, or 202 then the stream's ready event) or 'starting' (202 without wait).
   * A failed spawn (500) is rethrown with the reason from the progress stream, in JupyterHub's words.
   */
  async startServer(user: string, name: string, o: StartOptions = {}): Promise<'ready' | 'starting'> {
    const path = this.serverApi(user, name);
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), o.timeoutMs ?? START_TIMEOUT_MS);
    let settledAt = 0;
    const progress = followProgress({
      url: `${this.base}${path}/progress`, token: this.token, onEvent: o.onProgress, signal: ac.signal,
      mayRetry: () => settledAt === 0 || Date.now() - settledAt < PROGRESS_GRACE_MS,
    });
    try {
      const deadline = Date.now() + (o.timeoutMs ?? START_TIMEOUT_MS);
      const status = await this.postStart(path, o.userOptions, deadline, o.onProgress).finally(() => (settledAt = Date.now()));
      if (status === 201) {
        await within(progress, FINAL_EVENT_WAIT_MS); // the ready event, for the progress display
        return 'ready';
      }
      if (o.wait === false) return 'starting';
      const final = await progress;
      if (final?.failed) throw new JupyterHubError(`server "${displayName(name)}" of ${user} failed to start: ${final.message ?? 'no reason given'}`, 500);
      if (final?.ready) return 'ready';
      throw new JupyterHubError(`server "${displayName(name)}" of ${user} is still starting on ${this.base}; try workspace list later`);
    } catch (e) {
      if (!(e instanceof JupyterHubError) || e.status !== 500 || /failed to start/.test(e.message)) throw e;
      const final = await within(progress, FINAL_EVENT_WAIT_MS);
      const reason = final?.failed && final.message ? final.message : e.message;
      throw new JupyterHubError(`server "${displayName(name)}" of ${user} failed to start: ${reason}`, 500);
    } finally {
      clearTimeout(timer);
      ac.abort();
    }
  }

  /**
   * POST …/server(s). 429 (too many spawns pending on the hub) is retried until the deadline, after the
   * hub's Retry-After or, when it gives none (its API often does not), a doubling wait up to 10 s.
   */
  private async postStart(path: string, userOptions: Record<string, unknown> | undefined, deadline: number, onProgress?: (e: JupyterHubProgress) => void): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.requestStatus('POST', path, userOptions);
      } catch (e) {
        if (!(e instanceof JupyterHubError) || e.status !== 429) throw e;
        const wait = e.retryAfterMs ?? Math.min(1_000 * 2 ** attempt, MAX_THROTTLE_WAIT_MS);
        if (Date.now() + wait > deadline) throw e;
        onProgress?.({ progress: 0, message: `JupyterHub is busy (429): retrying in ${Math.round(wait / 1_000)} s as it asks` });
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  /**
   * A URL that opens the server in a browser: `{server url}?token=T` with a fresh token that can
   * only reach this user's servers and expires soon. JupyterHub 3 trades it for a server cookie.
   */
  async openUrl(user: string, server: JupyterHubServer, expiresIn = OPEN_TOKEN_SECONDS): Promise<string> {
    const body = await this.request('POST', `/hub/api/users/${encodeURIComponent(user)}/tokens`, {
      body: { scopes: [`access:servers!user=${user}`], expires_in: expiresIn, note: 'hubdeck workspace open' },
    });
    const { token } = z.object({ token: z.string() }).parse(body);
    const url = new URL(server.url, `${this.base}/`);
    url.searchParams.set('token', token);
    return url.toString();
  }

  private serverApi(user: string, name: string): string {
    return `/hub/api/users/${encodeURIComponent(user)}/${serverPath(name)}`;
  }

  private async requestStatus(method: string, path: string, body?: unknown): Promise<number> {
    const res = await this.send(method, path, { body });
    await res.body?.cancel();
    return res.status;
  }

  private async request(method: string, path: string, opts: { auth?: boolean; body?: unknown } = {}): Promise<unknown> {
    const res = await this.send(method, path, opts);
    const text = await res.text();
    return text ? JSON.parse(text) : undefined;
  }

  /** Sends a request; any non-2xx answer becomes a JupyterHubError carrying the hub's message. */
  private async send(method: string, path: string, opts: { auth?: boolean; body?: unknown }): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (opts.auth !== false) headers.Authorization = `token ${this.token}`;
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
      res = await fetch(this.base + path, { method, headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch (err) {
      throw new JupyterHubError(`cannot reach the JupyterHub at ${this.base}: ${(err as Error).message}`);
    }
    if (!res.ok) throw new JupyterHubError(describeFailure(res.status, await res.text(), this.base), res.status, retryAfterMs(res));
    return res;
  }
}

/** Retry-After in seconds (JupyterHub's 429), as milliseconds, capped at a minute. */
function retryAfterMs(res: Response): number | undefined {
  const seconds = Number(res.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 60) * 1_000 : undefined;
}

function within<T>(p: Promise<T>, ms: number): Promise<T | null> {
  return Promise.race([p, new Promise<null>((r) => setTimeout(() => r(null), ms).unref())]);
}

/** The default server is "" in JupyterHub's API and "default" to users. */
export function displayName(name: string): string {
  return name === '' ? 'default' : name;
}

function serverPath(name: string): string {
  return name === '' ? 'server' : `servers/${encodeURIComponent(name)}`;
}

/** JupyterHub says 403 for a missing, wrong or expired token as well as for a missing scope. */
export function describeFailure(status: number, body: string, base: string): string {
  let message = '';
  try {
    message = String((JSON.parse(body) as { message?: unknown }).message ?? '');
  } catch {
    message = body.slice(0, 200);
  }
  if (status === 403) return `the JupyterHub at ${base} refused the token (403): it is wrong, expired or revoked, or lacks the needed scope${message ? ` — ${message}` : ''}`;
  return `the JupyterHub at ${base} answered ${status}${message ? `: ${message}` : ''}`;
}

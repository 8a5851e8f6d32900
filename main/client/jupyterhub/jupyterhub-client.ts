/**
 * Talks to an existing JupyterHub (3.x and later) over its REST API, as a connected hub's user.
 * Facts it is built around (measured against JupyterHub 3.0.0): tokens go only in the Authorization
 * header, a bad or expired token is a 403 (never 401), and stopped servers are listed only with
 * `include_stopped_servers`.
 */
import { z } from 'zod';

const MIN_MAJOR = 3;
const REQUEST_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 120_000;
const STOP_POLL_MS = 500;

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

export class JupyterHubError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'JupyterHubError';
  }
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
    const path = `/hub/api/users/${encodeURIComponent(user)}/${serverPath(name)}`;
    const status = await this.requestStatus('DELETE', path, opts.remove ? { remove: true } : undefined);
    if (status === 204) return 'stopped';
    const deadline = Date.now() + (opts.timeoutMs ?? STOP_TIMEOUT_MS);
    while (Date.now() < deadline) {
      const server = (await this.listServers(user)).find((s) => s.name === name);
      if (!server || server.pending !== 'stop') return 'stopped-after-wait';
      await new Promise((r) => setTimeout(r, STOP_POLL_MS));
    }
    throw new JupyterHubError(`server "${displayName(name)}" of ${user} is still stopping on ${this.base}`);
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
    if (!res.ok) throw new JupyterHubError(describeFailure(res.status, await res.text(), this.base), res.status);
    return res;
  }
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

/**
 * A JupyterHub user's servers as Hubdeck workspaces: the default server is "default", named servers
 * keep their names; the state comes from ready / pending / stopped. What JupyterHub does not know
 * (image unless an option named it, limits, expiry, volumes, node) is null.
 */
import { ValidationError, HubdeckError } from '../../core/errors';
import type { WorkspaceView } from '../../api/dto';
import { workspaceJson, type WorkspaceJson } from '../workspace-json';
import { displayName, JupyterHubClient, type JupyterHubServer } from './jupyterhub-client';
import type { JupyterHubProgress } from './jupyterhub-progress';

/** The `--json` shape of `workspace list` on a JupyterHub: a Hubdeck workspace's, plus what only JupyterHub says. */
export interface JupyterHubWorkspaceJson extends Omit<WorkspaceJson, 'image' | 'createdAt'> {
  image: string | null;
  createdAt: string | null;
  url: string;
  lastActivity: string | null;
  userOptions: Record<string, unknown>;
}

/** "default" (what users type) is JupyterHub's "" (the default server). */
export function serverName(workspace: string): string {
  return workspace === 'default' ? '' : workspace;
}

export function serverState(s: JupyterHubServer): WorkspaceView['state'] {
  if (s.ready) return 'running';
  if (s.pending === 'spawn') return 'starting';
  if (s.pending === 'stop') return 'stopping';
  return 'stopped';
}

export function serverWorkspace(hubUrl: string, user: string, s: JupyterHubServer): WorkspaceView {
  const image = s.user_options?.image;
  const url = new URL(s.url, `${hubUrl.replace(/\/+$/, '')}/`).toString();
  return {
    id: `${user}/${displayName(s.name)}`,
    origin: 'jupyterhub',
    user,
    name: displayName(s.name),
    state: serverState(s),
    status: s.ready ? 'ready' : s.pending ? `pending ${s.pending}` : 'stopped',
    spec: null,
    specIssue: null,
    limits: null,
    image: typeof image === 'string' ? image : '',
    createdAt: '',
    startedAt: s.started ?? null,
    expiresAt: null,
    baseUrl: url,
    network: null,
    volume: null,
    node: null,
    orphaned: false,
    url,
  };
}

export function serverJson(hubUrl: string, user: string, s: JupyterHubServer): JupyterHubWorkspaceJson {
  const w = serverWorkspace(hubUrl, user, s);
  return { ...workspaceJson(w), image: w.image || null, createdAt: null, url: w.baseUrl, lastActivity: s.last_activity ?? null, userOptions: s.user_options ?? {} };
}

/**
 * What a token's scopes (as GET /hub/api/user expands them) leave out of what the connector uses:
 * starting and stopping servers (`servers`), and minting the short token `open` needs (`tokens`).
 */
export function missingScopes(user: string, scopes: string[]): string[] {
  const has = (name: string) => scopes.some((s) => s === name || s === `${name}!user` || s === `${name}!user=${user}`);
  return ['servers', 'tokens'].filter((name) => !has(name));
}

/** A JupyterHub and a token, checked before they are saved: its version (3 or later), the token's owner, and what the token lacks. */
export async function probeJupyterHub(url: string, token: string): Promise<{ version: string; user: string; missingScopes: string[] }> {
  const client = new JupyterHubClient(url, token);
  const version = await client.version();
  const me = await client.whoami();
  return { version, user: me.name, missingScopes: missingScopes(me.name, me.scopes ?? []) };
}

export function loginUrl(hubUrl: string, serverUrl: string): string {
  const base = `${hubUrl.replace(/\/+$/, '')}/`;
  const login = new URL('hub/login', base);
  login.searchParams.set('next', new URL(serverUrl, base).pathname);
  return login.toString();
}

/** The workspace operations a JupyterHub allows, in workspace terms. */
export class JupyterHubWorkspaces {
  constructor(readonly client: JupyterHubClient, readonly hubUrl: string) {}

  async servers(user: string): Promise<JupyterHubServer[]> {
    return (await this.client.listServers(user)).sort((a, b) => a.name.localeCompare(b.name));
  }

  async server(user: string, workspace: string): Promise<JupyterHubServer> {
    const found = (await this.client.listServers(user)).find((s) => s.name === serverName(workspace));
    // Every user has a default server, listed or not (JupyterHub lists it once it has been used).
    if (!found && workspace === 'default') return { name: '', ready: false, pending: null, stopped: true, url: `/user/${encodeURIComponent(user)}/` };
    if (!found) throw new HubdeckError('not_found', `${user} has no server "${workspace}" on the JupyterHub at ${this.hubUrl}`);
    return found;
  }

  async get(user: string, workspace: string): Promise<WorkspaceView> {
    return serverWorkspace(this.hubUrl, user, await this.server(user, workspace));
  }

  /** A new named server (or the default one, if stopped) started with these user_options. */
  async create(user: string, workspace: string, userOptions: Record<string, unknown>, o: { wait: boolean; timeoutMs: number; onProgress?: (e: JupyterHubProgress) => void }): Promise<WorkspaceView> {
    const name = serverName(workspace);
    const existing = (await this.client.listServers(user)).find((s) => s.name === name);
    if (existing && (name !== '' || !existing.stopped)) {
      throw new HubdeckError('conflict', `${user} already has a server "${workspace}" on the JupyterHub at ${this.hubUrl}: start it with workspace start ${workspace}`);
    }
    await this.client.startServer(user, name, { userOptions, onProgress: o.onProgress, wait: o.wait, timeoutMs: o.timeoutMs });
    return this.get(user, workspace);
  }

  /** Starts a stopped server with its last options (JupyterHub reuses them when the body is empty). */
  async start(user: string, workspace: string, onProgress?: (e: JupyterHubProgress) => void): Promise<WorkspaceView> {
    await this.server(user, workspace);
    await this.client.startServer(user, serverName(workspace), { onProgress });
    return this.get(user, workspace);
  }

  async stop(user: string, workspace: string): Promise<WorkspaceView> {
    await this.server(user, workspace);
    await this.client.stopServer(user, serverName(workspace));
    return this.get(user, workspace);
  }

  async remove(user: string, workspace: string, deleteData: boolean): Promise<void> {
    if (deleteData) throw new ValidationError('delete-data', 'not available on a JupyterHub: its spawner decides what happens to a removed server\'s data');
    await this.server(user, workspace);
    await this.client.stopServer(user, serverName(workspace), { remove: true });
  }

  /** A browser URL with a short-lived token that reaches only this user's servers. */
  async openUrl(user: string, workspace: string): Promise<string> {
    return (await this.openTarget(user, workspace)).url;
  }

  /** That URL, and the server's path on the hub (what a window opening it is kept to). */
  async openTarget(user: string, workspace: string): Promise<{ url: string; basePath: string }> {
    const s = await this.server(user, workspace);
    if (!s.ready) throw new HubdeckError('conflict', `server "${workspace}" of ${user} is ${serverState(s)}: start it first (workspace start ${workspace})`);
    const basePath = new URL(s.url, `${this.hubUrl.replace(/\/+$/, '')}/`).pathname;
    // JupyterHub 5 refuses ?token= on pages: there the browser signs in on the hub's own login page.
    if (Number((await this.client.version()).split('.')[0]) >= 5) return { url: loginUrl(this.hubUrl, s.url), basePath };
    return { url: await this.client.openUrl(user, s), basePath };
  }
}

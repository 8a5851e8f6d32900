/**
 * A real JupyterHub 3 (Debian's `jupyterhub` package) on loopback ports for the JupyterHub connector
 * tests: DummyAuthenticator, named servers, and a local-process spawner steered by test user_options
 * (see jupyterhub-config.py). The proxy is the configurable-http-proxy devDependency, since Debian's
 * proxy package fails with this node.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freeLoopbackPort, kill, launchUntilReady } from './child-process';

const START_TIMEOUT_MS = 60_000;
const CONFIG = resolve(__dirname, 'jupyterhub-config.py');
const PROXY = resolve(__dirname, '../../node_modules/.bin/configurable-http-proxy');

export interface TestJupyterHub {
  /** The public URL, e.g. http://127.0.0.1:PORT (no trailing slash). */
  url: string;
  /** A service token with admin:users, admin:servers and tokens scopes. */
  adminToken: string;
  /** Creates the user if needed and returns a fresh API token for them. */
  userToken(user: string): Promise<string>;
  stop(): Promise<void>;
}

export interface JupyterHubFixtureOptions {
  /** JupyterHub's concurrent_spawn_limit (default 100): more pending spawns are refused with 429. */
  concurrentSpawnLimit?: number;
}

export async function startJupyterHub(opts: JupyterHubFixtureOptions = {}): Promise<TestJupyterHub> {
  const dir = await mkdtemp(join(tmpdir(), 'hubdeck-jupyterhub-'));
  try {
    return await startIn(dir, opts);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

async function startIn(dir: string, opts: JupyterHubFixtureOptions): Promise<TestJupyterHub> {
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const adminToken = randomBytes(24).toString('hex');
  const env = {
    HUBDECK_JH_DIR: dir,
    HUBDECK_JH_PORT: String(port),
    HUBDECK_JH_HUB_PORT: String(await freeLoopbackPort()),
    HUBDECK_JH_PROXY_API_PORT: String(await freeLoopbackPort()),
    HUBDECK_JH_PROXY_COMMAND: PROXY,
    HUBDECK_JH_ADMIN_TOKEN: adminToken,
    HUBDECK_JH_SPAWN_LIMIT: String(opts.concurrentSpawnLimit ?? 100),
  };
  // `env -C` sets the working directory too: JupyterHub and the proxy drop pid files there.
  const args = ['-C', dir, ...Object.entries(env).map(([k, v]) => `${k}=${v}`), 'jupyterhub', '-f', CONFIG];
  const child = await launchUntilReady('jupyterhub', 'env', args, () => hubAnswers(url), START_TIMEOUT_MS, `answer ${url}/hub/api`);
  const reap = (): void => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true }); // 'exit' handlers cannot await
  };
  process.once('exit', reap);
  return {
    url,
    adminToken,
    userToken: (user) => mintUserToken(url, adminToken, user),
    stop: async () => {
      process.off('exit', reap);
      await kill(child); // SIGTERM: JupyterHub stops its singleuser servers and the proxy it started
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function hubAnswers(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/hub/api`, { signal: AbortSignal.timeout(1_000) });
    await res.body?.cancel();
    return res.status === 200;
  } catch {
    return false; // not listening yet
  }
}

async function mintUserToken(url: string, adminToken: string, user: string): Promise<string> {
  const headers = { Authorization: `token ${adminToken}`, 'Content-Type': 'application/json' };
  const created = await fetch(`${url}/hub/api/users/${encodeURIComponent(user)}`, { method: 'POST', headers });
  if (created.status !== 201 && created.status !== 409) throw new Error(`creating ${user}: ${created.status} ${await created.text()}`);
  const res = await fetch(`${url}/hub/api/users/${encodeURIComponent(user)}/tokens`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ note: 'hubdeck test', expires_in: 3600 }),
  });
  if (res.status !== 201) throw new Error(`token for ${user}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

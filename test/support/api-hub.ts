/**
 * A real hub server in this process (temp data dir) on the in-memory FakeEngine by default, or on
 * the real Docker engine for the smoke set, and a tiny HTTP helper, for API tests that speak raw
 * HTTP rather than through a client library.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '../../main/engine/create-engine';
import type { WorkspaceEngine } from '../../main/engine/engine';
import { Hub } from '../../main/hub/hub';
import { createHubServer, type HubServer, type HubServerOptions } from '../../main/server/hub-server';
import { sweep, testOrigin } from './docker-fixture';

export interface ApiHub {
  url: string;
  hub: Hub;
  engine: WorkspaceEngine;
  server: HubServer;
  adminToken: string;
  origin: string;
  dataDir: string;
  stop(): Promise<void>;
}

export interface ApiHubOptions {
  engine?: 'fake' | 'docker';
  server?: Partial<HubServerOptions>;
  /** Where to listen (default 127.0.0.1; '::' takes both IPv4 and IPv6 loopback clients). */
  host?: string;
}

export async function startApiHub(prefix = 'api', o: ApiHubOptions = {}): Promise<ApiHub> {
  const origin = testOrigin(prefix);
  const kind = o.engine ?? 'fake';
  const engine = await createEngine({ kind, origin });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-data-`));
  const { hub, adminToken } = await Hub.open({ engine, dataDir });
  const server = createHubServer({ hub, heartbeatSeconds: 1, ...o.server });
  const addr = await server.listen(o.host ?? '127.0.0.1', 0);
  return {
    url: `${o.server?.tls ? 'https' : 'http'}://127.0.0.1:${addr.port}`, hub, engine, server, adminToken: adminToken!.token, origin, dataDir,
    stop: async () => {
      await server.close();
      await hub.close();
      if (kind === 'docker') await sweep(origin);
      await engine.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Self-service users made by the admin, each with a token: `{ alice: 'hdk_…', … }`; custom images allowed. */
export async function usersWithTokens(h: ApiHub, names: string[]): Promise<Record<string, string>> {
  await api(h.url, 'PATCH', '/settings', h.adminToken, { allowCustomImages: true });
  const tokens: Record<string, string> = {};
  for (const u of names) {
    await api(h.url, 'POST', '/users', h.adminToken, { name: u, selfService: true });
    tokens[u] = ((await api(h.url, 'POST', `/users/${u}/tokens`, h.adminToken, {})).body as { token: string }).token;
  }
  return tokens;
}

export interface ApiResponse {
  status: number;
  body: unknown;
  text: string;
  headers: Headers;
}

export async function api(base: string, method: string, path: string, token: string | null, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
  const h: Record<string, string> = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  let payload: string | undefined;
  if (body !== undefined) {
    payload = typeof body === 'string' ? body : JSON.stringify(body);
    h['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${base}/api/v1${path}`, { method, headers: h, body: payload });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}

/** Polls `check` until it returns true (or throws its last error after `ms`): conditions, not sleeps. */
export async function until(check: () => boolean | Promise<boolean>, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

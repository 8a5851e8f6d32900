/**
 * A real hub server in this process (real Docker engine, temp data dir) and a tiny HTTP helper, for
 * API tests that speak raw HTTP rather than through a client library.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DockerEngine } from '../../main/engine/docker/docker-engine';
import { Hub } from '../../main/hub/hub';
import { createHubServer, type HubServer } from '../../main/server/hub-server';
import { sweep, testOrigin } from './docker-fixture';

export interface ApiHub {
  url: string;
  hub: Hub;
  server: HubServer;
  adminToken: string;
  origin: string;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startApiHub(prefix = 'api'): Promise<ApiHub> {
  const origin = testOrigin(prefix);
  const engine = new DockerEngine({ origin });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-data-`));
  const { hub, adminToken } = await Hub.open({ engine, dataDir });
  const server = createHubServer({ hub, heartbeatSeconds: 1 });
  const addr = await server.listen('127.0.0.1', 0);
  return {
    url: `http://127.0.0.1:${addr.port}`, hub, server, adminToken: adminToken!.token, origin, dataDir,
    stop: async () => {
      await server.close();
      await hub.close();
      await sweep(origin);
      await engine.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
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

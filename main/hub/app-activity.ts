/**
 * Asks a workspace's web app how active it is. Jupyter servers answer /api/status (last_activity)
 * and /api/kernels (execution_state); images without such an API give null, and then only proxy
 * and SSH activity count.
 */
import http from 'node:http';
import type { WorkspaceEngine, WorkspaceRef } from '../engine/engine';

export interface AppActivity {
  lastActivity: string | null;
  busyKernels: number;
}

export type AppActivityProbe = (ref: WorkspaceRef, baseUrl: string, port: number) => Promise<AppActivity | null>;

function getJson(engine: WorkspaceEngine, ref: WorkspaceRef, port: number, path: string, token: string | null): Promise<unknown> {
  return engine.connect(ref, port).then(
    (stream) =>
      new Promise((resolve) => {
        const headers: Record<string, string> = { host: 'localhost' };
        if (token) headers.authorization = `token ${token}`;
        const timer = setTimeout(() => { stream.destroy(); resolve(null); }, 5000);
        const req = http.request({ path, headers, createConnection: () => stream as never }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => {
            clearTimeout(timer);
            try {
              resolve(res.statusCode === 200 ? JSON.parse(body) : null);
            } catch {
              resolve(null);
            }
          });
        });
        req.on('error', () => { clearTimeout(timer); resolve(null); });
        req.end();
      }),
  );
}

export function jupyterActivityProbe(engine: WorkspaceEngine): AppActivityProbe {
  return async (ref, baseUrl, port) => {
    const token = await engine.webToken(ref).catch(() => null);
    const status = (await getJson(engine, ref, port, `${baseUrl}api/status`, token).catch(() => null)) as { last_activity?: string } | null;
    if (!status) return null;
    const kernels = (await getJson(engine, ref, port, `${baseUrl}api/kernels`, token).catch(() => null)) as { execution_state?: string }[] | null;
    return {
      lastActivity: status.last_activity ?? null,
      busyKernels: Array.isArray(kernels) ? kernels.filter((k) => k.execution_state === 'busy').length : 0,
    };
  };
}

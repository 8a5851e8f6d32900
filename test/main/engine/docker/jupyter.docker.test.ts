import { waitReady } from '../../../../main/engine/wait-ready';
import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { DockerEngine } from '../../../../main/engine/docker/docker-engine';
import { parseWorkspaceRequest } from '../../../../main/core/workspace-spec';
import { sweep, testOrigin } from '../../../support/docker-fixture';
import { TEST_IMAGES } from '../../../support/test-images';

// The Jupyter test image (Debian's notebook server) under the hub's base URL and token.
const origin = testOrigin('jup');
const engine = new DockerEngine({ origin });
afterAll(async () => {
  await sweep(origin);
  await engine.close();
});

function get(stream: NodeJS.ReadWriteStream, path: string, token: string | null): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: 'localhost' };
    if (token) headers.authorization = `token ${token}`;
    const req = http.request({ path, headers, createConnection: () => stream as never }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Jupyter workspace', () => {
  it('becomes ready under its base URL and answers /api/kernels with its token only', async () => {
    const w = await engine.create(parseWorkspaceRequest({ name: 'nb', user: 'alice', image: TEST_IMAGES.jupyter, memory: '1g' }, { now: new Date() }));
    await waitReady(engine, w, { timeoutMs: 120_000 });
    const token = await engine.webToken(w);
    expect(token).toMatch(/^[0-9a-f]{48}$/);

    const kernels = await get(await engine.connect(w, 8888), `${w.baseUrl}api/kernels`, token);
    expect(kernels.status).toBe(200);
    expect(JSON.parse(kernels.body)).toEqual([]);
    const status = await get(await engine.connect(w, 8888), `${w.baseUrl}api/status`, token);
    expect(JSON.parse(status.body)).toMatchObject({ kernels: 0 });

    // Without the token the API refuses; outside the base URL nothing is served.
    expect((await get(await engine.connect(w, 8888), `${w.baseUrl}api/kernels`, null)).status).toBe(403);
    expect((await get(await engine.connect(w, 8888), '/api/kernels', token)).status).toBe(404);
  });
});

/**
 * The proxy in front of a real Jupyter server (the offline test image) on the real Docker engine:
 * the REST API answers under the hub's path with the token the proxy presents, a kernel starts,
 * and its WebSocket channel carries a real execute request (`print(6*7)`) and its output, 42. A real
 * Jupyter client (jupyter_client's Session over tornado's WebSocket) does the same with `?token=`.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startApiHub, type ApiHub } from '../../support/api-hub';
import { addressOf, wsFetch, wsSocket } from '../../support/workspace-fetch';
import { TEST_IMAGES } from '../../support/test-images';

let h: ApiHub;
/** The workspace's own origin (`nb--admin.localhost` on the hub's port). */
const own = () => new URL(addressOf(h.hub.web, 'admin', 'nb')).origin;

beforeAll(async () => {
  h = await startApiHub('pjup', { engine: 'docker' });
  await api(h.url, 'POST', '/images', h.adminToken, { name: 'jupyter', ref: TEST_IMAGES.jupyter });
  const r = await api(h.url, 'POST', '/workspaces?wait=1&timeout=180', h.adminToken, { name: 'nb', image: TEST_IMAGES.jupyter, memory: '1g' });
  expect(r.status).toBe(201);
}, 240_000);
afterAll(() => h.stop());

const auth = () => ({ authorization: `Bearer ${h.adminToken}` });

describe('proxy to Jupyter', () => {
  it('serves the Jupyter API with the token it presents, and carries a kernel\'s WebSocket', async () => {
    const kernels = await wsFetch(`${own()}/user/admin/nb/api/kernels`, { headers: auth() });
    expect(kernels.status).toBe(200);
    expect(await kernels.json()).toEqual([]);
    const started = await wsFetch(`${own()}/user/admin/nb/api/kernels`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: '{}' });
    expect(started.status).toBe(201);
    const { id } = (await started.json()) as { id: string };

    const ws = wsSocket(`${own().replace('http', 'ws')}/user/admin/nb/api/kernels/${id}/channels`, auth());
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    const msgId = randomUUID();
    // The kernel's answer arrives as a stream message (stdout) and an execute_reply, both tied to our request.
    let printed = '';
    const reply = new Promise<{ content: { status: string } }>((resolve) => {
      ws.on('message', (data) => {
        const m = JSON.parse(data.toString()) as { parent_header?: { msg_id?: string }; msg_type: string; content: { status: string; name?: string; text?: string } };
        if (m.parent_header?.msg_id !== msgId) return;
        if (m.msg_type === 'stream' && m.content.name === 'stdout') printed += m.content.text;
        if (m.msg_type === 'execute_reply') resolve(m);
      });
    });
    ws.send(JSON.stringify({
      header: { msg_id: msgId, username: 'admin', session: randomUUID(), msg_type: 'execute_request', version: '5.3', date: new Date().toISOString() },
      parent_header: {}, metadata: {}, channel: 'shell', buffers: [],
      content: { code: 'print(6*7)', silent: false, store_history: false, user_expressions: {}, allow_stdin: false },
    }));
    expect((await reply).content.status).toBe('ok');
    await expect.poll(() => printed).toBe('42\n');
    ws.close();
  });

  // Issue 18 item 3: JupyterHub takes ?token= on proxied URLs and kernel WebSockets; Hubdeck answered
  // 302 (HTTP) and 401 (WebSocket). Debian's python3-jupyter-client and python3-tornado, /usr/bin/python3.
  it('serves a Jupyter client that puts its token in the URL, REST and kernel WebSocket alike', async () => {
    const own = new URL(addressOf(h.hub.web, 'admin', 'nb'));
    const script = path.join(__dirname, '../../support/jupyter-token-client.py');
    const { stdout } = await promisify(execFile)('/usr/bin/python3', [script, own.port, own.host, own.pathname, h.adminToken], { timeout: 120_000 });
    expect(JSON.parse(stdout)).toEqual({ created: 201, reply: 'ok', output: '42\n', deleted: 204 });
  }, 180_000);
});

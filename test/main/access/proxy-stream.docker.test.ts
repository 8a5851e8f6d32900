/**
 * The proxy streams: a 1 GiB download from a real workspace (busybox httpd on Docker) passes
 * through without the hub holding it in memory — the process's RSS grows by far less than the
 * body while every byte arrives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startApiHub, type ApiHub } from '../../support/api-hub';
import { addressOf, wsFetch } from '../../support/workspace-fetch';
import { TEST_IMAGES } from '../../support/test-images';

const GIB = 1024 ** 3;
let h: ApiHub;

/** The workspace's own origin (`big--admin.localhost` on the hub's port). */
const own = () => new URL(addressOf(h.hub.web, 'admin', 'big')).origin;

beforeAll(async () => {
  h = await startApiHub('pstream', { engine: 'docker' });
  await api(h.url, 'POST', '/images', h.adminToken, { name: 'busybox', ref: TEST_IMAGES.busybox });
  expect((await api(h.url, 'POST', '/workspaces?wait=1', h.adminToken, { name: 'big', image: TEST_IMAGES.busybox, volume: false })).status).toBe(201);
  // busybox httpd serves /www by path: put a 1 GiB file where the proxy's path lands.
  const s = await h.hub.access.exec({ user: 'admin', admin: true }, { user: 'admin', name: 'big' }, {
    cmd: ['sh', '-c', 'mkdir -p /www/user/admin/big && dd if=/dev/zero of=/www/user/admin/big/file bs=1M count=1024 2>/dev/null'],
  });
  expect(await s.exitCode()).toBe(0);
}, 240_000);
afterAll(() => h.stop());

describe('proxy streaming', () => {
  it('passes 1 GiB through without holding it', async () => {
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const res = await wsFetch(`${own()}/user/admin/big/file`, { headers: { authorization: `Bearer ${h.adminToken}` } });
    expect(res.status).toBe(200);
    let bytes = 0;
    const reader = res.body!.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      bytes += r.value.byteLength;
      if ((bytes & (64 * 1024 ** 2 - 1)) < r.value.byteLength) peak = Math.max(peak, process.memoryUsage().rss);
    }
    expect(bytes).toBe(GIB);
    expect(peak - before).toBeLessThan(200 * 1024 ** 2);
  });
});

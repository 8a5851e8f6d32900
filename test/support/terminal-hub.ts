/** A hub on Docker with a running busybox workspace admin/sh and a second user, bob: what terminal tests share. */
import { expect } from 'vitest';
import { api, startApiHub, type ApiHub } from './api-hub';
import { TEST_IMAGES } from './test-images';

export async function startTerminalHub(prefix: string): Promise<{ hub: ApiHub; bob: string }> {
  const hub = await startApiHub(prefix, { engine: 'docker' });
  await api(hub.url, 'POST', '/images', hub.adminToken, { name: 'busybox', ref: TEST_IMAGES.busybox });
  await api(hub.url, 'POST', '/users', hub.adminToken, { name: 'bob', selfService: true });
  const bob = ((await api(hub.url, 'POST', '/users/bob/tokens', hub.adminToken, {})).body as { token: string }).token;
  expect((await api(hub.url, 'POST', '/workspaces?wait=1', hub.adminToken, { name: 'sh', image: TEST_IMAGES.busybox, volume: false })).status).toBe(201);
  return { hub, bob };
}

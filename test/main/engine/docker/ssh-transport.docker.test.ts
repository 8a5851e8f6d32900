import { waitReady } from '../../../../main/engine/wait-ready';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerEngine } from '../../../../main/engine/docker/docker-engine';
import { parseWorkspaceRequest } from '../../../../main/core/workspace-spec';
import { httpProbe } from '../../../../main/engine/wait-ready';
import { startSshServer, type TestSshServer } from '../../../support/ssh-server';
import { sweep, testOrigin } from '../../../support/docker-fixture';
import { TEST_IMAGES } from '../../../support/test-images';

// ssh:// engines: Debian's OpenSSH server on a loopback port stands in for a remote GPU box; the
// engine speaks the Docker API through `docker system dial-stdio` over ssh2 and reaches workspace
// ports through ssh port forwarding.
const origin = testOrigin('ssh');
let sshd: TestSshServer;

beforeAll(async () => {
  sshd = await startSshServer();
});
afterAll(async () => {
  await sweep(origin);
  await sshd.stop();
});

const remote = (knownHosts: string) =>
  new DockerEngine({
    origin,
    host: `ssh://${sshd.user}@127.0.0.1:${sshd.port}`,
    ssh: { keyPath: sshd.privateKeyPath, knownHostsFiles: [knownHosts] },
    env: {},
  });

describe('ssh:// transport', () => {
  it('creates, probes, lists and removes a workspace on the remote engine', async () => {
    const engine = remote(sshd.knownHostsPath);
    expect(engine.client.connection).toMatchObject({ kind: 'ssh', port: sshd.port, username: 'root' });
    expect((await engine.capacity()).description).toContain(`ssh://root@127.0.0.1:${sshd.port}`);
    const w = await engine.create(parseWorkspaceRequest({ name: 'remote', user: 'alice', image: TEST_IMAGES.busybox, cpus: 1 }, { now: new Date() }));
    await waitReady(engine, w, { timeoutMs: 30_000 });
    expect(await httpProbe(await engine.connect(w, 8888), '/', 5000)).toBe(200);
    expect((await engine.list()).map((x) => x.name)).toEqual(['remote']);
    // the local engine sees the same workspace: one dockerd behind both
    expect((await new DockerEngine({ origin }).list()).map((x) => x.spec)).toEqual([w.spec]);
    await engine.remove(w, { deleteData: true });
    await engine.close();
  });

  it('refuses a host that is not in known_hosts, saying what to do', async () => {
    const empty = path.join(sshd.dir, 'empty_known_hosts');
    fs.writeFileSync(empty, '');
    const err = await remote(empty).capacity().catch((e: Error) => e);
    expect(err).toMatchObject({ code: 'unavailable' });
    expect((err as Error).message).toMatch(/is not in known_hosts; connect once with `ssh -p \d+ 127.0.0.1`/);
  });

  it('refuses a host whose key changed', async () => {
    const wrong = path.join(sshd.dir, 'wrong_known_hosts');
    const otherKey = fs.readFileSync(`${sshd.privateKeyPath}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
    fs.writeFileSync(wrong, `[127.0.0.1]:${sshd.port} ${otherKey}\n`);
    const err = await remote(wrong).capacity().catch((e: Error) => e);
    expect((err as Error).message).toMatch(/does not match known_hosts/);
  });
});

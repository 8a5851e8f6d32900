/**
 * Tunnel throughput: 200 MB echoed by `nc -ll -e cat` inside a busybox workspace on the real
 * engine, sent and read back at once (so each figure is MB/s each way), three ways, interleaved:
 * straight to the container's address (the ceiling), through a forward on the local hub (the
 * in-process dialer, as `hubdeck tunnel` on the desktop), and through a forward over a `hub serve`
 * port stream (the WebSocket wire, as a tunnel to a team hub). Run: npx tsx test/bench/tunnel.bench.ts
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startForward } from '../../main/access/port-forward';
import { ownerDialer, remoteDialer } from '../../main/client/port-dialer';
import { LABELS } from '../../main/core/labels';
import { createEngine } from '../../main/engine/create-engine';
import { Hub } from '../../main/hub/hub';
import { api } from '../support/api-hub';
import { docker, sweep, testOrigin } from '../support/docker-fixture';
import { startServe } from '../support/hub-process';
import { TEST_IMAGES } from '../support/test-images';

const MB = 200;
const ROUNDS = 3;

/** Milliseconds to send MB through `port` and read all of it back. */
async function echo(port: number, host: string): Promise<number> {
  const chunk = crypto.randomBytes(1024 * 1024);
  const size = MB * chunk.length;
  const t0 = process.hrtime.bigint();
  await new Promise<void>((resolve, reject) => {
    let got = 0;
    const s = net.connect(port, host, () => {
      let sent = 0;
      const pump = () => {
        while (sent < size) {
          sent += chunk.length;
          if (!s.write(chunk)) return void s.once('drain', pump);
        }
        s.end();
      };
      pump();
    });
    s.on('data', (d: Buffer) => (got += d.length));
    s.once('end', () => (got === size ? resolve() : reject(new Error(`read back ${got} of ${size} bytes`))));
    s.once('error', reject);
  });
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function main(): Promise<void> {
  const origin = testOrigin('tbench');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnel-bench-'));
  const srv = await startServe(['--data', path.join(tmp, 'serve'), '--listen', '127.0.0.1:0', '--origin', origin]);
  const engine = await createEngine({ kind: 'docker', origin });
  const { hub } = await Hub.open({ engine, dataDir: path.join(tmp, 'local') });
  try {
    const admin = srv.adminToken!;
    await api(srv.url, 'POST', '/images', admin, { name: 'web', ref: TEST_IMAGES.busybox });
    await api(srv.url, 'POST', '/workspaces?wait=1', admin, { user: 'admin', name: 'box', image: 'web' });
    const [c] = await docker.listContainers({ filters: { label: [`${LABELS.origin}=${origin}`, `${LABELS.workspace}=box`] } });
    await (await docker.getContainer(c!.Id).exec({ Cmd: ['nc', '-ll', '-p', '7000', '-e', 'cat'] })).start({ Detach: true });
    const ip = Object.values(c!.NetworkSettings.Networks)[0]!.IPAddress;
    const ref = { user: 'admin', name: 'box' };
    const local = await startForward({ dialer: ownerDialer(hub), ref, local: 0, remote: 7000 });
    const dialer = remoteDialer({ url: srv.url, token: admin });
    const remote = await startForward({ dialer, ref, local: 0, remote: 7000 });
    const ways: [string, () => Promise<number>][] = [
      ['direct to the container', () => echo(7000, ip)],
      ['tunnel, local hub', () => echo(local.address.port, '127.0.0.1')],
      ['tunnel, hub serve port stream', () => echo(remote.address.port, '127.0.0.1')],
    ];
    const ms = new Map<string, number[]>(ways.map(([name]) => [name, []]));
    for (let i = 0; i < ROUNDS; i++) for (const [name, run] of ways) ms.get(name)!.push(await run());
    console.log(`${MB} MB echoed (MB/s each way, median of ${ROUNDS}, interleaved):`);
    for (const [name, runs] of ms) {
      const median = runs.sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
      console.log(`  ${name.padEnd(32)} ${(MB / (median / 1000)).toFixed(0).padStart(5)} MB/s   runs: ${runs.map((r) => `${(MB / (r / 1000)).toFixed(0)}`).join(' ')}`);
    }
    await local.close();
    await remote.close();
    dialer.close();
  } finally {
    await hub.close();
    await srv.stop();
    await sweep(origin);
    await engine.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});

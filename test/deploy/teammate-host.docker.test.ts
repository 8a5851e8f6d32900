// A teammate on another host: the lead's `hub serve --tls` listens on its LAN address (a veth
// link to a second network namespace, not loopback), and everything a teammate does runs in that
// namespace with its own HOME and data: join by invite (the certificate pinned), list, open a
// workspace through the proxy on its own origin, `ssh` through the gateway with the config
// `ssh-config` writes, and a port forward.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubdeck } from '../support/cli';
import { startServe, type ServeProcess } from '../support/hub-process';
import { sweep, testOrigin } from '../support/docker-fixture';
import { createPeerHost, type PeerHost } from '../support/peer-host';
import { TEST_IMAGES } from '../support/test-images';

const CLI = path.join(__dirname, '../../out/main/cli.js');
const origin = testOrigin('mate');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-mate-'));
const dataDir = path.join(tmp, 'hub');
const mateHome = path.join(tmp, 'bob-home');
const mateEnv = { HOME: mateHome, HUBDECK_DATA: path.join(mateHome, 'hubdeck') };
let peer: PeerHost;
let srv: ServeProcess;
let admin: string[];
let hubId: string;

const mate = (args: string[]) => peer.run(process.execPath, [CLI, '--hub', 'team', ...args], mateEnv);

beforeAll(async () => {
  fs.mkdirSync(mateHome, { recursive: true });
  peer = createPeerHost();
  srv = await startServe(['--data', dataDir, '--listen', `${peer.hostIp}:0`, '--ssh-listen', `${peer.hostIp}:0`, '--tls', '--workspace-host', '*.ws.test', '--origin', origin]);
  admin = ['--hub', srv.url, '--token', srv.adminToken!, '--fingerprint', srv.fingerprint!];
  expect((await hubdeck([...admin, 'user', 'add', 'bob', '--self-service'])).code).toBe(0);
  expect((await hubdeck([...admin, 'image', 'add', 'web', TEST_IMAGES.busybox])).code).toBe(0);
  hubId = JSON.parse((await hubdeck([...admin, '--json', 'hub', 'info'])).stdout).hubId;
  peer.resolve([`w1--bob.ws.test`]);
}, 120_000);

afterAll(async () => {
  await srv?.stop('SIGKILL').catch(() => undefined);
  peer?.remove();
  await sweep(origin);
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('a teammate on another host', () => {
  it('reaches the hub on its LAN address only: loopback on the peer is not the hub', async () => {
    expect(srv.url).toMatch(new RegExp(`^https://${peer.hostIp.replace(/\./g, '\\.')}:\\d+$`));
    const port = new URL(srv.url).port;
    const local = await peer.run('curl', ['-sk', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '3', `https://127.0.0.1:${port}/health`]);
    expect(local.stdout).toBe('000');
  });

  it('joins by invite with the certificate pinned, and lists and creates workspaces', async () => {
    const inv = await hubdeck([...admin, 'hub', 'invite', 'bob', '--hours', '1']);
    const invite = /^ {2}hubdeck hub join (\S+)$/m.exec(inv.stdout)![1]!;
    const joined = await peer.run(process.execPath, [CLI, 'hub', 'join', invite, '--name', 'team'], mateEnv);
    expect(joined.stderr).toBe('');
    expect(joined.stdout).toContain(`at ${srv.url} as bob (certificate ${srv.fingerprint})`);
    const created = await mate(['workspace', 'create', 'w1', '--image', 'web', '--no-volume']);
    expect(created.code, created.stderr).toBe(0);
    const list = await mate(['--json', 'workspace', 'list']);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ user: 'bob', name: 'w1', state: 'running' })]);
  }, 240_000);

  it("opens the workspace through the proxy on its own origin, from the peer's browser side", async () => {
    const open = await mate(['workspace', 'open', 'w1']);
    expect(open.code, open.stderr).toBe(0);
    const link = /(https:\/\/\S+)/.exec(open.stdout)![1]!;
    expect(new URL(link).hostname).toBe('w1--bob.ws.test');
    // busybox httpd serves /www by path: a page where the proxy's path lands (through the gateway).
    const put = await mate(['workspace', 'ssh', 'w1', '--', 'sh', '-c', "'mkdir -p /www/user/bob/w1 && cp /www/index.html /www/user/bob/w1/'"]);
    expect(put.code, put.stderr).toBe(0);
    // curl as the browser: the one-time link sets the workspace's cookie, which then opens the page.
    const jar = path.join(tmp, 'jar');
    const cert = path.join(dataDir, 'tls', 'cert.pem');
    const page = await peer.run('curl', ['-s', '--cacert', cert, '-c', jar, '-b', jar, '-L', '-w', '\n%{http_code} %{url_effective}', link]);
    expect(page.stdout).toContain('hubdeck busybox workspace');
    expect(page.stdout).toMatch(/\n200 https:\/\/w1--bob\.ws\.test:\d+\/user\/bob\/w1\/$/);
  }, 60_000);

  it('reaches the workspace with stock ssh through the gateway, and forwards a port', async () => {
    const cfg = await mate(['ssh-config']);
    expect(cfg.code, cfg.stderr).toBe(0);
    const config = path.join(mateHome, '.ssh', 'config');
    expect(fs.readFileSync(config, 'utf8')).toContain(peer.hostIp);
    const ssh = await peer.run('ssh', ['-F', config, '-o', 'BatchMode=yes', `w1.${hubId}`, 'echo $((6*7))'], mateEnv);
    expect(ssh, ssh.stderr).toMatchObject({ code: 0, stdout: '42\n' });
    // The workspace's web port, forwarded to the peer's own loopback by the CLI.
    const fwd = peer.spawn(process.execPath, [CLI, '--hub', 'team', 'workspace', 'forward', 'w1', '18123:8888'], mateEnv);
    try {
      let code = '';
      for (let i = 0; i < 100 && code !== '200' && code !== '302'; i++) {
        await new Promise((r) => setTimeout(r, 200));
        code = (await peer.run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '3', 'http://127.0.0.1:18123/'])).stdout;
      }
      expect(['200', '302']).toContain(code);
    } finally {
      fwd.kill('SIGINT');
    }
  }, 120_000);
});

/**
 * SSH sessions through the gateway behave as OpenSSH's sshd in the same image does, with the real
 * clients that are the point: the session environment key by key against a stock sshd run inside
 * the same workspace, git clone and push over ssh with wire protocol v2, rsync, sshfs, Ctrl-C
 * reported as a signal (client status 255), and refused forwards that say why.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshGateway } from '../../../main/access/ssh-gateway';
import { api, startApiHub, type ApiHub } from '../../support/api-hub';
import { docker } from '../../support/docker-fixture';
import { TEST_IMAGES } from '../../support/test-images';

interface Run { code: number; stdout: string; stderr: string }

function run(cmd: string, args: string[], o: { env?: Record<string, string>; cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env: { ...process.env, ...o.env }, cwd: o.cwd, maxBuffer: 64 << 20, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 255) : 0, stdout, stderr });
    });
  });
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-sshsess-'));
const config = path.join(tmp, 'config');
const ssh = (args: string[], env?: Record<string, string>) => run('ssh', ['-F', config, ...args], { env });

/** `env` as a record, from `env -0`-less output (values here hold no newline). */
const envOf = (text: string) => Object.fromEntries(text.replace(/\r/g, '').split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

describe('SSH sessions through the gateway, beside a stock sshd in the same workspace', () => {
  let h: ApiHub;
  let gw: SshGateway;
  let gwPort: number;
  let container: string;
  beforeAll(async () => {
    h = await startApiHub('sshsess', { engine: 'docker' });
    const key = path.join(tmp, 'id');
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    const pub = fs.readFileSync(`${key}.pub`, 'utf8').trim();
    await h.hub.keys.add({ user: 'admin', admin: true }, 'admin', { key: pub });
    const w = await api(h.url, 'POST', '/workspaces?wait=1&timeout=180', h.adminToken, { name: 'w', image: TEST_IMAGES.sshd, volume: false });
    expect(w.status, w.text).toBe(201);
    container = (w.body as { id: string }).id;
    // OpenSSH's own sshd in the workspace, for its user with the same key: the reference.
    const setup = `mkdir -p ~/.ssh && echo '${pub}' > ~/.ssh/authorized_keys && chmod 700 ~/.ssh && chmod 600 ~/.ssh/authorized_keys`;
    expect((await run('docker', ['exec', container, 'sh', '-c', setup])).code).toBe(0);
    expect((await run('docker', ['exec', '-u', 'root', container, 'sh', '-c', 'ssh-keygen -A >/dev/null && /usr/sbin/sshd -p 2222'])).code).toBe(0);
    const ip = Object.values((await docker.getContainer(container).inspect()).NetworkSettings.Networks)[0]!.IPAddress;
    const keys = (await h.hub.hostKey()).keys;
    gw = new SshGateway({ hub: h.hub, hostKeys: keys });
    gwPort = (await gw.listen('127.0.0.1', 0)).port;
    fs.writeFileSync(path.join(tmp, 'known_hosts'), keys.map((k) => `gateway.test ${k.publicKey}\n`).join(''));
    fs.writeFileSync(config, [
      'Host *', `  IdentityFile ${key}`, '  IdentitiesOnly yes', '  BatchMode yes', '  LogLevel ERROR',
      'Host gw', '  HostName 127.0.0.1', `  Port ${gwPort}`, '  User admin.w', `  UserKnownHostsFile ${path.join(tmp, 'known_hosts')}`,
      '  HostKeyAlias gateway.test', '  StrictHostKeyChecking yes',
      'Host sshd', `  HostName ${ip}`, '  Port 2222', '  User jovyan', '  UserKnownHostsFile /dev/null', '  StrictHostKeyChecking no', '',
    ].join('\n'));
  }, 240_000);
  afterAll(async () => {
    await gw?.close();
    await h?.stop();
  });

  it('sets the environment sshd sets, key by key, with and without a terminal', async () => {
    const keys = ['HOME', 'LOGNAME', 'USER', 'SHELL', 'PWD', 'MAIL', 'TERM'];
    for (const tty of [[], ['-tt']]) {
      const mine = envOf((await ssh([...tty, 'gw', 'env'])).stdout);
      const theirs = envOf((await ssh([...tty, 'sshd', 'env'])).stdout);
      for (const k of keys) expect([k, mine[k]]).toEqual([k, theirs[k]]);
      expect(mine.USER).toBe('jovyan');
      expect(Boolean(mine.SSH_TTY)).toBe(tty.length > 0);
      if (tty.length) expect(mine.SSH_TTY).toMatch(/^\/dev\/pts\/\d+$/);
      if (tty.length) expect(theirs.SSH_TTY).toMatch(/^\/dev\/pts\/\d+$/);
      expect(mine.SSH_CONNECTION).toMatch(new RegExp(`^127\\.0\\.0\\.1 \\d+ 127\\.0\\.0\\.1 ${gwPort}$`));
      expect(theirs.SSH_CONNECTION).toMatch(/^\S+ \d+ \S+ 2222$/);
      expect(mine.SSH_CLIENT).toBe(`${mine.SSH_CONNECTION!.split(' ').slice(0, 2).join(' ')} ${gwPort}`);
    }
  }, 120_000);

  it('clones and pushes with git over ssh, speaking wire protocol v2', async () => {
    expect((await ssh(['gw', 'git init -q --bare repo.git && git -C repo.git symbolic-ref HEAD refs/heads/main'])).code).toBe(0);
    const env = { GIT_SSH_COMMAND: `ssh -F ${config}`, GIT_TRACE_PACKET: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' };
    const local = path.join(tmp, 'clone');
    const clone = await run('git', ['clone', 'gw:repo.git', local], { env });
    expect(clone.code, clone.stderr).toBe(0);
    // The server answered in v2 because GIT_PROTOCOL reached git-upload-pack.
    expect(clone.stderr).toMatch(/clone< version 2/);
    fs.writeFileSync(path.join(local, 'a.txt'), 'hello\n');
    await run('git', ['-C', local, 'add', 'a.txt'], { env });
    await run('git', ['-C', local, 'commit', '-qm', 'first'], { env });
    const push = await run('git', ['-C', local, 'push', '-q', 'origin', 'HEAD:main'], { env });
    expect(push.code, push.stderr).toBe(0);
    expect((await ssh(['gw', 'git -C repo.git log --format=%s main'])).stdout).toBe('first\n');
  }, 120_000);

  it('copies a tree with rsync and mounts the home with sshfs', async () => {
    const src = path.join(tmp, 'tree');
    fs.mkdirSync(path.join(src, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(src, 'sub', 'x.bin'), Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 31) & 0xff)));
    const e = ['-e', `ssh -F ${config}`];
    expect((await run('rsync', ['-a', ...e, `${src}/`, 'gw:tree/'])).code).toBe(0);
    const back = path.join(tmp, 'tree.back');
    expect((await run('rsync', ['-a', ...e, 'gw:tree/', `${back}/`])).code).toBe(0);
    expect(fs.readFileSync(path.join(back, 'sub', 'x.bin'))).toEqual(fs.readFileSync(path.join(src, 'sub', 'x.bin')));
    const mnt = path.join(tmp, 'mnt');
    fs.mkdirSync(mnt);
    const mount = await run('sshfs', ['-F', config, 'gw:', mnt]);
    expect(mount.code, mount.stderr).toBe(0);
    // The gateway serves this very process: the mount is read without blocking its event loop.
    try {
      expect((await fs.promises.readFile(path.join(mnt, 'tree', 'sub', 'x.bin'))).length).toBe(100_000);
      await fs.promises.writeFile(path.join(mnt, 'via-sshfs'), 'written\n');
    } finally {
      await run('fusermount', ['-u', mnt]);
    }
    expect((await ssh(['gw', 'cat via-sshfs'])).stdout).toBe('written\n');
  }, 120_000);

  it('ends a session on Ctrl-C as sshd does: the signal, so the client exits with 255', async () => {
    const ctrlC = (host: string) => new Promise<number | null>((resolve) => {
      const child = spawn('ssh', ['-F', config, '-tt', host, 'echo ready; sleep 60']);
      let sent = false;
      child.stdout.on('data', (d: Buffer) => {
        if (!sent && d.toString().includes('ready')) {
          sent = true;
          child.stdin.write('\x03');
        }
      });
      child.once('exit', (code) => resolve(code));
    });
    expect(await ctrlC('sshd')).toBe(255);
    expect(await ctrlC('gw')).toBe(255);
    // A command that exits 130 by itself is still a status, not a signal.
    expect((await ssh(['-tt', 'gw', 'exit 130'])).code).toBe(130);
  }, 120_000);

  it('says why a forward is refused (open failed: <reason>), as sshd does', async () => {
    const forward = async (target: string) => {
      const local = 20_000 + Math.floor(Math.random() * 20_000);
      // sshd's refusals reach the client's log at INFO ("channel 2: open failed: …").
      const child = spawn('ssh', ['-F', config, '-o', 'LogLevel=INFO', '-N', '-L', `${local}:${target}`, 'gw']);
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      try {
        for (let i = 0; i < 100; i++) {
          const ok = await fetch(`http://127.0.0.1:${local}/`).then(() => true, () => false);
          if (stderr.includes('open failed') || ok) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        return stderr;
      } finally {
        child.kill();
      }
    };
    expect(await forward('10.9.8.7:80')).toMatch(/open failed: administratively prohibited: hubdeck: ssh -L reaches the workspace's own ports only .*10\.9\.8\.7:80/);
    expect(await forward('localhost:1')).toMatch(/open failed: connect failed: hubdeck: port 1 of admin\/w: \S/);
  }, 120_000);
});

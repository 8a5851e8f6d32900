/**
 * Agent forwarding through the gateway with a real ssh-agent: refused (no SSH_AUTH_SOCK) until the
 * hub's setting sshAgentForwarding allows it; then `ssh -A` gives the session a socket in a private
 * directory that only the workspace's user can reach, `ssh-add -l` inside lists the laptop's key,
 * and an ssh from inside the workspace to a second sshd logs in with the forwarded agent alone.
 * An image without python3 is told why it gets no agent; the socket goes with the session.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshGateway } from '../../../main/access/ssh-gateway';
import { api, startApiHub, type ApiHub } from '../../support/api-hub';
import { TEST_IMAGES } from '../../support/test-images';

interface Run { code: number; stdout: string; stderr: string }

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env: { ...process.env, ...env }, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 255) : 0, stdout, stderr });
    });
  });
}

describe('agent forwarding (ssh -A) through the gateway', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-sshagent-'));
  const config = path.join(tmp, 'config');
  const agentEnv: Record<string, string> = {};
  let h: ApiHub;
  let gw: SshGateway;
  let container: string;
  const laptopKey = path.join(tmp, 'laptop');
  beforeAll(async () => {
    h = await startApiHub('sshagent', { engine: 'docker' });
    // The key the gateway knows, and the laptop's key that only the agent holds (for the second hop).
    const key = path.join(tmp, 'id');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'laptop-key', '-f', laptopKey]);
    await h.hub.keys.add({ user: 'admin', admin: true }, 'admin', { key: fs.readFileSync(`${key}.pub`, 'utf8').trim() });
    const out = execFileSync('ssh-agent', ['-s', '-a', path.join(tmp, 'agent.sock')], { encoding: 'utf8' });
    for (const m of out.matchAll(/(SSH_AUTH_SOCK|SSH_AGENT_PID)=([^;]+);/g)) agentEnv[m[1]!] = m[2]!;
    execFileSync('ssh-add', ['-q', laptopKey], { env: { ...process.env, ...agentEnv } });
    const w = await api(h.url, 'POST', '/workspaces?wait=1&timeout=180', h.adminToken, { name: 'w', image: TEST_IMAGES.sshd, volume: false });
    expect(w.status, w.text).toBe(201);
    container = (w.body as { id: string }).id;
    await api(h.url, 'POST', '/images', h.adminToken, { name: 'busybox', ref: TEST_IMAGES.busybox });
    const b = await api(h.url, 'POST', '/workspaces?wait=1&timeout=180', h.adminToken, { name: 'bare', image: TEST_IMAGES.busybox, volume: false });
    expect(b.status, b.text).toBe(201);
    // A second sshd, inside the workspace, that accepts only the laptop's key: reached from the workspace.
    const setup = `mkdir -p ~/.ssh && echo '${fs.readFileSync(`${laptopKey}.pub`, 'utf8').trim()}' > ~/.ssh/authorized_keys && chmod 700 ~/.ssh && chmod 600 ~/.ssh/authorized_keys`;
    expect((await run('docker', ['exec', container, 'sh', '-c', setup])).code).toBe(0);
    expect((await run('docker', ['exec', '-u', 'root', container, 'sh', '-c', 'ssh-keygen -A >/dev/null && /usr/sbin/sshd -p 2222'])).code).toBe(0);
    const keys = (await h.hub.hostKey()).keys;
    gw = new SshGateway({ hub: h.hub, hostKeys: keys });
    const port = (await gw.listen('127.0.0.1', 0)).port;
    fs.writeFileSync(path.join(tmp, 'known_hosts'), keys.map((k) => `gateway.test ${k.publicKey}\n`).join(''));
    fs.writeFileSync(config, [
      'Host *', '  HostName 127.0.0.1', `  Port ${port}`, `  IdentityFile ${key}`, '  IdentitiesOnly yes', '  BatchMode yes', '  LogLevel ERROR',
      `  UserKnownHostsFile ${path.join(tmp, 'known_hosts')}`, '  HostKeyAlias gateway.test', '  StrictHostKeyChecking yes', '',
    ].join('\n'));
  }, 240_000);
  afterAll(async () => {
    if (agentEnv.SSH_AGENT_PID) process.kill(Number(agentEnv.SSH_AGENT_PID));
    await gw?.close();
    await h?.stop();
  });

  const sshA = (login: string, cmd: string) => run('ssh', ['-F', config, '-A', `${login}@gw`, cmd], agentEnv);
  const hop = 'ssh -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -p 2222 jovyan@127.0.0.1 echo second hop as $(whoami)';

  it('is off until the hub allows it: no SSH_AUTH_SOCK', async () => {
    const r = await sshA('admin.w', 'echo "[${SSH_AUTH_SOCK}]"');
    expect(r).toMatchObject({ code: 0, stdout: '[]\n' });
  }, 120_000);

  it('forwards the laptop\'s agent once allowed: ssh-add -l lists its key, a second hop logs in with it', async () => {
    expect((await api(h.url, 'PATCH', '/settings', h.adminToken, { sshAgentForwarding: true })).status).toBe(200);
    const r = await sshA('admin.w', 'echo "$SSH_AUTH_SOCK"; stat -c "%a %U" "$(dirname "$SSH_AUTH_SOCK")"; ssh-add -l');
    expect(r.code, r.stderr).toBe(0);
    const [sock, dirMode, listed] = r.stdout.split('\n');
    expect(sock).toMatch(/^\/tmp\/ssh-[^/]+\/agent\.\d+$/);
    expect(dirMode).toBe('700 jovyan');
    expect(listed).toMatch(/laptop-key \(ED25519\)/);
    expect(await sshA('admin.w', hop)).toMatchObject({ code: 0, stdout: 'second hop as jovyan\n' });
    // Without -A there is still no agent, and the socket goes with its session (ended just after it).
    expect((await run('ssh', ['-F', config, 'admin.w@gw', 'echo "[${SSH_AUTH_SOCK}]"'])).stdout).toBe('[]\n');
    let left = '';
    for (let i = 0; i < 50 && left !== '0'; i++) {
      if (i) await new Promise((r) => setTimeout(r, 200));
      left = (await run('docker', ['exec', container, 'sh', '-c', 'ls /tmp | grep -c "^ssh-" || true'])).stdout.trim();
    }
    const seen = left === '0' ? '' : (await run('docker', ['exec', container, 'sh', '-c', 'ls -la /tmp /tmp/ssh-*; ps -eo pid,args'])).stdout;
    expect(left, seen).toBe('0');
  }, 120_000);

  it('tells a session whose image cannot host the agent why it has none', async () => {
    const r = await sshA('admin.bare', 'echo "[${SSH_AUTH_SOCK}]"');
    expect(r.stdout).toBe('[]\n');
    expect(r.stderr).toMatch(/agent forwarding needs python3 in the workspace image/);
  }, 120_000);
});

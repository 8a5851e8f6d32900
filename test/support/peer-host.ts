/**
 * A second host on this machine for tests of what crosses a network: a network namespace joined to
 * this one by a veth pair on its own /30, so the peer reaches this host at `hostIp` and nothing at
 * 127.0.0.1 is ours. Names the peer resolves (a hub's workspace origins) go in its own hosts file
 * (`ip netns exec` mounts /etc/netns/<ns>/hosts over /etc/hosts). Needs root and iproute2, as CI has.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';

export interface PeerHost {
  ns: string;
  /** This host's address on the link (where its servers must listen for the peer). */
  hostIp: string;
  peerIp: string;
  /** Runs a command on the peer; resolves with its exit code and output. */
  run(cmd: string, args: string[], env?: Record<string, string>, timeoutMs?: number): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Starts a long-running command on the peer. */
  spawn(cmd: string, args: string[], env?: Record<string, string>): ChildProcess;
  /** Names the peer resolves to this host. */
  resolve(names: string[]): void;
  remove(): void;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

export function createPeerHost(): PeerHost {
  const id = randomBytes(2).toString('hex');
  const ns = `hd-peer-${id}`;
  const [here, there] = [`hdh${id}`, `hdp${id}`];
  // A /30 in 10.213.0.0/16 picked from the id: two peers at once do not collide.
  const n = parseInt(id, 16) % 16_000;
  const prefix = `10.213.${Math.floor(n / 64)}.${(n % 64) * 4}`.split('.').map(Number);
  const addr = (k: number) => `${prefix[0]}.${prefix[1]}.${prefix[2]}.${prefix[3]! + k}`;
  const hostIp = addr(1);
  const peerIp = addr(2);
  ip('netns', 'add', ns);
  ip('link', 'add', here, 'type', 'veth', 'peer', 'name', there);
  ip('link', 'set', there, 'netns', ns);
  ip('addr', 'add', `${hostIp}/30`, 'dev', here);
  ip('link', 'set', here, 'up');
  ip('-n', ns, 'addr', 'add', `${peerIp}/30`, 'dev', there);
  ip('-n', ns, 'link', 'set', there, 'up');
  ip('-n', ns, 'link', 'set', 'lo', 'up');
  const etc = `/etc/netns/${ns}`;
  fs.mkdirSync(etc, { recursive: true });
  const hosts = `${etc}/hosts`;
  fs.writeFileSync(hosts, '127.0.0.1 localhost\n');
  const inNs = (cmd: string, args: string[], env: Record<string, string>) =>
    ['netns', 'exec', ns, 'env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), cmd, ...args];
  return {
    ns, hostIp, peerIp,
    run: (cmd, args, env = {}, timeoutMs = 120_000) => new Promise((resolve) => {
      execFile('ip', inNs(cmd, args, env), { timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 255) : 0, stdout, stderr }));
    }),
    spawn: (cmd, args, env = {}) => spawn('ip', inNs(cmd, args, env), { stdio: ['ignore', 'pipe', 'pipe'] }),
    resolve: (names) => fs.appendFileSync(hosts, names.map((h) => `${hostIp} ${h}\n`).join('')),
    remove: () => {
      try { ip('link', 'del', here); } catch { /* gone with the namespace */ }
      try { ip('netns', 'del', ns); } catch { /* already gone */ }
      fs.rmSync(etc, { recursive: true, force: true });
    },
  };
}

/**
 * A throwaway OpenSSH server on 127.0.0.1 for integration tests of the SSH transport.
 * It runs the system sshd with its own config, keys and authorized_keys in a temp dir, so it needs
 * root (sshd must be able to switch to the login user) but never touches /etc/ssh.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freeLoopbackPort, kill, launchUntilReady } from './child-process';

const run = promisify(execFile);

const SSHD = '/usr/sbin/sshd';
const START_TIMEOUT_MS = 10_000;
// sshd -e logs every connection to stderr; keep only the tail so a long test run cannot grow it unbounded.
// Sessions get sshd's compiled-in PATH; Debian's already has /usr/local/bin (where a hand-installed Docker
// CLI lives), but pinning it keeps `docker` reachable for every user whatever the sshd build.
const SESSION_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface TestSshServer {
  host: '127.0.0.1';
  port: number;
  user: string;
  privateKeyPath: string;
  privateKey: Buffer;
  /** "ssh-ed25519 AAAA..." without a comment. */
  hostPublicKey: string;
  /** A known_hosts file with the line "[127.0.0.1]:PORT <hostPublicKey>". */
  knownHostsPath: string;
  dir: string;
  stop(): Promise<void>;
}

/**
 * A non-root `user` must already exist with a login shell and an unlocked account: without PAM, sshd
 * refuses accounts whose password field starts with "!" (what `useradd` leaves by default).
 */
export async function startSshServer(opts: { user?: string } = {}): Promise<TestSshServer> {
  const user = opts.user ?? 'root';
  const dir = await mkdtemp(join(tmpdir(), 'hubdeck-sshd-'));
  try {
    return await startIn(dir, user);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

async function startIn(dir: string, user: string): Promise<TestSshServer> {
  // sshd reads authorized_keys with the login user's uid, so a non-root user must be able to enter the dir.
  await chmod(dir, 0o755);
  const hostKeyPath = join(dir, 'host_ed25519');
  const privateKeyPath = join(dir, 'client_ed25519');
  await Promise.all([generateKey(hostKeyPath), generateKey(privateKeyPath)]);
  const privateKey = await readFile(privateKeyPath);

  const hostPublicKey = stripComment(await readFile(`${hostKeyPath}.pub`, 'utf8'));
  const authorizedKeysPath = join(dir, 'authorized_keys');
  await writeFile(authorizedKeysPath, `${stripComment(await readFile(`${privateKeyPath}.pub`, 'utf8'))}\n`, { mode: 0o644 });

  const port = await freeLoopbackPort();
  const knownHostsPath = join(dir, 'known_hosts');
  await writeFile(knownHostsPath, `[127.0.0.1]:${port} ${hostPublicKey}\n`);
  const configPath = join(dir, 'sshd_config');
  await writeFile(configPath, sshdConfig({ dir, port, hostKeyPath, authorizedKeysPath }));

  // sshd refuses to start without its privilege-separation dir, which only the Debian init script creates.
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const child = await launch(['-D', '-e', '-f', configPath], port);
  // sshd outlives its parent; if a test run dies without stop(), do not leave it behind.
  const reap = (): void => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true }); // 'exit' handlers cannot await
  };
  process.once('exit', reap);

  return {
    host: '127.0.0.1',
    port,
    user,
    privateKeyPath,
    privateKey,
    hostPublicKey,
    knownHostsPath,
    dir,
    stop: async () => {
      process.off('exit', reap);
      await kill(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function generateKey(path: string): Promise<void> {
  await run('ssh-keygen', ['-q', '-N', '', '-t', 'ed25519', '-f', path]);
}

/** "ssh-ed25519 AAAA... root@box\n" → "ssh-ed25519 AAAA..." */
function stripComment(publicKeyLine: string): string {
  return publicKeyLine.trim().split(/\s+/).slice(0, 2).join(' ');
}

function sshdConfig(p: { dir: string; port: number; hostKeyPath: string; authorizedKeysPath: string }): string {
  return [
    `Port ${p.port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${p.hostKeyPath}`,
    `AuthorizedKeysFile ${p.authorizedKeysPath}`,
    `PidFile ${join(p.dir, 'sshd.pid')}`,
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'PermitRootLogin prohibit-password',
    'UsePAM no',
    // The temp dir lives under /tmp, whose sticky-bit world-writable mode StrictModes would reject.
    'StrictModes no',
    'AllowTcpForwarding yes',
    'Subsystem sftp internal-sftp',
    `SetEnv PATH=${SESSION_PATH}`,
    '',
  ].join('\n');
}

/** Starts sshd and resolves once it accepts TCP connections; rejects with its stderr if it dies first. */
function launch(args: string[], port: number): Promise<ChildProcess> {
  return launchUntilReady('sshd', SSHD, args, () => canConnect(port), START_TIMEOUT_MS, `listen on 127.0.0.1:${port}`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}


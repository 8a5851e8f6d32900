/**
 * Abuse helpers for the SSH gateway, shared by its regression tests and `npm run bench:abuse`:
 * a flood of pre-auth connections (raw sockets that send an SSH banner and then stall, as the
 * attacker of issue 17 did) and the time one fresh stock `ssh … echo ok` takes meanwhile. Only
 * for 127.0.0.1 / ::1 targets, bounded in count: this is a load test, not an attack tool.
 */
import { execFile } from 'node:child_process';
import net from 'node:net';

export interface PreAuthOptions {
  /** Send an SSH identification line first (default true); false opens and says nothing. */
  banner?: boolean;
  /** Source address (e.g. 127.0.0.2) so tests can tell per-address limits from the global one. */
  localAddress?: string;
}

export interface PreAuthFlood {
  /** Sockets still open now (the gateway has closed neither them nor refused them yet). */
  open(): number;
  /** Closes every socket and resolves once all are closed. */
  close(): Promise<void>;
}

const MAX_FLOOD = 5000;

function assertLoopback(host: string): void {
  if (!['127.0.0.1', '::1', 'localhost'].includes(host) && !host.startsWith('127.')) throw new Error(`ssh-abuse targets loopback only, not ${host}`);
}

/**
 * Opens `n` connections that send a banner (unless told not to) and then stall; re-opens
 * nothing. Resolves once every connection is either established or already refused.
 */
export async function openPreAuthConnections(host: string, port: number, n: number, o: PreAuthOptions = {}): Promise<PreAuthFlood> {
  assertLoopback(host);
  if (!(n >= 0 && n <= MAX_FLOOD)) throw new Error(`at most ${MAX_FLOOD} connections`);
  const sockets = new Set<net.Socket>();
  const settled: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const s = net.connect({ host, port, localAddress: o.localAddress });
    sockets.add(s);
    // The gateway's own ident line and anything after it are read and dropped, as a stalled client would.
    s.on('data', () => undefined);
    s.on('error', () => undefined);
    s.once('close', () => sockets.delete(s));
    settled.push(new Promise((resolve) => {
      s.once('connect', () => {
        if (o.banner !== false) s.write('SSH-2.0-OpenSSH_9.6 abuse\r\n');
        resolve();
      });
      s.once('close', () => resolve());
    }));
  }
  await Promise.all(settled);
  return {
    open: () => sockets.size,
    close: async () => {
      const all = [...sockets].map((s) => new Promise<void>((resolve) => {
        if (s.destroyed) return resolve();
        s.once('close', () => resolve());
        s.destroy();
      }));
      await Promise.all(all);
    },
  };
}

export interface SshEchoOptions {
  /** An ssh_config file (`ssh -F`) with the alias's HostName, Port, User, IdentityFile… */
  config: string;
  alias: string;
  /** Extra ssh arguments placed before the alias (e.g. ['-b', '127.0.0.2']). */
  args?: string[];
  timeoutMs?: number;
}

/** Milliseconds one fresh stock `ssh -F config alias echo ok` took; throws when it fails. */
export function timeSshEcho(o: SshEchoOptions): Promise<number> {
  const t0 = performance.now();
  const args = ['-F', o.config, '-o', 'BatchMode=yes', ...(o.args ?? []), o.alias, 'echo ok'];
  return new Promise((resolve, reject) => {
    execFile('ssh', args, { timeout: o.timeoutMs ?? 30_000 }, (err, stdout, stderr) => {
      if (err || stdout !== 'ok\n') reject(new Error(`ssh ${args.join(' ')}: ${err ? `exit ${String(err.code ?? err.signal)}` : 'wrong output'}: ${(stderr || stdout).trim()}`));
      else resolve(performance.now() - t0);
    });
  });
}

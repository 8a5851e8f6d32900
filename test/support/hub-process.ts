/** `hubdeck hub serve` as a real child process, with what it prints on start parsed out. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface ServeProcess {
  proc: ChildProcess;
  url: string;
  fingerprint: string | null;
  adminToken: string | null;
  reconciled: string;
  stdout: () => string;
  stderr: () => string;
  /** Sends the signal and resolves with the exit code (or the signal name). */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

const BIN = path.join(__dirname, '../../out/main/cli.js');

export function startServe(args: string[], env: Record<string, string> = {}): Promise<ServeProcess> {
  const proc = spawn(process.execPath, [BIN, 'hub', 'serve', ...args], { env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | string>((resolve) => proc.once('exit', (code, sig) => resolve(code ?? sig ?? -1)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub serve did not start in 30 s:\n${out}\n${err}`)), 30_000);
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`hub serve exited ${code}:\n${out}\n${err}`)); });
    const poll = setInterval(() => {
      const rec = /^reconciled: .*$/m.exec(out);
      if (!rec) return;
      clearInterval(poll);
      clearTimeout(timer);
      resolve({
        proc,
        url: /listening on (\S+)/.exec(out)![1]!,
        fingerprint: /TLS certificate SHA-256 fingerprint: (\S+)/.exec(out)?.[1] ?? null,
        adminToken: /^admin token: (\S+)$/m.exec(out)?.[1] ?? null,
        reconciled: rec[0],
        stdout: () => out,
        stderr: () => err,
        stop: (signal = 'SIGTERM') => { proc.kill(signal); return exited; },
      });
    }, 50);
  });
}

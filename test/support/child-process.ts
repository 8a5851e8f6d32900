/**
 * Starting the real servers tests need (sshd, a registry) as child processes: wait until they are
 * ready, fail with their own last words if they die first, stop them cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

const STDERR_LIMIT = 64 * 1024;

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Spawns `command` and resolves once `isReady()` says so; rejects with its stderr if it exits,
 * cannot start, or is not ready within `timeoutMs` (`readyWhat` words that last case).
 */
export function launchUntilReady(name: string, command: string, args: string[], isReady: () => Promise<boolean>, timeoutMs: number, readyWhat: string): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_LIMIT);
  });
  return new Promise((resolve, reject) => {
    let failed = false;
    const fail = (why: string): void => {
      failed = true;
      child.kill('SIGKILL');
      reject(new Error(`${name} ${why}:\n${stderr.trim()}`));
    };
    // 'close' rather than 'exit': it fires after stderr is drained, so the message holds the last words.
    const onClose = (code: number | null, signal: string | null): void => fail(`exited early (code ${code}, signal ${signal})`);
    child.once('error', (err) => fail(`could not start (${err.message})`));
    child.once('close', onClose);
    poll(isReady, timeoutMs, () => failed || hasExited(child)).then((up) => {
      // After an exit, onClose rejects with the full stderr once the pipe is drained.
      if (failed || hasExited(child)) return;
      if (!up) return fail(`did not ${readyWhat} within ${timeoutMs} ms`);
      child.off('close', onClose);
      resolve(child);
    });
  });
}

/** Polls until `check` is true; false on timeout or when `gaveUp` says so. */
async function poll(check: () => Promise<boolean>, timeoutMs: number, gaveUp: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gaveUp()) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** Asks the kernel for a free port. Someone could grab it before the server binds it; tests accept that race. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port from the kernel'))));
    });
  });
}

export async function kill(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

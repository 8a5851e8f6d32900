/**
 * Exec sessions in a container: stdin, demuxed output (or a TTY), resize, exit code, and close()
 * that really ends the process tree. Docker cannot kill an exec, so each is tagged with an id in
 * its environment, and close() runs a second exec that signals everything carrying it.
 */
import { randomBytes } from 'node:crypto';
import { Duplex, PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { HubdeckError } from '../../core/errors';
import type { ExecOptions, ExecSession } from '../engine';
import { EXEC_ID_VAR, killByExecIdsCommand, signalByExecIdCommand } from '../exec-wrap';

type Call = <T>(fn: () => Promise<T>) => Promise<T>;

export async function dockerExec(docker: Docker, container: Docker.Container, opts: ExecOptions, call: Call): Promise<ExecSession> {
  const tty = opts.tty ?? false;
  const execId = randomBytes(12).toString('hex');
  const env = { ...opts.env, [EXEC_ID_VAR]: execId };
  const exec = await call(() =>
    container.exec({
      Cmd: opts.cmd, AttachStdin: opts.stdin ?? false, AttachStdout: true, AttachStderr: true, Tty: tty,
      Env: Object.entries(env).map(([k, v]) => `${k}=${v}`), WorkingDir: opts.workdir,
      ConsoleSize: tty && opts.cols && opts.rows ? [opts.rows, opts.cols] : undefined,
    } as Docker.ExecCreateOptions),
  );
  // Given up while Docker created it (an SSH client that left, a gateway closing): never started.
  if (opts.signal?.aborted) throw new HubdeckError('unavailable', 'the session ended before its process started');
  const stream = (await call(() => exec.start({ hijack: true, stdin: opts.stdin ?? false, Tty: tty }))) as Duplex;
  // Engines before API 1.42 ignore ConsoleSize: size the TTY right after start as the docker CLI does.
  if (tty && opts.cols && opts.rows) await exec.resize({ w: opts.cols, h: opts.rows }).catch(() => undefined);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  if (tty) stream.pipe(stdout);
  else docker.modem.demuxStream(stream, stdout, stderr);
  const ended = new Promise<void>((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
    // `on`: the hijacked socket stays the session's (stdin) after it ended, and a later error on it
    // with no listener would end the hub.
    stream.on('error', () => resolve());
  });
  ended.then(() => { stdout.end(); stderr.end(); }, () => undefined);
  let closing: Promise<void> | null = null;
  return {
    stdin: opts.stdin ? stream : null,
    stdout,
    stderr,
    resize: async (cols, rows) => { await call(() => exec.resize({ w: cols, h: rows })); },
    exitCode: async () => {
      await ended;
      for (let i = 0; i < 50; i++) {
        const s = await call(() => exec.inspect());
        if (!s.Running) return s.ExitCode ?? -1;
        await new Promise((r) => setTimeout(r, 50));
      }
      return -1;
    },
    signal: async (name) => { await runToEnd(docker, container, signalByExecIdCommand(execId, name)); },
    close: () => (closing ??= (async () => {
      // A container that stopped took its processes with it: nothing left to end. Docker may
      // answer exec start before the process exists, so one closed at once can escape the first
      // scan: while the exec still runs, scan again (a few times, then give up).
      for (let i = 0; i < 3; i++) {
        await killTagged(docker, container, execId).catch(() => undefined);
        const s = await exec.inspect().catch(() => null);
        if (!s?.Running) break;
      }
      stream.destroy();
      stdout.end();
      stderr.end();
    })()),
  };
}

/** Kill requests per container, gathered for one turn of the event loop (see killByExecIdsCommand). */
const killBatches = new Map<string, { ids: string[]; done: Promise<void> }>();

function killTagged(docker: Docker, container: Docker.Container, execId: string): Promise<void> {
  let batch = killBatches.get(container.id);
  if (!batch) {
    const ids: string[] = [];
    const done = new Promise((resolve) => setImmediate(resolve)).then(() => {
      killBatches.delete(container.id);
      return runToEnd(docker, container, killByExecIdsCommand(ids));
    });
    batch = { ids, done };
    killBatches.set(container.id, batch);
  }
  batch.ids.push(execId);
  return batch.done;
}

/** Runs a helper command in the container and waits for it, discarding its output. */
async function runToEnd(docker: Docker, container: Docker.Container, cmd: string[]): Promise<void> {
  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = (await exec.start({ hijack: true, stdin: false })) as Duplex;
  const sink = new PassThrough();
  docker.modem.demuxStream(stream, sink, sink);
  sink.resume();
  await new Promise<void>((resolve) => { stream.once('end', resolve); stream.once('close', resolve); stream.once('error', () => resolve()); });
}

/**
 * Exec in a workspace's pod over the API server's WebSocket (the library's Exec). Kubernetes 1.20
 * speaks channel protocol v4, which cannot half-close stdin: closing it closes the whole exec, so a
 * `cat` fed from stdin would lose its output. Non-TTY stdin therefore travels framed ("<length>\n"
 * then the bytes; "0\n" is end of input) to a fixed decoder script (sh + dd) that gives the command
 * a real end of file. Env and workdir are emulated (exec-wrap.ts); close() and signals reach the
 * process tree through its exec id, since Kubernetes has no call to kill an exec either.
 */
import { randomBytes } from 'node:crypto';
import { PassThrough, Writable } from 'node:stream';
import { Exec, type V1Status } from '@kubernetes/client-node';
import type { ExecOptions, ExecSession } from '../engine';
import { EXEC_ID_VAR, killByExecIdCommand, signalByExecIdCommand, withEnvAndWorkdir } from '../exec-wrap';
import type { KubeClient } from './kube-client';
import { CONTAINER } from './kube-names';

type Socket = Awaited<ReturnType<Exec['exec']>>;

const DECODE = 'while IFS= read -r n && [ "$n" != 0 ]; do dd bs="$n" count=1 iflag=fullblock 2>/dev/null || exit 1; done';
const DECODER = [
  // Lengths are read by the shell (byte by byte, never past the newline); the bytes by dd, exactly.
  // The decoder runs beside the command, feeding it through a FIFO, so the exec ends when the
  // command does even if the client never closes its input (ssh host cmd). Its stdin is passed
  // explicitly: a background job's stdin would otherwise be /dev/null.
  'exec 3<&0',
  'f=$(mktemp -u 2>/dev/null || echo "/tmp/hubdeck-stdin-$$")',
  'if mkfifo -m 600 "$f" 2>/dev/null; then',
  `  { rm -f "$f"; ${DECODE}; } <&3 >"$f" 2>/dev/null &`,
  '  exec "$@" <"$f" 3<&-',
  'fi',
  // No FIFO possible (read-only /tmp): a pipeline, which ends once the input ends too.
  `{ ${DECODE}; } <&3 | "$@"`,
].join('\n');

export function framedStdinCommand(cmd: string[]): string[] {
  return ['/bin/sh', '-c', DECODER, 'hubdeck-stdin', ...cmd];
}

/** The writable end given to callers: frames each chunk, and sends end-of-input on end(). */
function framingWriter(raw: PassThrough): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (chunk.length === 0) return cb();
      raw.write(Buffer.concat([Buffer.from(`${chunk.length}\n`), chunk]), cb);
    },
    final(cb) {
      raw.write('0\n', cb);
    },
    destroy(err, cb) {
      cb(err);
    },
  });
}

/** Exit code from the status the API server sends on channel 3. */
export function exitCodeOf(s: V1Status | null): number {
  if (!s) return -1;
  if (s.status === 'Success') return 0;
  const cause = s.details?.causes?.find((c) => c.reason === 'ExitCode');
  const code = Number(cause?.message);
  return Number.isInteger(code) ? code : -1;
}

export async function kubeExec(client: KubeClient, pod: string, opts: ExecOptions): Promise<ExecSession> {
  const tty = opts.tty ?? false;
  const execId = randomBytes(12).toString('hex');
  const framed = !!opts.stdin && !tty;
  const inner = withEnvAndWorkdir(opts.cmd, { ...opts.env, [EXEC_ID_VAR]: execId }, opts.workdir);
  const cmd = framed ? framedStdinCommand(inner) : inner;
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  // A TTY without stdin loses its output on Kubernetes 1.20 (dockershim): attach an idle stdin.
  const raw = opts.stdin || tty ? new PassThrough() : null;
  let status: V1Status | null = null;
  const exec = new Exec(client.kc);
  const ws: Socket = await exec.exec(client.namespace, pod, CONTAINER, cmd, stdout, tty ? null : stderr, raw, tty, (s) => { status = s; });
  const ended = new Promise<void>((resolve) => {
    ws.on('close', () => resolve());
    ws.on('error', () => resolve());
  });
  void ended.then(() => { stdout.end(); stderr.end(); });
  if (tty && opts.cols && opts.rows) sendResize(ws, opts.cols, opts.rows);
  const helper = async (command: string[]) => {
    const s = await kubeExec(client, pod, { cmd: command });
    s.stdout.resume();
    s.stderr.resume();
    await s.exitCode();
  };
  let closing: Promise<void> | null = null;
  return {
    stdin: raw && opts.stdin ? (framed ? framingWriter(raw) : raw) : null,
    stdout,
    stderr,
    resize: async (cols, rows) => { sendResize(ws, cols, rows); },
    exitCode: async () => {
      await ended;
      return exitCodeOf(status);
    },
    signal: async (name) => { await helper(signalByExecIdCommand(execId, name)); },
    close: () => (closing ??= (async () => {
      // A pod that went took its processes with it: nothing left to end.
      await helper(killByExecIdCommand(execId)).catch(() => undefined);
      ws.close();
      stdout.end();
      stderr.end();
    })()),
  };
}

/** Channel 4 carries terminal sizes as JSON. */
function sendResize(ws: Socket, cols: number, rows: number): void {
  if (ws.readyState !== ws.OPEN) return;
  ws.send(Buffer.concat([Buffer.from([4]), Buffer.from(JSON.stringify({ Width: cols, Height: rows }))]));
}

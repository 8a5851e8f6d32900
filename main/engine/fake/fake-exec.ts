/**
 * An exec session in a fake workspace: the program runs in the fake shell's interpreter, with
 * real Node streams on the outside, so gateways and terminals drive it exactly like `docker exec`.
 * close() and a stopping workspace end the process at once, with the exit code a signal gives.
 */
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import type { ExecOptions, ExecSession } from '../engine';
import type { FsView } from './fake-fs';
import type { FakePorts } from './fake-io';
import { Input, type ProcessContext, type Write } from './fake-io';
import { runProgram } from './fake-shell';
import { Tty } from './fake-tty';
import { errorMessage } from '../../core/errors';

export const SIGTERM_EXIT = 143;
export const SIGKILL_EXIT = 137;
const SIGINT_EXIT = 130;

export interface ExecTarget {
  fs: FsView;
  env: Record<string, string>;
  cwd: string;
  hostname: string;
  ports: FakePorts;
}

export class FakeExecSession implements ExecSession {
  readonly stdin: Writable | null;
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  private readonly input: Input;
  private readonly ctl = new AbortController();
  private readonly tty: Tty | null;
  private finished = false;
  private killedWith: number | null = null;
  private readonly killed: Promise<void>;
  private onKill!: () => void;
  private readonly done: Promise<number>;
  /** Called once the process has ended (the engine stops tracking it). */
  onEnd: (() => void) | null = null;

  constructor(target: ExecTarget, opts: ExecOptions) {
    this.killed = new Promise((r) => (this.onKill = r));
    const input = (this.input = opts.stdin ? new Input() : Input.empty());
    const interrupt: ProcessContext['interrupt'] = { handler: null };
    this.tty = opts.tty
      ? new Tty({ cols: opts.cols ?? 80, rows: opts.rows ?? 24 }, {
          echo: (b) => this.write(this.stdout, b),
          data: (b) => input.push(b),
          interrupt: () => {
            input.discard();
            if (interrupt.handler) interrupt.handler();
            else this.kill(SIGINT_EXIT);
          },
          eof: () => input.pushEof(),
        })
      : null;
    this.stdin = opts.stdin
      ? new Writable({
          write: (chunk: Buffer, _enc, cb) => {
            if (this.tty) this.tty.input(chunk);
            else input.push(chunk);
            cb();
          },
          final: (cb) => {
            input.end();
            cb();
          },
        })
      : null;
    const out: Write = (d) => this.write(this.stdout, this.tty ? this.tty.output(d) : d);
    const err: Write = this.tty ? out : (d) => this.write(this.stderr, d);
    const cwd = opts.workdir ? path.posix.resolve(target.cwd, opts.workdir) : target.cwd;
    const ctx: ProcessContext = {
      args: [], stdin: input, out, err, env: { ...target.env, ...(opts.env ?? {}) }, cwd, fs: target.fs,
      signal: this.ctl.signal, tty: this.tty?.size ?? null, hostname: target.hostname, ports: target.ports, interrupt,
    };
    this.done = this.run(opts.cmd, ctx, target.fs.isDir(cwd));
  }

  private write(s: PassThrough, d: Buffer | string): void {
    if (!this.finished) s.write(d);
  }

  private async run(cmd: string[], ctx: ProcessContext, cwdExists: boolean): Promise<number> {
    const program = cwdExists
      ? runProgram(cmd, ctx, (a) => `exec failed: unable to start container process: exec: "${a}": executable file not found in $PATH: not found\n`).catch((e: unknown) => {
          ctx.err(`fake exec: ${errorMessage(e)}\n`);
          return 126;
        })
      : Promise.resolve((ctx.err(`exec failed: unable to start container process: chdir to cwd ("${ctx.cwd}") failed: no such file or directory\n`), 126));
    const code = await Promise.race([program, this.killed.then(() => -1)]);
    this.finished = true;
    this.stdout.end();
    this.stderr.end();
    this.onEnd?.();
    return this.killedWith ?? code;
  }

  /** Ends the process as a signal would; the exit code says which. */
  kill(code: number): void {
    if (this.finished || this.killedWith !== null) return;
    this.killedWith = code;
    this.ctl.abort();
    this.input.end();
    this.onKill();
  }

  async resize(cols: number, rows: number): Promise<void> {
    if (this.tty) Object.assign(this.tty.size, { cols, rows });
  }

  exitCode(): Promise<number> {
    return this.done;
  }

  async close(): Promise<void> {
    this.kill(SIGTERM_EXIT);
    await this.done;
  }
}

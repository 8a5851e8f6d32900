/**
 * The fake shell and command dispatch: `sh -c SCRIPT`, `sh FILE`, and `sh` reading commands from
 * stdin (with a prompt on a terminal, as an SSH login shell). Its own builtins are those that change
 * the shell itself (exit, cd, export, read, exec, :); the rest are fake-commands' programs.
 */
import path from 'node:path';
import { COMMANDS } from './fake-commands';
import { Input, type ProcessContext, type Write } from './fake-io';
import { parseScript, ShellSyntaxError, type AndOr, type Pipeline, type SimpleCommand, type Word } from './fake-shell-parse';

const BIN_DIRS = new Set(['/bin', '/usr/bin', '/sbin', '/usr/sbin', '/usr/local/bin']);
const SHELLS = new Set(['sh', 'ash', 'bash']);

/** The program an argv[0] names ("/bin/sh" → "sh"), or null when no such program exists. */
function programOf(arg0: string): string | null {
  const name = arg0.includes('/') ? (BIN_DIRS.has(path.posix.dirname(arg0)) ? path.posix.basename(arg0) : null) : arg0;
  return name !== null && (SHELLS.has(name) || name in COMMANDS) ? name : null;
}

/** Runs a program; `notFound` words the 127 message (the shell's or the engine's). */
export async function runProgram(argv: string[], ctx: ProcessContext, notFound = (a: string) => `sh: ${a}: not found\n`): Promise<number> {
  const arg0 = argv[0] ?? '';
  const name = programOf(arg0);
  if (name === null) {
    ctx.err(notFound(arg0));
    return 127;
  }
  const c = { ...ctx, args: argv.slice(1) };
  return SHELLS.has(name) ? sh(c) : COMMANDS[name]!(c, (a, x) => runProgram(a, x));
}

async function sh(ctx: ProcessContext): Promise<number> {
  const args = [...ctx.args];
  let script: string | null = null;
  while (args[0]?.startsWith('-') && args[0] !== '-') {
    const opt = args.shift()!;
    if (opt.includes('c')) {
      script = args.shift() ?? null;
      if (script === null) return (ctx.err('sh: -c requires an argument\n'), 2);
      break;
    }
  }
  if (script === null && args.length) {
    const file = ctx.fs.read(path.posix.resolve(ctx.cwd, args[0]!));
    if (typeof file === 'string') return (ctx.err(`sh: can't open '${args[0]}': ${file}\n`), 2);
    script = file.toString('utf8');
  }
  const shell = new Shell(ctx, script === null ? ['sh'] : args.length ? args : ['sh']);
  return script === null ? shell.repl() : shell.run(script);
}

class ExitSignal {
  constructor(readonly code: number) {}
}

class Shell {
  private readonly vars: Record<string, string>;
  private cwd: string;
  private last = 0;
  /** Set by exit/exec, so the read loop ends too. */
  private exited: number | null = null;

  constructor(private readonly ctx: ProcessContext, private readonly positional: string[]) {
    this.vars = { ...ctx.env };
    this.cwd = ctx.cwd;
  }

  /** Runs a whole script; a syntax error runs nothing (exit 2), as in sh. */
  async run(src: string, signal = this.ctx.signal): Promise<number> {
    let script;
    try {
      script = parseScript(src);
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      this.ctx.err(`sh: syntax error: ${e.message}\n`);
      return (this.last = 2);
    }
    try {
      for (const a of script) {
        if (signal.aborted) break;
        this.last = await this.andOr(a, signal);
      }
    } catch (e) {
      if (e instanceof ExitSignal) return (this.last = e.code);
      throw e;
    }
    return this.last;
  }

  /** Reads commands line by line from stdin; prompts, and lets ^C interrupt one command, on a terminal. */
  async repl(): Promise<number> {
    const prompt = () => { if (this.ctx.tty) this.ctx.out(`${this.cwd} # `); };
    const interrupt = this.ctx.interrupt;
    try {
      for (;;) {
        prompt();
        const lineCtl = new AbortController();
        let reading = true;
        // ^C while typing drops the line and prompts again; while a command runs, ends that command.
        interrupt.handler = () => {
          if (reading) {
            this.ctx.out('\n');
            prompt();
          } else lineCtl.abort();
        };
        const line = await this.ctx.stdin.readLine(() => (reading = false));
        if (line === null || this.ctx.signal.aborted) return this.last;
        const stopLine = () => lineCtl.abort();
        this.ctx.signal.addEventListener('abort', stopLine, { once: true });
        const code = await this.run(line, lineCtl.signal);
        this.ctx.signal.removeEventListener('abort', stopLine);
        if (lineCtl.signal.aborted && !this.ctx.signal.aborted) {
          this.ctx.out('\n');
          this.last = 130;
        } else this.last = code;
        if (this.exited !== null) return this.exited;
      }
    } finally {
      interrupt.handler = null;
    }
  }

  private async andOr(a: AndOr, signal: AbortSignal): Promise<number> {
    let code = await this.pipeline(a.first, signal);
    for (const { op, pipeline } of a.rest) {
      if (signal.aborted) break;
      if ((op === '&&') === (code === 0)) code = await this.pipeline(pipeline, signal);
    }
    return code;
  }

  private async pipeline(p: Pipeline, signal: AbortSignal): Promise<number> {
    if (p.length === 1) return this.simple(p[0]!, { stdin: this.ctx.stdin, out: this.ctx.out, err: this.ctx.err }, signal);
    const pipes = p.slice(1).map(() => new Input());
    const codes = await Promise.all(
      p.map(async (cmd, i) => {
        const io = { stdin: i === 0 ? this.ctx.stdin : pipes[i - 1]!, out: i < pipes.length ? (d: Buffer | string) => pipes[i]!.push(Buffer.from(d)) : this.ctx.out, err: this.ctx.err };
        try {
          return await this.simple(cmd, io, signal);
        } finally {
          pipes[i]?.end();
        }
      }),
    );
    return codes[codes.length - 1]!;
  }

  private expand(w: Word): string {
    return w.map((s) => ('lit' in s ? s.lit : this.param(s.param))).join('');
  }

  private param(name: string): string {
    if (name === '?') return String(this.last);
    if (name === '$') return '1';
    if (name === '#') return String(Math.max(0, this.positional.length - 1));
    if (/^\d$/.test(name)) return this.positional[Number(name)] ?? '';
    return this.vars[name] ?? '';
  }

  private async simple(cmd: SimpleCommand, io: { stdin: Input; out: Write; err: Write }, signal: AbortSignal): Promise<number> {
    const words = cmd.words.map((w) => this.expand(w));
    const assigns: Record<string, string> = {};
    while (words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!)) {
      const a = words.shift()!;
      assigns[a.slice(0, a.indexOf('='))] = a.slice(a.indexOf('=') + 1);
    }
    const fds = { 0: io.stdin as Input, 1: io.out, 2: io.err };
    for (const r of cmd.redirects) {
      if (r.op === '>&') {
        const target = r.target === 2 ? fds[2] : fds[1];
        if (r.fd === 1) fds[1] = target;
        else fds[2] = target;
        continue;
      }
      const name = this.expand(r.target as Word);
      const p = path.posix.resolve(this.cwd, name);
      if (r.op === '<') {
        const data = this.ctx.fs.read(p);
        if (typeof data === 'string') return (io.err(`sh: can't open '${name}': ${data}\n`), 1);
        fds[0] = Input.of(data);
        continue;
      }
      const why = this.ctx.fs.write(p, Buffer.alloc(0), r.op === '>>');
      if (why) return (io.err(`sh: can't create ${name}: ${why}\n`), 1);
      const toFile: Write = (d) => void this.ctx.fs.write(p, Buffer.from(d), true);
      if (r.fd === 2) fds[2] = toFile;
      else fds[1] = toFile;
    }
    if (words.length === 0) {
      Object.assign(this.vars, assigns);
      return 0;
    }
    const [name, ...args] = words as [string, ...string[]];
    const ctx: ProcessContext = { ...this.ctx, args, stdin: fds[0], out: fds[1], err: fds[2], env: { ...this.vars, ...assigns }, cwd: this.cwd, signal };
    switch (name) {
      case 'exit':
        throw new ExitSignal((this.exited = args[0] !== undefined ? Number(args[0]) & 255 : this.last));
      case ':':
        return 0;
      case 'cd': {
        const to = path.posix.resolve(this.cwd, args[0] ?? this.vars.HOME ?? '/');
        if (!this.ctx.fs.isDir(to)) return (fds[2](`sh: cd: can't cd to ${args[0]}: No such file or directory\n`), 2);
        this.cwd = to;
        this.vars.PWD = to;
        return 0;
      }
      case 'export':
        for (const a of args) if (a.includes('=')) this.vars[a.slice(0, a.indexOf('='))] = a.slice(a.indexOf('=') + 1);
        return 0;
      case 'read': {
        const line = await fds[0].readLine();
        if (args[0]) this.vars[args[0]] = line ?? '';
        return line === null ? 1 : 0;
      }
      case 'exec':
        throw new ExitSignal((this.exited = args.length ? await runProgram(args, ctx) : 0));
      default:
        return runProgram(words, ctx);
    }
  }
}

/**
 * The programs of the fake workspace "image": enough of busybox for exec, gateway and terminal tests
 * (echo, printf, cat, sleep, pwd, printenv, env, true, false, ls, rm, mkdir, touch, test/[, seq,
 * hostname, whoami, id, uname, tty, stty, and httpd from fake-httpd.ts). Messages follow busybox's wording where tests may match.
 */
import path from 'node:path';
import type { ProcessContext } from './fake-io';
import { httpd } from './fake-httpd';

export type Runner = (argv: string[], ctx: ProcessContext) => Promise<number>;
export type Command = (ctx: ProcessContext, run: Runner) => number | Promise<number>;

const abs = (ctx: ProcessContext, p: string) => path.posix.resolve(ctx.cwd, p);
const flags = (args: string[]) => new Set(args.filter((a) => /^-[a-zA-Z]+$/.test(a)).flatMap((a) => [...a.slice(1)]));
const operands = (args: string[]) => args.filter((a) => !/^-[a-zA-Z]+$/.test(a));

function escapes(s: string): string {
  return s.replace(/\\([nrt\\0]|c)/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t', '\\': '\\', '0': '\0', c: '' })[c] ?? c);
}

function printf(args: string[]): string {
  const [format = '', ...rest] = args;
  let out = '';
  let i = 0;
  do {
    let used = false;
    out += escapes(format).replace(/%([%sdb])/g, (_, c: string) => {
      if (c === '%') return '%';
      used = true;
      const v = rest[i++] ?? '';
      if (c === 'd') return String(Number.parseInt(v, 10) || 0);
      return c === 'b' ? escapes(v) : v;
    });
    if (!used) break;
  } while (i < rest.length);
  return out;
}

function sleep(ctx: ProcessContext): Promise<number> | number {
  const arg = ctx.args[0] ?? '';
  const secs = arg === 'infinity' ? Infinity : Number(arg.replace(/s$/, ''));
  if (!Number.isFinite(secs) && secs !== Infinity) return (ctx.err(`sleep: invalid number '${arg}'\n`), 1);
  return new Promise((resolve) => {
    const t = secs === Infinity ? null : setTimeout(() => resolve(0), secs * 1000);
    ctx.signal.addEventListener('abort', () => { if (t) clearTimeout(t); resolve(0); }, { once: true });
  });
}

async function cat(ctx: ProcessContext): Promise<number> {
  const files = ctx.args.length ? ctx.args : ['-'];
  let code = 0;
  for (const f of files) {
    if (f === '-') {
      for (let b = await ctx.stdin.read(); b && !ctx.signal.aborted; b = await ctx.stdin.read()) ctx.out(b);
      continue;
    }
    const data = ctx.fs.read(abs(ctx, f));
    if (typeof data === 'string') {
      ctx.err(`cat: can't open '${f}': ${data}\n`);
      code = 1;
    } else ctx.out(data);
  }
  return code;
}

function printenv(ctx: ProcessContext): number {
  if (ctx.args.length === 0) return (ctx.out(envText(ctx.env)), 0);
  let code = 0;
  for (const name of ctx.args) {
    if (name in ctx.env) ctx.out(`${ctx.env[name]}\n`);
    else code = 1;
  }
  return code;
}

const envText = (env: Record<string, string>) => Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join('');

async function env(ctx: ProcessContext, run: Runner): Promise<number> {
  const vars = { ...ctx.env };
  let i = 0;
  for (; i < ctx.args.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(ctx.args[i]!); i++) {
    const a = ctx.args[i]!;
    vars[a.slice(0, a.indexOf('='))] = a.slice(a.indexOf('=') + 1);
  }
  if (i === ctx.args.length) return (ctx.out(envText(vars)), 0);
  return run(ctx.args.slice(i), { ...ctx, env: vars });
}

function ls(ctx: ProcessContext): number {
  const all = flags(ctx.args).has('a');
  const targets = operands(ctx.args);
  let code = 0;
  for (const t of targets.length ? targets : ['.']) {
    const p = abs(ctx, t);
    if (ctx.fs.isFile(p)) ctx.out(`${t}\n`);
    else {
      const names = ctx.fs.list(p);
      if (names) ctx.out(names.filter((n) => all || !n.startsWith('.')).map((n) => `${n}\n`).join(''));
      else {
        ctx.err(`ls: ${t}: No such file or directory\n`);
        code = 1;
      }
    }
  }
  return code;
}

function fileOp(name: string, op: (ctx: ProcessContext, p: string, f: Set<string>) => string | null): Command {
  return (ctx) => {
    const f = flags(ctx.args);
    let code = 0;
    for (const t of operands(ctx.args)) {
      const why = op(ctx, abs(ctx, t), f);
      if (why) {
        ctx.err(`${name}: ${name === 'rm' ? "can't remove" : "can't create"} '${t}': ${why}\n`);
        code = 1;
      }
    }
    return code;
  };
}

function test(args: string[], fs: ProcessContext['fs'], cwd: string): boolean {
  if (args[0] === '!') return !test(args.slice(1), fs, cwd);
  if (args.length === 0) return false;
  if (args.length === 1) return args[0] !== '';
  const [a, b, c] = args as [string, string, string?];
  if (args.length === 2) {
    const p = path.posix.resolve(cwd, b);
    const unary: Record<string, () => boolean> = { '-f': () => fs.isFile(p), '-d': () => fs.isDir(p), '-e': () => fs.isFile(p) || fs.isDir(p), '-n': () => b !== '', '-z': () => b === '' };
    return unary[a]?.() ?? false;
  }
  const n = (x: string | undefined) => Number(x);
  const binary: Record<string, boolean> = { '=': a === c, '==': a === c, '!=': a !== c, '-eq': n(a) === n(c), '-ne': n(a) !== n(c), '-lt': n(a) < n(c), '-gt': n(a) > n(c) };
  return binary[b] ?? false;
}

export const COMMANDS: Record<string, Command> = {
  echo: (ctx) => {
    const noNewline = ctx.args[0] === '-n';
    ctx.out(`${(noNewline ? ctx.args.slice(1) : ctx.args).join(' ')}${noNewline ? '' : '\n'}`);
    return 0;
  },
  printf: (ctx) => (ctx.out(printf(ctx.args)), 0),
  cat,
  sleep,
  httpd,
  pwd: (ctx) => (ctx.out(`${ctx.cwd}\n`), 0),
  printenv,
  env,
  true: () => 0,
  false: () => 1,
  ls,
  rm: fileOp('rm', (ctx, p, f) => (f.has('f') && !ctx.fs.isFile(p) ? null : ctx.fs.remove(p))),
  mkdir: fileOp('mkdir', (ctx, p, f) => ctx.fs.mkdir(p, f.has('p'))),
  touch: fileOp('touch', (ctx, p) => ctx.fs.write(p, Buffer.alloc(0), true)),
  test: (ctx) => (test(ctx.args, ctx.fs, ctx.cwd) ? 0 : 1),
  '[': (ctx) => {
    if (ctx.args[ctx.args.length - 1] !== ']') return (ctx.err('[: missing ]\n'), 2);
    return test(ctx.args.slice(0, -1), ctx.fs, ctx.cwd) ? 0 : 1;
  },
  seq: (ctx) => {
    const [a, b] = ctx.args.map(Number);
    const [from, to] = b === undefined ? [1, a ?? 0] : [a ?? 1, b];
    let s = '';
    for (let i = from; i <= to; i++) s += `${i}\n`;
    return (ctx.out(s), 0);
  },
  hostname: (ctx) => (ctx.out(`${ctx.hostname}\n`), 0),
  whoami: (ctx) => (ctx.out('root\n'), 0),
  id: (ctx) => (ctx.out('uid=0(root) gid=0(root) groups=0(root)\n'), 0),
  uname: (ctx) => (ctx.out(ctx.args.includes('-a') ? `Linux ${ctx.hostname} 6.1.0-hubdeck-fake x86_64 GNU/Linux\n` : 'Linux\n'), 0),
  tty: (ctx) => (ctx.tty ? (ctx.out('/dev/pts/0\n'), 0) : (ctx.out('not a tty\n'), 1)),
  stty: (ctx) => {
    if (!ctx.tty) return (ctx.err('stty: standard input: Not a tty\n'), 1);
    if (ctx.args[0] === 'size') ctx.out(`${ctx.tty.rows} ${ctx.tty.cols}\n`);
    return 0;
  },
};

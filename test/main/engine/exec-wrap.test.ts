/**
 * The exec helpers run for real: each produced argv is executed with this machine's /bin/sh (the
 * same POSIX shell family as the busybox and Debian images), so quoting, positional arguments and
 * the kill-by-environment scan are proven rather than string-compared.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EXEC_ID_VAR, killByExecIdCommand, withEnvAndWorkdir } from '../../../main/engine/exec-wrap';

function run(argv: string[], env: NodeJS.ProcessEnv = { PATH: process.env.PATH }): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(argv[0]!, argv.slice(1), { env, cwd: '/' }, (e, out, err) => {
      const code = e ? (typeof e.code === 'number' ? e.code : -1) : 0;
      resolve({ code, out, err });
    });
  });
}

describe('withEnvAndWorkdir', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exec wrap $(x) '));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('returns the command untouched when there is nothing to add', () => {
    expect(withEnvAndWorkdir(['ls', '-l'])).toEqual(['ls', '-l']);
    expect(withEnvAndWorkdir(['ls'], {}, '')).toEqual(['ls']);
  });

  it('passes hostile values and arguments through as data, never as shell text', async () => {
    const env = {
      QUOTES: `it's "quoted" \`x\``,
      SUBST: '$(touch /tmp/pwned-by-exec-wrap); $HOME ${PATH}',
      NEWLINE: 'one\ntwo',
      EQUALS: 'a=b=c',
      EMPTY: '',
      // Names the script could have used for itself must not change how it runs.
      n: 'x', i: '-1', IFS: '/', ENDED: '--',
    };
    const script = 'pwd; printf "%s|" "$QUOTES" "$SUBST" "$NEWLINE" "$EQUALS" "$EMPTY" "$n" "$i" "$ENDED"; printf "%s|" "$@"';
    const r = await run(withEnvAndWorkdir(['sh', '-c', script, 'arg0', '--', '$(id)', 'two words'], env, dir));
    expect(r).toEqual({ code: 0, err: '', out: `${dir}\n${[env.QUOTES, env.SUBST, env.NEWLINE, env.EQUALS, '', 'x', '-1', '--'].join('|')}|--|$(id)|two words|` });
    expect(fs.existsSync('/tmp/pwned-by-exec-wrap')).toBe(false);
  });

  it('keeps the command\'s own arguments, "--" included, and its exit code', async () => {
    const r = await run(withEnvAndWorkdir(['sh', '-c', 'printf "%s," "$@"; exit 5', 'x', '--', '-', 'K=V'], { A: '1' }));
    expect(r).toEqual({ code: 5, out: '--,-,K=V,', err: '' });
  });

  it('runs in the working directory even when it starts with a dash', async () => {
    const dashed = path.join(dir, '-d');
    fs.mkdirSync(dashed);
    const r = await run(withEnvAndWorkdir(['pwd'], {}, dashed));
    expect(r.out).toBe(`${dashed}\n`);
  });

  it('fails with 127 and the shell\'s message when the directory does not exist', async () => {
    const r = await run(withEnvAndWorkdir(['true'], {}, path.join(dir, 'missing')));
    expect(r.code).toBe(127);
    expect(r.err).toMatch(/missing/);
  });

  it('refuses names that are not variables, NULs and an empty command', () => {
    expect(() => withEnvAndWorkdir(['x'], { 'A B': '1' })).toThrow(/not an environment variable name/);
    expect(() => withEnvAndWorkdir(['x'], { '1A': '1' })).toThrow(/not an environment variable name/);
    expect(() => withEnvAndWorkdir(['x'], { 'A=B': '1' })).toThrow(/not an environment variable name/);
    expect(() => withEnvAndWorkdir(['x'], { A: 'a\0b' })).toThrow(/NUL/);
    expect(() => withEnvAndWorkdir(['x'], {}, '/a\0b')).toThrow(/NUL/);
    expect(() => withEnvAndWorkdir([], { A: '1' })).toThrow(/no command/);
  });
});

describe('killByExecIdCommand', () => {
  const started: ChildProcess[] = [];
  afterEach(() => {
    for (const c of started.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  const newId = () => randomBytes(12).toString('hex');

  /** Pids of live (non-zombie) processes whose environment has exactly this entry. */
  function tagged(entry: string): number[] {
    const out: number[] = [];
    for (const p of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        if (fs.readFileSync(`/proc/${p}/environ`, 'latin1').split('\0').includes(entry)) out.push(Number(p));
      } catch {
        // ended meanwhile, or not ours to read
      }
    }
    return out;
  }

  /** Starts `script` with the exec id in its environment and waits until `count` processes carry it. */
  async function startTagged(script: string, value: string, count: number): Promise<ChildProcess> {
    const child = spawn('/bin/sh', ['-c', script], { env: { PATH: process.env.PATH, [EXEC_ID_VAR]: value }, stdio: 'ignore' });
    started.push(child);
    await until(() => tagged(`${EXEC_ID_VAR}=${value}`).length >= count);
    return child;
  }

  it('ends a process and everything it started, and nothing else', async () => {
    const id = newId();
    await startTagged('sleep 1000 & sleep 1001 & wait', id, 3);
    // Look-alike entries (a longer id, a prefix) are other sessions and must survive.
    await startTagged('exec sleep 1002', `${id}0`, 1);
    await startTagged('exec sleep 1003', id.slice(0, -1), 1);
    const r = await run(killByExecIdCommand(id));
    expect(r).toMatchObject({ code: 0 });
    expect(tagged(`${EXEC_ID_VAR}=${id}`)).toEqual([]);
    expect(tagged(`${EXEC_ID_VAR}=${id}0`)).toHaveLength(1);
    expect(tagged(`${EXEC_ID_VAR}=${id.slice(0, -1)}`)).toHaveLength(1);
  });

  it('kills what ignores TERM and HUP after the grace period', async () => {
    const id = newId();
    // Ignored signals stay ignored across exec, so the sleep ignores them too.
    await startTagged('trap "" TERM HUP; sleep 1000 & wait', id, 2);
    const t0 = Date.now();
    expect((await run(killByExecIdCommand(id))).code).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1500);
    await until(() => tagged(`${EXEC_ID_VAR}=${id}`).length === 0);
  });

  it('is a quick no-op when nothing carries the id (a second close)', async () => {
    const t0 = Date.now();
    expect((await run(killByExecIdCommand(newId()))).code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it('accepts only hex ids, so nothing else can reach the script', () => {
    for (const bad of ['', 'abc', `${newId()}; reboot`, 'G'.repeat(24), `$(${newId()})`]) {
      expect(() => killByExecIdCommand(bad)).toThrow(/not an exec id/);
    }
  });
});

async function until(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Commands are loaded by name: the one argv names, or all of them for help and unknown names. */
import { describe, expect, it } from 'vitest';
import { commandName, runCli, wantsJson } from '../../../main/cli/program';

const capture = () => {
  let out = '';
  let err = '';
  return { io: { out: (t: string) => { out += t; }, err: (t: string) => { err += t; }, env: {} }, text: () => ({ out, err }) };
};

describe('the command a CLI call names', () => {
  it('skips global options and their values', () => {
    expect(commandName(['--user', 'alice', 'workspace', 'list'])).toBe('workspace');
    expect(commandName(['--data', 'workspace', 'user', 'list'])).toBe('user'); // "workspace" is --data's value
    expect(commandName(['--json', 'hub', 'info'])).toBe('hub');
    expect(commandName(['ssh-config', '--dry-run'])).toBe('ssh-config');
  });

  it('is none for help, no command, an option terminator or a name that is no command', () => {
    for (const argv of [[], ['--help'], ['help', 'workspace'], ['--', 'workspace'], ['wrokspace', 'list'], ['constructor']]) expect(commandName(argv)).toBeNull();
  });

  it('hubdeck --help still lists every command, and a typo is refused with all of them loaded', async () => {
    const help = capture();
    expect(await runCli(['--help'], help.io)).toBe(0);
    for (const c of ['workspace', 'user', 'group', 'token', 'key', 'image', 'settings', 'cleanup', 'hub', 'ui', 'ssh-config', 'ssh-proxy', 'tunnel']) {
      expect(help.text().out).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    }
    const typo = capture();
    expect(await runCli(['wrokspace', 'list'], typo.io)).toBe(2);
    expect(typo.text().err).toMatch(/unknown command 'wrokspace'/);
  });
});

describe('--json on failure: exactly one JSON document on stdout (README: "exactly one JSON document")', () => {
  it.each([
    ['bad input before any hub opens', ['--json', '--user', 'alice', 'workspace', 'create', 'Bad_Name'], 2, 'invalid'],
    ['an unknown command', ['--json', 'wrokspace', 'list'], 2, 'invalid'],
    ['an unreachable hub', ['--json', '--hub', 'https://127.0.0.1:1', '--token', 'hdk_x', 'workspace', 'list'], 5, 'unavailable'],
  ])('%s', async (_what, argv, exit, code) => {
    const run = capture();
    expect(await runCli(argv, run.io)).toBe(exit);
    const doc = JSON.parse(run.text().out) as { error: { code: string; message: string } };
    expect(doc.error.code).toBe(code);
    expect(doc.error.message.length).toBeGreaterThan(0);
    expect(run.text().err).not.toBe(''); // and the line for people stays on stderr
  });

  it('prints nothing on stdout for a failure without --json, and reads --json only before --', async () => {
    const run = capture();
    expect(await runCli(['--user', 'alice', 'workspace', 'create', 'Bad_Name'], run.io)).toBe(2);
    expect(run.text().out).toBe('');
    expect(wantsJson(['workspace', 'ssh', 'x', '--', '--json'])).toBe(false);
    expect(wantsJson(['workspace', 'list', '--json'])).toBe(true);
  });
});

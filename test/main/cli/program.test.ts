/** Commands are loaded by name: the one argv names, or all of them for help and unknown names. */
import { describe, expect, it } from 'vitest';
import { commandName, runCli } from '../../../main/cli/program';

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

/**
 * The managed ssh config block, property-tested (fast-check) over random existing configs — Host *,
 * Match, Include, comments, options, CRLF, a byte-order mark, no final newline: insert then remove
 * gives back every byte; writing twice changes nothing; the block sits before the first Host/Match
 * (or closes with `Match all`); 1,000 random write/remove cycles never damage the file; hostile
 * names never become config lines; broken markers are refused.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BEGIN_MARKER, END_MARKER, blockEntries, findBlock, hostLines, withBlock, type SshHostEntry } from '../../../main/access/ssh-config-block';

const LINES = [
  'Host *', '  ServerAliveInterval 30', 'Match host *.corp exec "true"', 'Include ~/.ssh/conf.d/*', '# a comment', '', '   ',
  'IdentityFile ~/.ssh/id_ed25519', 'host lowercase', '\tUser me', 'HostName example.org', '  # indented comment', 'StrictHostKeyChecking ask',
];
const config = fc.record({
  lines: fc.array(fc.oneof(fc.constantFrom(...LINES), fc.stringMatching(/^[ -~]{0,30}$/)), { maxLength: 25 }),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  finalNewline: fc.boolean(),
}).map(({ lines, crlf, bom, finalNewline }) => {
  const eol = crlf ? '\r\n' : '\n';
  const body = lines.filter((l) => !/HUBDECK/.test(l)).join(eol);
  return `${bom ? '\uFEFF' : ''}${body}${finalNewline && body ? eol : ''}`;
});

const entry = (alias: string): SshHostEntry => ({ alias, hostName: '127.0.0.1', port: 2222, user: 'alice', identityFile: '/home/a/.hubdeck/id_ed25519', knownHostsFile: '/home/a/.hubdeck/known_hosts' });
const block = (...aliases: string[]) => hostLines(aliases.map(entry));

describe('the managed ssh config block', () => {
  it('inserted then removed, leaves every other byte exactly as it was', () => {
    fc.assert(fc.property(config, (text) => {
      const written = withBlock(text, block('nb.lab', 'gpu1.lab'));
      expect(withBlock(written, null)).toBe(text);
      expect(withBlock(written, block('nb.lab', 'gpu1.lab'))).toBe(written); // a second run changes nothing
    }), { numRuns: 2000 });
  });

  it('goes before the first Host/Match, or closes with Match all so global options stay global', () => {
    fc.assert(fc.property(config, (text) => {
      const written = withBlock(text, block('nb.lab'));
      const lines = written.replace(/^\uFEFF/, '').split(/\r?\n/);
      const begin = lines.indexOf(BEGIN_MARKER);
      const end = lines.indexOf(END_MARKER);
      const firstHost = lines.findIndex((l, i) => (i < begin || i > end) && /^\s*(host|match)\b/i.test(l));
      if (firstHost >= 0) {
        expect(firstHost).toBe(end + 1);
        expect(lines[end - 1]).not.toBe('Match all');
      } else {
        expect(begin).toBe(0);
        expect(lines[end - 1]).toBe('Match all');
      }
      if (text.includes('\r\n')) expect(written.replace(/\r\n/g, '')).not.toMatch(/\n/);
    }), { numRuns: 2000 });
  });

  it('survives 1,000 random write/remove cycles with its file intact', () => {
    fc.assert(fc.property(config, fc.array(fc.oneof(fc.constant(null), fc.array(fc.constantFrom('a.lab', 'b.lab', 'c.lab'), { minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 20 }), (text, ops) => {
      let cur = text;
      for (const op of ops) {
        cur = withBlock(cur, op === null ? null : block(...op));
        const span = findBlock(cur);
        expect(span === null).toBe(op === null);
      }
      expect(withBlock(cur, null)).toBe(text);
    }), { numRuns: 1000 });
  });

  it('never turns hostile names or paths into config lines', () => {
    for (const alias of ['nb.lab\nHost *', 'nb lab', 'NB', '-oProxyCommand=x', 'a"b', '']) expect(() => block(alias)).toThrow(/^alias: [\s\S]* is not a host alias$/);
    expect(() => hostLines([{ ...entry('ok'), identityFile: '/x"\n  ProxyCommand evil' }])).toThrow(/cannot be written safely/);
    expect(() => hostLines([{ ...entry('ok'), user: 'a b' }])).toThrow(/is not a user name for ssh/);
    expect(() => hostLines([{ ...entry('ok'), hostName: 'h\nProxyCommand x' }])).toThrow(/is not a host and user/);
    expect(() => hostLines([{ ...entry('ok'), proxyCommand: ["/bin/x'; rm -rf ~; '"] }])).toThrow(/cannot be written safely/);
    expect(() => hostLines([{ ...entry('ok'), proxyCommand: ['/bin/x', 'a\nHost *'] }])).toThrow(/cannot be written safely/);
    fc.assert(fc.property(fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 4 }), (words) => {
      try {
        const lines = hostLines([{ ...entry('ok'), proxyCommand: words }]);
        const proxy = lines.find((l) => l.startsWith('  ProxyCommand '))!;
        // Every word is one single-quoted shell word with %-tokens escaped: nothing else can run.
        expect(proxy).toBe(`  ProxyCommand ${words.map((w) => `'${w.replaceAll('%', '%%')}'`).join(' ')}`);
        expect(lines.every((l) => !/[\r\n]/.test(l))).toBe(true);
      } catch (e) {
        expect((e as Error).message).toMatch(/cannot be written safely/);
      }
    }), { numRuns: 2000 });
    fc.assert(fc.property(fc.string(), (alias) => {
      try {
        const lines = block(alias);
        expect(lines.every((l) => !/[\r\n]/.test(l))).toBe(true);
      } catch (e) {
        expect((e as Error).message).toMatch(/not a host alias/);
      }
    }), { numRuns: 2000 });
  });

  it('reads back the entries it wrote, so one hub can be rewritten while the others stay', () => {
    const viaProxy: SshHostEntry = { alias: 'nb.hubdeck', proxyCommand: ['/usr/bin/node', '/opt/hubdeck/bin/hubdeck.js', 'ssh-proxy'], user: 'alice.nb', identityFile: '/h/.ssh/hubdeck/hubdeck_ed25519', knownHostsFile: '/h/.ssh/hubdeck/hubdeck_known_hosts', hostKeyAlias: 'hubdeck-hubdeck' };
    const lines = hostLines([entry('a.lab'), viaProxy]);
    expect(lines).toContain("  ProxyCommand '/usr/bin/node' '/opt/hubdeck/bin/hubdeck.js' 'ssh-proxy'");
    expect(lines).toContain('  HostKeyAlias hubdeck-hubdeck');
    expect(lines.filter((l) => l.startsWith('  HostName'))).toHaveLength(1);
    const text = withBlock('Host x\r\n  User y\r\n', lines);
    const back = blockEntries(text);
    expect([...back.keys()]).toEqual(['a.lab', 'nb.hubdeck']);
    expect([...back.values()].flat()).toEqual(lines);
    expect(blockEntries('Host x\n').size).toBe(0);
  });

  it('refuses a file whose markers are broken or repeated, and changes nothing', () => {
    const good = withBlock('Host x\n', block('a.lab'));
    for (const bad of [
      `${BEGIN_MARKER}\nHost a\n`,
      `${END_MARKER}\n${BEGIN_MARKER}\n${END_MARKER}\n`,
      `${good}${good}`,
      `Host x\n${END_MARKER}\n`,
      '# ------------ BEGIN HUBDECK (edited by hand)\nHost a\n',
    ]) {
      expect(() => withBlock(bad, block('a.lab'))).toThrow(/the Hubdeck block is damaged .* the file was not changed/);
      expect(() => withBlock(bad, null)).toThrow(/damaged/);
    }
  });
});

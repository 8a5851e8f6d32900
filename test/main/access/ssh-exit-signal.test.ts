/** Telling an end by signal from an exit status, as sshd does (ssh-exit-signal.ts). */
import { describe, expect, it } from 'vitest';
import { ExitSignalWatch } from '../../../main/access/ssh-exit-signal';

describe('ExitSignalWatch', () => {
  it('reads 128+N right after Ctrl-C or Ctrl-\\ typed into a terminal as that signal', () => {
    const w = new ExitSignalWatch(true);
    w.typed(Buffer.from('sleep 60\r'));
    w.typed(Buffer.from([0x03]));
    expect(w.end(130)).toEqual({ signal: 'INT' });
    w.typed(Buffer.from([0x1c]));
    expect(w.end(131)).toEqual({ signal: 'QUIT' });
  });
  it('keeps a status a status: other codes, keys typed after, or no terminal', () => {
    const w = new ExitSignalWatch(true);
    w.typed(Buffer.from([0x03]));
    expect(w.end(1)).toEqual({ code: 1 });
    w.typed(Buffer.from('exit 130\r'));
    expect(w.end(130)).toEqual({ code: 130 });
    const plain = new ExitSignalWatch(false);
    plain.typed(Buffer.from([0x03]));
    expect(plain.end(130)).toEqual({ code: 130 });
    expect(plain.end(-1)).toEqual({ code: 255 });
  });
  it('reads a signal request passed on, by its own number', () => {
    const w = new ExitSignalWatch(false);
    w.sent('TERM');
    expect(w.end(143)).toEqual({ signal: 'TERM' });
    w.sent('KILL');
    expect(w.end(143)).toEqual({ code: 143 });
    expect(w.end(137)).toEqual({ signal: 'KILL' });
  });
});

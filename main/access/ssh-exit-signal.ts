/**
 * Whether a session's process ended by a signal, as sshd reports it (`exit-signal`, which OpenSSH's
 * client shows as status 255), rather than with a status. Engines report a process killed by
 * signal N as status 128+N, like a shell's `$?`; sshd sees the difference through waitpid. So the
 * gateway remembers the last interrupt it passed on — a signal request, or Ctrl-C / Ctrl-\ as the
 * last key typed into a terminal — and reads 128+N right after it as that signal. Pure.
 */

/** Linux signal numbers of the names an SSH client may send (exec-wrap.ts SIGNALS). */
const NUMBERS: Record<string, number> = {
  HUP: 1, INT: 2, QUIT: 3, ILL: 4, ABRT: 6, FPE: 8, KILL: 9, USR1: 10, SEGV: 11, USR2: 12, PIPE: 13, ALRM: 14, TERM: 15,
};

/** The keys a terminal turns into signals for its foreground processes (stty's intr and quit). */
const TERMINAL_KEYS: Record<number, string> = { 0x03: 'INT', 0x1c: 'QUIT' };

export type SessionEnd = { code: number } | { signal: string };

export class ExitSignalWatch {
  private last: string | null = null;

  constructor(private readonly terminal: boolean) {}

  /** Input typed into the session: an interrupt key counts only while nothing was typed after it. */
  typed(chunk: Buffer): void {
    if (!this.terminal || chunk.length === 0) return;
    this.last = TERMINAL_KEYS[chunk[chunk.length - 1]!] ?? null;
  }

  /** A signal request passed on to the process (a name from SIGNALS, without "SIG"). */
  sent(signal: string): void {
    this.last = signal;
  }

  /** How the session ended, given the process's status (negative: unknown, reported as 255). */
  end(status: number): SessionEnd {
    if (status < 0) return { code: 255 };
    if (this.last && status === 128 + (NUMBERS[this.last] ?? -999)) return { signal: this.last };
    return { code: status };
  }
}

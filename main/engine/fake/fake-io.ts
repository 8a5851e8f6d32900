/**
 * Standard input and output of fake processes. Input is a small buffered queue rather than a Node
 * stream, because an interactive shell reads it line by line and hands the rest to the commands it
 * runs, and pipes between commands need nothing more.
 */
import type { FsView } from './fake-fs';

/** A port something listens on inside a fake workspace, and where that really is on this machine. */
export interface FakeListener {
  /** The real port on 127.0.0.1 of this machine. */
  port: number;
  /** Bound to the workspace's 127.0.0.1: reached from inside it only. */
  loopbackOnly: boolean;
}

/** What listens on each port of one fake workspace (its web app aside). */
export type FakePorts = Map<number, FakeListener>;

export class Input {
  /** null entries are end-of-file marks (^D on a terminal): one read sees EOF, later ones go on. */
  private chunks: (Buffer | null)[] = [];
  private ended = false;
  private wake: (() => void) | null = null;

  static empty(): Input {
    const i = new Input();
    i.end();
    return i;
  }

  static of(data: Buffer): Input {
    const i = new Input();
    i.push(data);
    i.end();
    return i;
  }

  push(b: Buffer): void {
    if (this.ended || b.length === 0) return;
    this.chunks.push(b);
    this.notify();
  }

  /** One end-of-file for the current reader, as ^D gives on a terminal. */
  pushEof(): void {
    if (this.ended) return;
    this.chunks.push(null);
    this.notify();
  }

  /** Drops what was typed but not yet read, as a terminal does on ^C. */
  discard(): void {
    this.chunks = this.chunks.filter((c) => c === null);
  }

  end(): void {
    this.ended = true;
    this.notify();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** The next chunk, or null at end of input. */
  async read(): Promise<Buffer | null> {
    while (this.chunks.length === 0 && !this.ended) await new Promise<void>((r) => (this.wake = r));
    return this.chunks.shift() ?? null;
  }

  /**
   * The next line without its newline; at end of input the rest, or null when nothing is left.
   * A line is taken from the queue in one synchronous step, and `taken` is told at that moment, so
   * a ^C arriving in between always knows whether the line was already taken or is discarded.
   */
  async readLine(taken?: () => void): Promise<string | null> {
    for (;;) {
      const line = this.takeLine();
      if (line !== undefined) {
        taken?.();
        return line;
      }
      await new Promise<void>((r) => (this.wake = r));
    }
  }

  /** A line, null at end of input, undefined when neither is there yet. */
  private takeLine(): string | null | undefined {
    const parts: Buffer[] = [];
    for (let i = 0; i < this.chunks.length; i++) {
      const c = this.chunks[i]!;
      if (c === null) {
        this.chunks.splice(0, i + 1);
        return parts.length ? Buffer.concat(parts).toString('utf8') : null;
      }
      const nl = c.indexOf(10);
      if (nl >= 0) {
        parts.push(c.subarray(0, nl));
        this.chunks.splice(0, i + 1, ...(nl + 1 < c.length ? [c.subarray(nl + 1)] : []));
        return Buffer.concat(parts).toString('utf8');
      }
      parts.push(c);
    }
    if (!this.ended) return undefined;
    this.chunks = [];
    return parts.length ? Buffer.concat(parts).toString('utf8') : null;
  }
}

export type Write = (data: Buffer | string) => void;

export interface TtySize {
  cols: number;
  rows: number;
}

/** Everything a fake command runs with. */
export interface ProcessContext {
  args: string[];
  stdin: Input;
  out: Write;
  err: Write;
  env: Record<string, string>;
  cwd: string;
  fs: FsView;
  /** Aborted when the process is killed (close(), stop, ^C); long commands end at once. */
  signal: AbortSignal;
  /** The terminal, when the session has one. */
  tty: TtySize | null;
  hostname: string;
  /** What listens on the workspace's ports (servers a command starts register there). */
  ports: FakePorts;
  /**
   * What ^C on the session's terminal does: an interactive shell sets a handler that interrupts
   * only the command it runs; without one the whole process ends (exit 130).
   */
  interrupt: { handler: (() => void) | null };
}

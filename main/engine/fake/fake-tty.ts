/**
 * A pseudo-terminal's line discipline, the parts a terminal or SSH client notices: typed input is
 * echoed, Enter (\r) arrives as \n, output \n goes out as \r\n, ^C interrupts and ^D ends input.
 * Tests written against the fake then see the same bytes as against a real exec with a TTY.
 */
import type { TtySize } from './fake-io';

export interface TtyHooks {
  echo: (b: Buffer) => void;
  data: (b: Buffer) => void;
  interrupt: () => void;
  eof: () => void;
}

export class Tty {
  readonly size: TtySize;

  constructor(size: TtySize, private readonly hooks: TtyHooks) {
    this.size = { ...size };
  }

  /** Bytes typed by the client. */
  input(b: Buffer): void {
    let run: number[] = [];
    const flush = () => {
      if (run.length) this.hooks.data(Buffer.from(run));
      run = [];
    };
    for (const byte of b) {
      if (byte === 0x03) {
        flush();
        this.hooks.echo(Buffer.from('^C'));
        this.hooks.interrupt();
      } else if (byte === 0x04) {
        flush();
        this.hooks.eof();
      } else if (byte === 0x0d || byte === 0x0a) {
        run.push(0x0a);
        this.hooks.echo(Buffer.from('\r\n'));
      } else if (byte === 0x7f) {
        this.hooks.echo(Buffer.from('\b \b'));
      } else {
        run.push(byte);
        this.hooks.echo(Buffer.from([byte]));
      }
    }
    flush();
  }

  /** Bytes the program writes: \n becomes \r\n (ONLCR). */
  output(d: Buffer | string): Buffer {
    const b = Buffer.isBuffer(d) ? d : Buffer.from(d);
    const out: number[] = [];
    for (const [i, byte] of b.entries()) {
      if (byte === 0x0a && b[i - 1] !== 0x0d) out.push(0x0d);
      out.push(byte);
    }
    return Buffer.from(out);
  }
}

/**
 * The hubdeck:// scheme the app registers: how an invite link clicked in a mail or chat reaches the
 * app — in argv on Windows and Linux (a second instance passes its argv to the first), through
 * `open-url` on macOS. Pure.
 */
export const PROTOCOL = 'hubdeck';

/** The first hubdeck:// argument of a command line, or null. */
export function protocolUrlIn(argv: readonly string[]): string | null {
  return argv.find((a) => a.toLowerCase().startsWith(`${PROTOCOL}:`)) ?? null;
}

/**
 * How to register the scheme: a packaged app registers itself; a development run (electron .)
 * must name the interpreter and the app's entry, or the OS would start bare Electron.
 */
export function protocolClientArgs(defaultApp: boolean, execPath: string, entry: string | undefined): [string] | [string, string, string[]] {
  return defaultApp && entry ? [PROTOCOL, execPath, [entry]] : [PROTOCOL];
}

/**
 * The `hubdeck` command tree. Errors become one line on stderr and a non-zero exit code (with
 * --json, also one `{ "error": … }` document on stdout).
 */
import { Command, CommanderError } from 'commander';
import { isHubdeckError, errorMessage } from '../core/errors';
import { ERROR_CODES, toWireError } from '../api/error-codes';
import { HUBDECK_VERSION } from '../core/version';
import { checkOrigin } from '../core/names';
import type { CliIo } from './cli-context';

type CommandsLoader = (io: CliIo) => Promise<Command[]>;

/**
 * Each top-level command's module, loaded only when that command runs: a command pays for its own
 * code (the CLI's start-up, hardening issue), and `hubdeck --help` or a typo loads them all.
 */
const COMMANDS: Record<string, CommandsLoader> = {
  workspace: async (io) => [(await import('./workspace-commands')).workspaceCommands(io)],
  ...Object.fromEntries((['user', 'group', 'token', 'key', 'image', 'settings', 'cleanup'] as const).map((name) => [name, async (io: CliIo) => {
    const admin = await import('./admin-commands');
    const make = { user: admin.userCommands, group: admin.groupCommands, token: admin.tokenCommands, key: admin.keyCommands, image: admin.imageCommands, settings: admin.settingsCommands, cleanup: admin.cleanupCommand }[name];
    return [make(io)];
  }])),
  hub: async (io) => {
    const [{ hubCommands }, { joinCommands }, { hubRemoteCommands }] = await Promise.all([import('./hub-commands'), import('./join-command'), import('./hub-remote-commands')]);
    const hub = hubCommands(io);
    for (const c of [...joinCommands(io), ...hubRemoteCommands(io)]) hub.addCommand(c);
    return [hub];
  },
  ui: async (io) => [(await import('./ui-command')).uiCommand(io)],
  'ssh-config': async (io) => [(await import('./ssh-commands')).sshConfigCommand(io)],
  'ssh-proxy': async (io) => [(await import('./ssh-commands')).sshProxyCommand(io)],
  tunnel: async (io) => [(await import('./tunnel-commands')).tunnelCommands(io)],
  audit: async (io) => [(await import('./audit-commands')).auditCommand(io)],
};

/** Global options that take a value: skipped when looking for the command's name. */
const VALUED = new Set(['--user', '--docker-host', '--origin', '--hub', '--token', '--fingerprint', '--data']);

/** The top-level command argv names, or null (none, help, or an unknown name: load them all). */
export function commandName(argv: string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return null;
    if (VALUED.has(a)) i++;
    else if (!a.startsWith('-')) return Object.hasOwn(COMMANDS, a) ? a : null;
  }
  return null;
}


export async function buildProgram(io: CliIo, argv: string[] = []): Promise<Command> {
  const program = new Command('hubdeck')
    .description('Hubdeck: workspaces for ML teams on Docker, Swarm and Kubernetes')
    .version(HUBDECK_VERSION)
    .option('--json', 'print one JSON document on stdout')
    .option('--user <name>', 'act as this hub user (default: $HUBDECK_USER or the OS user)')
    .option('--docker-host <url>', 'Docker engine: unix:///path, tcp://host:2376 or ssh://user@host (default: $DOCKER_HOST, the docker context, the local socket)')
    .option('--origin <hub-id>', 'hub id stamped on the workspaces (default: $HUBDECK_ORIGIN, else the id the hub chose when it was first opened, hub-<8 hex digits>, kept in its data directory)')
    .option('--hub <name-or-url>', 'a remote hub: a saved hub\'s name (hub add, hub join; Hubdeck or JupyterHub) or a URL, e.g. https://lead-laptop:8585 (default: $HUBDECK_HUB; none = the local hub)')
    .option('--token <token>', 'API token for --hub (default: $HUBDECK_TOKEN)')
    .option('--fingerprint <sha256>', "pin the hub's self-signed TLS certificate (default: $HUBDECK_HUB_FINGERPRINT)")
    .option('--data <dir>', 'local hub data directory (default: $HUBDECK_DATA or ~/.local/share/hubdeck)')
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride()
    .showHelpAfterError(false);
  program.hook('preAction', (_this, action) => {
    const origin = action.optsWithGlobals<{ origin?: string }>().origin;
    const rule = origin === undefined ? null : checkOrigin(origin);
    if (rule) throw new CommanderError(2, 'hubdeck.invalid', `origin: ${rule}`);
  });
  const name = commandName(argv);
  const loaders = name ? [COMMANDS[name]!] : Object.values(COMMANDS);
  for (const commands of await Promise.all(loaders.map((load) => load(io)))) {
    for (const c of commands) program.addCommand(c);
  }
  for (const c of allCommands(program)) c.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  return program;
}

function allCommands(c: Command): Command[] {
  return c.commands.flatMap((sub) => [sub, ...allCommands(sub)]);
}

/** Whether argv asks for JSON: `--json` before any `--` (where a command's own arguments begin). */
export function wantsJson(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/**
 * Runs the CLI; resolves with the exit code instead of exiting, so tests can call it in-process.
 * With --json a failure still prints exactly one JSON document on stdout, `{ "error": { code,
 * message, field? } }` (the API's error shape), as well as its line on stderr for people.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const fail = (code: string, message: string, exit: number, field?: string): number => {
    // Written here, not with cli-context's printJson: this file stays light for the CLI's start-up.
    if (wantsJson(argv)) io.out(JSON.stringify({ error: field ? { code, message, field } : { code, message } }, null, 2));
    return exit;
  };
  const program = await buildProgram(io, argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      // Commander has already printed its own message, except for ours.
      if (e.code === 'hubdeck.invalid') io.err(`hubdeck: ${e.message}`);
      // A command that ran another program (workspace ssh) ends with that program's own status.
      if (e.code === 'hubdeck.exit') return e.exitCode;
      return fail('invalid', e.message.replace(/^error: /, ''), e.exitCode === 1 ? 2 : e.exitCode);
    }
    if (isHubdeckError(e)) {
      io.err(`hubdeck: ${e.message}`);
      const wire = toWireError(e);
      // Exit codes come from the one error table (main/api/error-codes.ts).
      return fail(wire.code, wire.message, ERROR_CODES[e.code].exit, wire.field);
    }
    io.err(`hubdeck: ${errorMessage(e)}`);
    return fail('internal', errorMessage(e), 1);
  }
}

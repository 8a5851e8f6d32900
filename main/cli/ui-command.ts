/**
 * `hubdeck ui`: the app in a browser, over the local hub — what `npm start` runs where Electron's
 * binary is missing. The hub serves the built UI on a loopback port and prints a one-time sign-in
 * link (no token in it that outlives its first use).
 */
import { Command } from 'commander';
import { HubdeckError, ValidationError } from '../core/errors';
import { localDataDir, osUserName, type CliIo, type GlobalOptions } from './cli-context';
import { askRunningUi, serveUiLinks, type RunningUi } from './ui-link';
import { builtUiDir } from './built-ui';
import { parseListen } from './listen-address';

const LINK_TTL_MS = 10 * 60_000;

/** What a used or expired link's page tells a person in browser mode. */
const BROWSER_SIGN_IN_HELP = 'run "hubdeck ui --link" (or npm start again) in a terminal on this computer for a new link, and open it.';

function printRunning(io: CliIo, r: RunningUi, already: boolean): void {
  io.out(already ? `Hubdeck is already running in your browser at ${r.url}/ (another hubdeck ui or npm start serves it)` : `Hubdeck is running in your browser at ${r.url}/`);
  io.out(`Sign in with this link (once, within 10 minutes): ${r.link}`);
}

/** The port is someone else's: say so with the fix, not EADDRINUSE. */
function portTaken(e: unknown, host: string, port: number): unknown {
  if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') return e;
  return new HubdeckError('conflict', `listen: ${host}:${port} is taken by another program (not a hubdeck ui of this data directory); pick another port, e.g. --listen 127.0.0.1:${port + 1}`, 'listen');
}

function uiDir(): string {
  const dir = builtUiDir();
  if (!dir) throw new ValidationError('ui', 'the web UI is not built; run npm run build');
  return dir;
}

export function uiCommand(io: CliIo): Command {
  return new Command('ui')
    .description('open the app in your browser, over the local hub (the desktop app without Electron)')
    .option('--listen <host:port>', 'loopback address to serve on', '127.0.0.1:8586')
    .option('--engine <kind>', 'docker, or fake (in memory, for demos and UI tests)', 'docker')
    .option('--link', 'print a fresh sign-in link for the hubdeck ui already running (its URL too), and exit')
    .action(async (o: { listen: string; engine: string; link?: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const { host, port } = parseListen(o.listen);
      // Browser mode is for this machine only: sharing a hub on the LAN is `hub serve` with TLS.
      if (!['127.0.0.1', 'localhost', '::1'].includes(host)) throw new ValidationError('listen', `"${host}" is not a loopback address (use 127.0.0.1)`);
      if (o.engine !== 'docker' && o.engine !== 'fake') throw new ValidationError('engine', `"${o.engine}" is not docker or fake`);
      // One hubdeck ui per data directory: a second start (or --link) prints the first one's URL and a new link.
      const dataDir = localDataDir(g, io.env);
      const running = await askRunningUi(dataDir);
      if (running) return printRunning(io, running, !o.link);
      if (o.link) throw new HubdeckError('not_found', `no hubdeck ui is running for ${dataDir}; start one with hubdeck ui (or npm start)`);
      const staticDir = uiDir();
      const admin = osUserName();
      const [{ openLocalHub }, { startLocalAccess }] = await Promise.all([import('../server/local-hub'), import('../server/local-access')]);
      const local = await openLocalHub({ admin, env: io.env, dataDir: g.data, dockerHost: g.dockerHost, origin: g.origin, engine: o.engine });
      local.hub.startTimers();
      const access = await startLocalAccess(local.hub, {
        host: host === '::1' ? '::1' : '127.0.0.1', port, staticDir, log: (m) => io.err(m), signInHelp: BROWSER_SIGN_IN_HELP,
      }).catch(async (e: unknown) => { await local.client.close(); throw portTaken(e, host, port); });
      const fresh = (): RunningUi => ({ url: access.url, link: access.signInUrl(local.actor, '/', LINK_TTL_MS) });
      const closeDoor = await serveUiLinks(dataDir, fresh);
      printRunning(io, fresh(), false);
      io.err(`(as ${admin}, on the local ${o.engine === 'fake' ? 'in-memory' : 'Docker'} engine; a new link any time: hubdeck ui --link)`);
      io.err(`SSH gateway on ${access.sshAddress} (hubdeck ssh-config sets up ssh for your workspaces)`);
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          io.err(`${signal}: shutting down`);
          void closeDoor().then(() => access.stop()).then(() => local.client.close()).then(resolve);
        };
        // `on`, not `once`: Ctrl-C under npm start reaches this process twice (the terminal, and
        // start.mjs passing it on); a second signal must not kill it before the hub has closed.
        let stopping = false;
        const once = (signal: string) => { if (!stopping) { stopping = true; stop(signal); } };
        process.on('SIGTERM', () => once('SIGTERM'));
        process.on('SIGINT', () => once('SIGINT'));
      });
    });
}

/**
 * `hubdeck ui`: the app in a browser, over the local hub — what `npm start` runs where Electron's
 * binary is missing. The hub serves the built UI on a loopback port and prints a one-time sign-in
 * link (no token in it that outlives its first use).
 */
import { Command } from 'commander';
import { ValidationError } from '../core/errors';
import { osUserName, type CliIo, type GlobalOptions } from './cli-context';
import { builtUiDir } from './built-ui';
import { parseListen } from './listen-address';

const LINK_TTL_MS = 10 * 60_000;

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
    .action(async (o: { listen: string; engine: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const { host, port } = parseListen(o.listen);
      // Browser mode is for this machine only: sharing a hub on the LAN is `hub serve` with TLS.
      if (!['127.0.0.1', 'localhost', '::1'].includes(host)) throw new ValidationError('listen', `"${host}" is not a loopback address (use 127.0.0.1)`);
      if (o.engine !== 'docker' && o.engine !== 'fake') throw new ValidationError('engine', `"${o.engine}" is not docker or fake`);
      const staticDir = uiDir();
      const admin = osUserName();
      const [{ openLocalHub }, { startLocalAccess }] = await Promise.all([import('../server/local-hub'), import('../server/local-access')]);
      const local = await openLocalHub({ admin, env: io.env, dataDir: g.data, dockerHost: g.dockerHost, origin: g.origin, engine: o.engine });
      local.hub.startTimers();
      const access = await startLocalAccess(local.hub, { host: host === '::1' ? '::1' : '127.0.0.1', port, staticDir, log: (m) => io.err(m) });
      const base = access.url;
      io.out(`Hubdeck is running in your browser at ${base}/ (as ${admin}, on the local ${o.engine === 'fake' ? 'in-memory' : 'Docker'} engine)`);
      io.out(`Sign in with this link (once, within 10 minutes): ${access.signInUrl(local.actor, '/', LINK_TTL_MS)}`);
      io.err(`SSH gateway on ${access.sshAddress} (hubdeck ssh-config sets up ssh for your workspaces)`);
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          io.err(`${signal}: shutting down`);
          void access.stop().then(() => local.client.close()).then(resolve);
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
    });
}

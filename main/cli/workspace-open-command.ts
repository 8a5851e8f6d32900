/**
 * `hubdeck workspace open NAME [--browser]`: prints a one-time link that signs a browser in to the
 * workspace on its own web origin (good for one use, within a minute) — `--browser` also opens it.
 * On a remote hub the hub makes the link; the local hub's pages are served by this command itself
 * until Ctrl-C (the app and `hubdeck ui` serve them too, each on its own port). Whatever the hub,
 * its workspaceSignIn says both (on a connected JupyterHub the link carries a token good for 5
 * minutes and only this user's servers).
 */
import { Command } from 'commander';
import { osUserName, printJson, remoteHub, type CliIo, type GlobalOptions } from './cli-context';
import { withSession } from './with-session';
import { openInBrowser } from './open-in-browser';

export function workspaceOpenCommand(io: CliIo): Command {
  return new Command('open')
    .argument('<name>', 'the workspace (on a JupyterHub: the server; "default" is the default server)')
    .description('print a one-time sign-in link to the workspace\'s own web address (--browser also opens it)')
    .option('--browser', 'also open the link in the system browser')
    .action(async (name: string, o: { browser?: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      if (!remoteHub(g, io.env)) return openLocally(io, g, name, o);
      await withSession(io, cmd, async ({ client, user }) => {
        show(io, g, { user, name, ...(await client.workspaceSignIn({ user, name })) }, o);
      }, { ability: 'open', what: 'workspace open' });
    });
}

function show(io: CliIo, g: GlobalOptions, s: { user: string; name: string; url: string; signInUrl: string; expiresAt: string }, o: { browser?: boolean }): void {
  if (g.json) printJson(io, { user: s.user, name: s.name, url: s.url, signInUrl: s.signInUrl, expiresAt: s.expiresAt });
  else io.out(s.signInUrl);
  if (o.browser) openInBrowser(s.signInUrl);
}

/** The local hub has no server of its own in a CLI process: this one serves its pages until interrupted. */
async function openLocally(io: CliIo, g: GlobalOptions, name: string, o: { browser?: boolean }): Promise<void> {
  const [{ openLocalHub }, { startLocalAccess }] = await Promise.all([import('../server/local-hub'), import('../server/local-access')]);
  const admin = osUserName();
  const user = g.user ?? (io.env.HUBDECK_USER || admin);
  const local = await openLocalHub({ admin, env: io.env, dataDir: g.data, dockerHost: g.dockerHost, origin: g.origin });
  const access = await startLocalAccess(local.hub, { sshPort: null, log: (m) => io.err(m) });
  try {
    show(io, g, { user, name, ...(await local.hub.workspaceSignIn(local.actor, { user, name })) }, o);
  } catch (e) {
    await access.stop();
    await local.client.close();
    throw e;
  }
  io.err(`serving the local hub's pages at ${access.url} until Ctrl-C`);
  await new Promise<void>((resolve) => {
    const stop = () => void access.stop().then(() => local.client.close()).then(resolve);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}

/**
 * `hubdeck workspace open NAME`: on a connected JupyterHub, prints a URL that signs the browser in to
 * the server with a token good for 5 minutes and only this user's servers (`--browser` also opens
 * it). Hubdeck hubs open workspaces in the app (or `hubdeck ui`) instead.
 */
import { Command } from 'commander';
import { HubdeckError } from '../core/errors';
import type { CliIo } from './cli-context';
import { jupyterHubOf } from './jupyterhub-hub';
import { withSession } from './with-session';

export function workspaceOpenCommand(io: CliIo): Command {
  return new Command('open')
    .argument('<name>', 'the workspace (on a JupyterHub: the server; "default" is the default server)')
    .description('JupyterHub: print a sign-in URL for the server (token valid 5 minutes, this user\'s servers only)')
    .option('--browser', 'also open the URL in the system browser')
    .action((name: string, o: { browser?: boolean }, cmd: Command) =>
      withSession(io, cmd, async ({ client, user }, g) => {
        const jh = jupyterHubOf(client);
        if (!jh) throw new HubdeckError('invalid', 'workspace open: on a Hubdeck hub open workspaces from the app or hubdeck ui; open is for JupyterHub hubs (hubdeck hub add --jupyterhub)');
        const { openOnJupyterHub } = await import('./jupyterhub-workspace-actions');
        await openOnJupyterHub(io, jh, user, name, o, g);
      }));
}

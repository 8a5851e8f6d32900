/**
 * What `workspace list|show|create` print on a connected JupyterHub, where it knows more than a
 * Hubdeck workspace view holds: the list adds the server URL and last activity, show its
 * user_options, create maps the flags to user_options and shows JupyterHub's progress. The
 * session's views (open-session.ts); loaded only for JupyterHub sessions.
 */
import type { JupyterHubHubClient } from '../client/jupyterhub/jupyterhub-hub-client';
import { serverJson } from '../client/jupyterhub/jupyterhub-workspaces';
import { userOptionsFor, type NewWorkspaceFlags } from '../client/jupyterhub/jupyterhub-options';
import { workspaceJson } from '../client/workspace-json';
import { ValidationError } from '../core/errors';
import { printJson, type CliIo, type GlobalOptions, type WorkspaceViews } from './cli-context';
import { table } from './table';

export async function listOnJupyterHub(io: CliIo, jh: JupyterHubHubClient, user: string, g: GlobalOptions): Promise<void> {
  const servers = await jh.workspaces.servers(user);
  const rows = servers.map((s) => serverJson(jh.url, user, s));
  if (g.json) return printJson(io, rows);
  io.out(table(
    ['USER', 'NAME', 'STATE', 'IMAGE', 'CPUS', 'MEMORY', 'EXPIRES', 'STARTED', 'LAST ACTIVITY', 'URL'],
    rows.map((w) => [w.user, w.name, w.state, w.image ?? '-', '-', '-', 'never', w.startedAt ?? '-', w.lastActivity ?? '-', w.url]),
  ));
}

/** Hubdeck create flags a JupyterHub has no counterpart for: refused, not dropped. */
const NOT_ON_JUPYTERHUB: [string, (o: Record<string, unknown>) => boolean][] = [
  ['port', (o) => o.port !== undefined],
  ['volume-path', (o) => o.volumePath !== undefined],
  ['no-volume', (o) => o.volume === false],
  ['placement', (o) => ((o.placement as string[] | undefined) ?? []).length > 0],
  ['mount', (o) => ((o.mount as string[] | undefined) ?? []).length > 0],
  ['reserve-cpus', (o) => o.reserveCpus !== undefined],
  ['reserve-memory', (o) => o.reserveMemory !== undefined],
];

export async function showOnJupyterHub(io: CliIo, jh: JupyterHubHubClient, user: string, name: string, g: GlobalOptions): Promise<void> {
  const w = serverJson(jh.url, user, await jh.workspaces.server(user, name));
  if (g.json) return printJson(io, w);
  io.out(`${w.user}/${w.name}: ${w.state} (${w.status})`);
  io.out(`started ${w.startedAt ?? '-'}; last activity ${w.lastActivity ?? '-'}; user_options ${JSON.stringify(w.userOptions)}`);
  io.out(`web ${w.url} (hubdeck workspace open ${w.name} signs a browser in); no SSH on a JupyterHub`);
}

export async function createOnJupyterHub(io: CliIo, jh: JupyterHubHubClient, user: string, name: string, flags: NewWorkspaceFlags & { wait: boolean; timeoutSeconds: number }, g: GlobalOptions): Promise<void> {
  const bad = NOT_ON_JUPYTERHUB.find(([, given]) => given(flags as unknown as Record<string, unknown>));
  if (bad) throw new ValidationError(bad[0], 'not available on a JupyterHub: its spawner decides; pass what it reads with --option KEY=VALUE');
  const userOptions = userOptionsFor(jh.options, flags);
  io.err(`creating ${user}/${name} on the JupyterHub at ${jh.url} with user_options ${JSON.stringify(userOptions)}…`);
  let last = '';
  const w = await jh.workspaces.create(user, name, userOptions, {
    wait: flags.wait,
    timeoutMs: flags.timeoutSeconds * 1000,
    onProgress: (e) => {
      const line = `${e.progress ?? '?'}% ${e.message ?? ''}`.trim();
      if (line !== last) io.err(line);
      last = line;
    },
  });
  if (g.json) return printJson(io, workspaceJson(w));
  io.out(`${w.user}/${w.name}: ${w.state} (${w.status}) at ${w.baseUrl}`);
}

/** This hub's views for the generic workspace commands. */
export function jupyterHubViews(jh: JupyterHubHubClient): WorkspaceViews {
  return {
    list: (io, user, g) => listOnJupyterHub(io, jh, user, g),
    show: (io, user, name, g) => showOnJupyterHub(io, jh, user, name, g),
    create: (io, user, name, flags, g) => createOnJupyterHub(io, jh, user, name, flags as NewWorkspaceFlags & typeof flags, g),
  };
}

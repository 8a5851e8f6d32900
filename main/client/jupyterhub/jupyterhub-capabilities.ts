/**
 * What a connected JupyterHub can do, in the capabilities every UI asks (main/api/capabilities.ts),
 * and the clear refusal of each operation it has no counterpart for. Its REST API lists, starts,
 * stops and removes a user's servers and opens them through a short-lived token; nothing else.
 */
import { NO_CAPABILITIES, UnavailableError, unavailableMessage, type Capability, type HubCapabilities } from '../../api/capabilities';
import type { Operation } from '../../api/endpoints';
import type { JupyterHubOptionsConfig } from '../saved-hub-record';

/** Why each missing ability is missing, said by the CLI's refusals and beside the app's pages. */
const WHY: Partial<Record<Capability, string>> = {
  ssh: 'it runs no Hubdeck SSH gateway; use a terminal in Jupyter',
  tunnels: 'it runs no Hubdeck SSH gateway; use workspace open',
  terminal: 'the app cannot open a shell through JupyterHub; open the server and use Jupyter\'s terminal',
  logs: 'its REST API gives no server logs; ask the hub\'s admin or use a terminal in Jupyter',
  stats: 'its REST API reports no CPU or memory use',
  extend: 'servers do not expire there; the hub\'s idle culler decides when they stop',
  listAll: 'it lists one user\'s servers; an admin token can use --user NAME',
  volumes: 'what happens to its files is up to the hub\'s spawner',
  // Hubdeck's admin pages manage Hubdeck hubs; a JupyterHub admin uses the hub's own admin page.
  admin: 'a JupyterHub admin uses the hub\'s own admin page',
};

export function jupyterHubCapabilities(o: { options: JupyterHubOptionsConfig; pollSeconds: number; missingScopes: string[] }): HubCapabilities {
  return {
    ...NO_CAPABILITIES, product: 'JupyterHub', runsOn: 'its spawner runs the servers', why: WHY, open: 'hub-page', pollSeconds: o.pollSeconds,
    create: { form: 'user-options', mapping: o.options.form, defaults: o.options.defaults, missingScopes: o.missingScopes },
  };
}

/** The operations that belong to an ability, with the words a refusal starts with. */
const OPERATION_ABILITY: Partial<Record<Refused, [Capability, string]>> = {
  workspaceLogs: ['logs', 'workspace logs'],
  workspaceStats: ['stats', 'workspace stats'],
  watchStats: ['stats', 'workspace stats'],
  watchAllStats: ['stats', 'workspace stats'],
  usageHistory: ['stats', 'workspace stats'],
  extendWorkspace: ['extend', 'workspace extend'],
  listAllUsersWorkspaces: ['listAll', 'workspace list --all'],
  tunnels: ['tunnels', 'workspace forward and tunnels'],
  listAudit: ['admin', 'audit'],
  exportAudit: ['admin', 'audit'],
};

/** An operation of the API, or one a client composes: listing every user's servers, dialing a port. */
type Refused = Operation | 'listAllUsersWorkspaces' | 'tunnels';

/** The refusal of an operation a JupyterHub cannot do: "list users: not available on a JupyterHub". Pure. */
export function unavailableOn(op: Refused): UnavailableError {
  const ability = OPERATION_ABILITY[op];
  const caps = { ...NO_CAPABILITIES, product: 'JupyterHub', why: WHY };
  if (ability) return new UnavailableError(ability[0], unavailableMessage(caps, ability[0], ability[1]));
  return new UnavailableError(null, `${op.replace(/([A-Z])/g, ' $1').toLowerCase()}: not available on a JupyterHub`);
}

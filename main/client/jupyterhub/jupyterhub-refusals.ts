/**
 * The hub operations a JupyterHub has no counterpart for (images, users, groups, tokens, SSH keys,
 * invites, logs, stats, expiry, settings…), each spelled out so the connector is a whole HubClient:
 * like every transport, a call rejects and a stream fails when read, never a throw at the call.
 */
import type { Operation, StreamOperation } from '../../api/endpoints';
import { unavailableOn } from './jupyterhub-capabilities';

const refuse = (op: Operation) => async (..._args: unknown[]): Promise<never> => { throw unavailableOn(op); };
const refuseStream = (op: StreamOperation) => (..._args: unknown[]): AsyncIterable<never> => ({
  [Symbol.asyncIterator]: () => ({ next: async () => { throw unavailableOn(op); } }),
});

/** Base of the JupyterHub HubClient: what it refuses. */
export class JupyterHubRefusals {
  readonly createLoginCode = refuse('createLoginCode');
  readonly capacity = refuse('capacity');
  readonly listImages = refuse('listImages');
  readonly createImage = refuse('createImage');
  readonly updateImage = refuse('updateImage');
  readonly deleteImage = refuse('deleteImage');
  readonly listUsers = refuse('listUsers');
  readonly createUser = refuse('createUser');
  readonly getUser = refuse('getUser');
  readonly updateUser = refuse('updateUser');
  readonly deleteUser = refuse('deleteUser');
  readonly listGroups = refuse('listGroups');
  readonly createGroup = refuse('createGroup');
  readonly updateGroup = refuse('updateGroup');
  readonly deleteGroup = refuse('deleteGroup');
  readonly listTokens = refuse('listTokens');
  readonly createToken = refuse('createToken');
  readonly revokeToken = refuse('revokeToken');
  readonly listKeys = refuse('listKeys');
  readonly addKey = refuse('addKey');
  readonly removeKey = refuse('removeKey');
  readonly createInvite = refuse('createInvite');
  readonly listInvites = refuse('listInvites');
  readonly revokeInvite = refuse('revokeInvite');
  readonly redeemInvite = refuse('redeemInvite');
  readonly extendWorkspace = refuse('extendWorkspace');
  readonly workspaceStats = refuse('workspaceStats');
  readonly usageHistory = refuse('usageHistory');
  readonly getSettings = refuse('getSettings');
  readonly updateSettings = refuse('updateSettings');
  readonly cleanup = refuse('cleanup');
  readonly listAudit = refuse('listAudit');
  readonly exportAudit = refuseStream('exportAudit');
  readonly watchStats = refuseStream('watchStats');
  readonly watchAllStats = refuseStream('watchAllStats');
  readonly workspaceLogs = refuseStream('workspaceLogs');
}

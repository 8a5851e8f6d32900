/**
 * Every API operation (main/api/endpoints.ts) as a hub method taking the actor: the REST server,
 * the in-process client and the desktop's IPC all dispatch through this one map, so they share
 * one authorization path and cannot drift apart. The compiler checks it covers every operation.
 */
import { parseWith } from '../core/validation';
import { auditExportInput, auditQueryInput, cleanupInput } from '../api/requests';
import { requireAdmin, type Actor } from './actor';
import type { Hub } from './hub';
import { auditedOperations } from './audit-operations';
import type { HubOperations } from './hub-operation-types';

export type { HubCalls, HubOperations, HubStreams } from './hub-operation-types';

/** Every operation, the state-changing ones recorded in the hub's audit log (audit-operations.ts). */
export function hubOperations(hub: Hub): HubOperations {
  return auditedOperations(plainOperations(hub), hub.audit);
}

function plainOperations(hub: Hub): HubOperations {
  const { users, tokens, keys, images, workspaces: ws, maintenance, audit } = hub;
  const ref = (i: { user: string; name: string }) => ({ user: i.user, name: i.name });
  return {
    info: async (a) => hub.info(a),
    createLoginCode: async (a) => hub.sessions.createLoginCode(a),
    capacity: async (a) => hub.capacity(a),

    listImages: async (a) => images.list(a, users.find(a.user)),
    createImage: (a, i) => images.create(a, i.body),
    updateImage: (a, i) => images.update(a, i.image, i.body),
    deleteImage: (a, i) => images.delete(a, i.image),

    listUsers: async (a) => users.list(a),
    createUser: (a, i) => users.create(a, i.body),
    getUser: async (a, i) => users.get(a, i.user),
    updateUser: (a, i) => users.update(a, i.user, i.body),
    deleteUser: (a, i) => users.delete(a, i.user),

    listGroups: async (a) => users.listGroups(a),
    createGroup: (a, i) => users.createGroup(a, i.body),
    updateGroup: (a, i) => users.updateGroup(a, i.group, i.body),
    deleteGroup: (a, i) => users.deleteGroup(a, i.group),

    listTokens: async (a, i) => tokens.list(a, i.user),
    createToken: (a, i) => tokens.create(a, i.user, i.body ?? {}),
    revokeToken: (a, i) => tokens.revoke(a, i.user, i.id),

    listKeys: async (a, i) => keys.list(a, i.user),
    addKey: (a, i) => keys.add(a, i.user, i.body),
    removeKey: (a, i) => keys.remove(a, i.user, i.id),

    createInvite: (a, i) => hub.invites.create(a, i.body, hub.id),
    listInvites: (a) => hub.invites.list(a),
    revokeInvite: (a, i) => hub.invites.revoke(a, i.id),
    redeemInvite: (_a, i) => hub.invites.redeem(i.body, hub.id),

    listWorkspaces: (a, i) => ws.list(a, { user: i.user, all: i.all }),
    createWorkspace: (a, i, o) => ws.create(a, i.body, { wait: i.wait, timeoutMs: i.timeout === undefined ? undefined : i.timeout * 1000, opId: i.opId, onProgress: o.onProgress, signal: o.signal }),
    getWorkspace: (a, i) => ws.get(a, ref(i)),
    workspaceSignIn: (a, i) => hub.workspaceSignIn(a, ref(i)),
    removeWorkspace: (a, i) => ws.remove(a, ref(i), { deleteData: i.deleteData }),
    startWorkspace: (a, i) => ws.start(a, ref(i)),
    stopWorkspace: (a, i) => ws.stop(a, ref(i)),
    restartWorkspace: (a, i) => ws.restart(a, ref(i)),
    extendWorkspace: (a, i) => ws.extend(a, ref(i), i.body),
    workspaceStats: (a, i) => ws.stats(a, ref(i)),
    watchStats: (a, i, signal) => ws.watchStats(a, ref(i), { intervalMs: i.intervalMs, signal }),
    watchAllStats: (a, i, signal) => ws.watchAllStats(a, { user: i.user, all: i.all, intervalMs: i.intervalMs, signal }),
    usageHistory: async (a, i) => ws.usageHistory(a, { user: i.user, all: i.all, minutes: i.minutes }),
    workspaceLogs: (a, i, signal) => ws.logs(a, ref(i), { tail: i.tail, follow: i.follow, signal }),

    getSettings: async (a) => hub.settings(a),
    updateSettings: (a, i) => hub.updateSettings(a, i.body),
    cleanup: (a, i) => maintenance.cleanup(a, parseCleanup(i.body)),

    // Admins only, like Coder's (auditors and owners): a member's own entries still name others' objects.
    listAudit: async (a, i) => {
      requireAdmin(a, 'read the audit log');
      const { before, limit, ...filter } = parseWith(auditQueryInput, i ?? {}, 'query');
      return audit.page(filter, before, limit ?? 50);
    },
    exportAudit: (a, i) => exportAudit(hub, a, i),
  };
}

async function* exportAudit(hub: Hub, a: Actor, i: unknown): AsyncGenerator<string> {
  requireAdmin(a, 'read the audit log');
  const { format, limit, ...filter } = parseWith(auditExportInput, i ?? {}, 'query');
  yield* hub.audit.exportText(filter, format ?? 'csv', limit);
}

const parseCleanup = (body: unknown) => parseWith(cleanupInput, body ?? {});

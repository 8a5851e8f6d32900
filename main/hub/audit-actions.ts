/**
 * What each state-changing operation is in the audit log: its stable dotted action name and the
 * object it acts on, from the operation's input (and its result, for what it creates). The type
 * lists every ChangeOperation: a new one does not compile until it says what it records.
 */
import type { ChangeOperation } from '../api/endpoints';
import type { InputOf, ResultOf } from '../api/operations';
import type { WorkspaceRef } from '../engine/engine';
import type { Actor } from './actor';

export interface AuditSubject {
  action: string;
  type: string;
  name: string;
  workspace?: WorkspaceRef;
  /** What changed, beyond the object (fields of an update, a dry run…). */
  detail?: string;
}

type Describe<K extends ChangeOperation> = (a: Actor, i: InputOf<K>, r: ResultOf<K> | undefined) => AuditSubject;

const text = (v: unknown) => (typeof v === 'string' ? v : '');
/** The fields an update set (their names: values may be anything, and are in the object itself). */
const fields = (body: unknown) => (body && typeof body === 'object' ? `fields: ${Object.keys(body).sort().join(', ') || 'none'}` : undefined);
const on = (action: string, type: string, name: string, detail?: string): AuditSubject => (detail === undefined ? { action, type, name } : { action, type, name, detail });
const ws = (action: string) => (_a: Actor, i: WorkspaceRef): AuditSubject => ({ action, type: 'workspace', name: `${i.user}/${i.name}`, workspace: { user: i.user, name: i.name } });

export const AUDIT_ACTIONS: { [K in ChangeOperation]: Describe<K> } = {
  createLoginCode: (a) => on('session.login-code', 'user', a.user),

  createImage: (_a, i) => on('image.create', 'image', text(i.body?.name)),
  updateImage: (_a, i) => on('image.update', 'image', i.image, fields(i.body)),
  deleteImage: (_a, i) => on('image.delete', 'image', i.image),

  createUser: (_a, i) => on('user.create', 'user', text(i.body?.name)),
  updateUser: (_a, i) => on('user.update', 'user', i.user, fields(i.body)),
  deleteUser: (_a, i) => on('user.delete', 'user', i.user),

  createGroup: (_a, i) => on('group.create', 'group', text(i.body?.name)),
  updateGroup: (_a, i) => on('group.update', 'group', i.group, fields(i.body)),
  deleteGroup: (_a, i) => on('group.delete', 'group', i.group),

  createToken: (_a, i, r) => on('token.create', 'token', `${i.user}/${r?.id ?? ''}`, `scope: ${r?.scope ?? (text(i.body?.scope) || 'user')}`),
  revokeToken: (_a, i) => on('token.revoke', 'token', `${i.user}/${i.id}`),

  addKey: (_a, i, r) => on('key.add', 'ssh-key', `${i.user}/${r?.id ?? ''}`),
  removeKey: (_a, i) => on('key.remove', 'ssh-key', `${i.user}/${i.id}`),

  createInvite: (_a, i, r) => on('invite.create', 'invite', r?.id ?? '', `for ${text(i.body?.user)}`),
  revokeInvite: (_a, i) => on('invite.revoke', 'invite', i.id),
  redeemInvite: (_a, _i, r) => on('invite.redeem', 'user', r?.user ?? ''),

  createWorkspace: (a, i) => ws('workspace.create')(a, { user: text(i.body?.user) || a.user, name: text(i.body?.name) }),
  workspaceSignIn: ws('workspace.sign-in'),
  removeWorkspace: (a, i) => ({ ...ws('workspace.delete')(a, i), detail: i.deleteData ? 'data deleted' : 'data kept' }),
  startWorkspace: ws('workspace.start'),
  stopWorkspace: ws('workspace.stop'),
  restartWorkspace: ws('workspace.restart'),
  extendWorkspace: (a, i) => ({ ...ws('workspace.extend')(a, i), detail: `days: ${String(i.body?.days)}` }),

  updateSettings: (_a, i) => on('settings.update', 'hub', 'settings', fields(i.body)),
  cleanup: (_a, i) => on('hub.cleanup', 'hub', 'cleanup', i.body?.dryRun ? 'dry run' : undefined),
};

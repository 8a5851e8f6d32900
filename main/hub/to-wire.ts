/**
 * Stored records → the API's wire types (main/api), in one place: Coder's db2sdk. The hub's rows
 * (hub-state.ts) are free to gain, rename or drop columns; only this file then changes, never the
 * REST API, the IPC or the UI. Every function copies field by field, so secrets (token hashes,
 * identities) never leak by being forgotten, and callers may change what they get: stored rows are
 * frozen and shared.
 */
import type { CreatedToken, GroupRecord, ImageRecord, InviteView, Quota, Settings, SshKeyRecord, TokenView, UserView } from '../api/dto';
import type { AuditEntry, AuditOutcome } from '../api/audit-dto';
import type * as stored from './hub-state';
import type { AuditRow } from './audit-table';

export function quotaToWire(q: stored.Quota): Quota {
  const out: Quota = {};
  if (q.maxWorkspaces !== undefined) out.maxWorkspaces = q.maxWorkspaces;
  if (q.cpus !== undefined) out.cpus = q.cpus;
  if (q.memory !== undefined) out.memory = q.memory;
  if (q.gpus !== undefined) out.gpus = q.gpus;
  return out;
}

export function sshKeyToWire(k: stored.SshKeyRecord): SshKeyRecord {
  return { id: k.id, type: k.type, key: k.key, comment: k.comment, fingerprint: k.fingerprint, addedAt: k.addedAt };
}

/** A user with the quota that applies to them (their own, their groups', the hub default). */
export function userToWire(u: stored.UserRecord, effectiveQuota: stored.Quota): UserView {
  return {
    name: u.name, admin: u.admin, blocked: u.blocked, selfService: u.selfService, groups: [...u.groups], quota: quotaToWire(u.quota),
    sshKeys: u.sshKeys.map(sshKeyToWire), createdAt: u.createdAt,
    ...(u.directory ? { directory: { source: u.directory.source, subject: u.directory.subject } } : {}),
    effectiveQuota: quotaToWire(effectiveQuota),
  };
}

export function groupToWire(g: stored.GroupRecord): GroupRecord {
  return { name: g.name, quota: quotaToWire(g.quota), createdAt: g.createdAt };
}

export function tokenToWire(t: stored.TokenRecord): TokenView {
  return { id: t.id, user: t.user, note: t.note, scope: t.scope, expiresAt: t.expiresAt, createdAt: t.createdAt, lastUsedAt: t.lastUsedAt };
}

/** A token just made, with its secret (shown this once, never stored). */
export function createdTokenToWire(t: stored.TokenRecord, secret: string): CreatedToken {
  return { ...tokenToWire(t), token: secret };
}

export function imageToWire(i: stored.ImageRecord): ImageRecord {
  return {
    name: i.name, ref: i.ref, displayName: i.displayName,
    access: { users: [...i.access.users], groups: [...i.access.groups] },
    defaults: { ...i.defaults },
  };
}

export function settingsToWire(s: stored.Settings): Settings {
  return {
    allowCustomImages: s.allowCustomImages, expiryWarningHours: s.expiryWarningHours, expiryAction: s.expiryAction, maxDays: s.maxDays,
    defaultDays: s.defaultDays, idleCullMinutes: s.idleCullMinutes, cleanupIntervalMinutes: s.cleanupIntervalMinutes,
    defaultQuota: quotaToWire(s.defaultQuota), autoCreateUsers: s.autoCreateUsers, bindMountAllowList: [...s.bindMountAllowList],
    adminAccess: s.adminAccess, auditRetentionDays: s.auditRetentionDays, defaultImage: s.defaultImage,
    sshAgentForwarding: s.sshAgentForwarding, sshEcdsaHostKey: s.sshEcdsaHostKey,
  };
}

export function inviteToWire(i: stored.InviteRecord): InviteView {
  return { id: i.id, user: i.user, note: i.note, createdBy: i.createdBy, createdAt: i.createdAt, expiresAt: i.expiresAt };
}

export function auditToWire(r: AuditRow): AuditEntry {
  return {
    id: r.id, time: new Date(r.time).toISOString(), user: r.user, tokenId: r.token_id, address: r.address,
    action: r.action, objectType: r.object_type, objectName: r.object_name,
    workspace: r.ws_name === null ? null : `${r.ws_owner ?? ''}/${r.ws_name}`,
    outcome: r.outcome as AuditOutcome, code: r.code, reason: r.reason,
  };
}

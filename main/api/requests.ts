/**
 * Bodies of hub operations (users, groups, images, tokens, keys, invites, settings, extend,
 * cleanup): the API's request schemas, validated once at the boundary (the hub parses with them,
 * clients type their bodies with them). Sizes may be written "16g"; they arrive here as bytes.
 */
import { z } from 'zod';
import { parseSize } from '../core/sizes';
import { checkImageRef } from '../core/image-ref';
import { checkUserName, checkWorkspaceName } from '../core/names';
import { parseGpus } from '../core/gpus';
import { parsePublicKey } from '../core/ssh-public-key';
import { numberOrText, parsedField, rule, text } from '../core/validation';
import { MAX_DAYS } from '../core/workspace-spec';
import { checkAbsolutePath, trimPath } from '../core/mounts';
import { MAX_INVITE_HOURS } from '../core/invite-link';
import { AUDIT_OUTCOMES, MAX_AUDIT_PAGE, type AuditOutcome } from './audit-dto';

// Forms check a body as people type with the very rules the hub parses it with (one source of truth).
export { fieldIssues } from '../core/validation';
export { workspaceRequestSchema as createWorkspaceInput, MAX_DAYS } from '../core/workspace-spec';

// Schemas are z.lazy or made by functions: built on first use, not at import (CLI start-up).
const userName = () => parsedField(text('a name'), (v) => { const r = checkUserName(v); return r ? rule(r) : v; });
/** A name checked by the workspace-name rule, its refusal naming what the name is of ("an image name"). */
const nameOf = (noun: string) => () => parsedField(text('a name'), (v) => { const r = checkWorkspaceName(v); return r ? rule(r.replace('a workspace name', noun)) : v; });
const groupName = nameOf('a group name');
const imageName = nameOf('an image name');
const bool = () => z.boolean({ error: 'must be true or false' });

const sizeOrNull = () => parsedField(numberOrText().nullable(), (v) => {
  if (v === null) return null;
  const b = parseSize(v);
  return b !== null && b > 0 ? b : rule(`"${v}" is not a size (use 512m, 2g, …)`);
});
const positiveOrNull = (what: string, int = false, max = Infinity) =>
  parsedField(numberOrText().nullable(), (v) => {
    if (v === null) return null;
    const n = typeof v === 'number' ? v : /^\s*\d*\.?\d+\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isFinite(n) || n < 0 || (int && !Number.isInteger(n))) return rule(`"${v}" is not ${what}`);
    return n <= max ? n : rule(`must be at most ${max}`);
  });

export const quotaInput = z.lazy(() => z
  .object({
    maxWorkspaces: positiveOrNull('a whole number', true).optional(),
    cpus: positiveOrNull('a number of CPUs').optional(),
    memory: sizeOrNull().optional(),
    gpus: positiveOrNull('a whole number', true).optional(),
  })
  .strict());

const createUserObject = () => z
  .object({
    name: userName(),
    admin: bool().optional(),
    blocked: bool().optional(),
    selfService: bool().optional(),
    groups: z.array(groupName()).optional(),
    quota: quotaInput.optional(),
  })
  .strict();
export const createUserInput = z.lazy(createUserObject);
export const updateUserInput = z.lazy(() => createUserObject().omit({ name: true }).partial().strict());

export const groupInput = z.lazy(() => z.object({ name: groupName(), quota: quotaInput.optional() }).strict());
export const updateGroupInput = z.lazy(() => z.object({ quota: quotaInput }).strict());

const imageDefaultsInput = () => z
  .object({
    cpus: positiveOrNull('a number of CPUs').optional(),
    memory: sizeOrNull().optional(),
    shm: sizeOrNull().optional(),
    gpus: parsedField(numberOrText(), (v) => { const r = parseGpus(v); return typeof r === 'string' ? rule(r) : String(v); }).optional(),
    // An image's default days make a workspace's days: the same ceiling as a request's.
    days: positiveOrNull('a number of days', false, MAX_DAYS).optional(),
  })
  .strict();

const imageObject = () => z
  .object({
    name: imageName(),
    ref: parsedField(text('an image reference'), (v) => { const r = checkImageRef(v); return r ? rule(r) : v; }),
    displayName: z.string().max(100).optional(),
    access: z.object({ users: z.array(userName()).optional(), groups: z.array(groupName()).optional() }).strict().optional(),
    defaults: imageDefaultsInput().optional(),
  })
  .strict();
export const imageInput = z.lazy(imageObject);
export const updateImageInput = z.lazy(() => imageObject().omit({ name: true }).partial().strict());

export const tokenInput = z.lazy(() => z
  .object({
    note: z.string().max(200, 'must be at most 200 characters').optional(),
    scope: z.enum(['user', 'admin'], { error: 'must be "user" or "admin"' }).optional(),
    expiresInDays: z.number({ error: 'must be a number of days' }).positive('must be more than 0').max(3650).optional(),
  })
  .strict());

export const keyInput = z.lazy(() => z
  .object({ key: parsedField(text('a public key'), (v) => { const r = parsePublicKey(v); return typeof r === 'string' ? rule(r) : r; }) })
  .strict());

/** A positive number of `unit`; days never past MAX_DAYS, the most a workspace may ask (the CLI's and the UI's limit too). */
const positive = (unit: string) => z.number({ error: `must be a number of ${unit}` }).positive('must be more than 0');
const days = () => positive('days').max(MAX_DAYS, `must be at most ${MAX_DAYS} days`);

export const settingsInput = z.lazy(() => z
  .object({
    allowCustomImages: bool(),
    expiryWarningHours: z.number({ error: 'must be a number of hours' }).min(0, 'must be 0 or more'),
    expiryAction: z.enum(['stop', 'remove'], { error: 'must be "stop" or "remove"' }),
    maxDays: days().nullable(),
    defaultDays: days().nullable(),
    idleCullMinutes: positive('minutes').nullable(),
    cleanupIntervalMinutes: positive('minutes').nullable(),
    defaultQuota: quotaInput,
    autoCreateUsers: bool(),
    adminAccess: bool(),
    /** Days the audit log keeps an entry; null: for ever. */
    auditRetentionDays: z.number().int('must be a whole number of days').positive('must be more than 0').max(36_500).nullable(),
    defaultImage: groupName().nullable(),
    sshAgentForwarding: bool(),
    sshEcdsaHostKey: bool(),
    bindMountAllowList: z.array(parsedField(text('a path'), (v) => { const r = checkAbsolutePath(v); return r ? rule(r) : trimPath(v); })).max(64),
  })
  .partial()
  .strict());

export const extendInput = z.lazy(() => z
  .object({ days: z.number({ error: 'must be a number of days' }).positive('must be more than 0').max(MAX_DAYS, `must be at most ${MAX_DAYS}`) })
  .strict());
export const cleanupInput = z.lazy(() => z.object({ dryRun: bool().optional() }).strict());

export const inviteInput = z.lazy(() => z
  .object({
    user: z.string().min(1, 'is required'),
    /** Hours until the code stops working (default 24, at most 30 days). */
    expiresInHours: z.number().positive().max(MAX_INVITE_HOURS, `must be at most ${MAX_INVITE_HOURS} (30 days)`).optional(),
    note: z.string().max(200).optional(),
  })
  .strict());

export const redeemInput = z.lazy(() => z.object({ code: z.string().min(1, 'is required').max(200) }).strict());

const isoTime = () => z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'must be a time (ISO 8601, e.g. 2026-05-01T12:00:00Z)');
const auditFilterObject = () => z
  .object({
    user: z.string().max(200).optional(),
    workspace: z.string().max(200).optional(),
    action: z.string().max(100).optional(),
    outcome: z.enum(AUDIT_OUTCOMES as [AuditOutcome, ...AuditOutcome[]], { error: 'must be ok, refused or failed' }).optional(),
    since: isoTime().optional(),
    until: isoTime().optional(),
  })
  .strict();
/** A page of the audit log: its filters, the cursor and the page's size. */
export const auditQueryInput = z.lazy(() => auditFilterObject().extend({
  before: z.number().int().positive().optional(),
  limit: z.number().int().min(1, 'must be at least 1').max(MAX_AUDIT_PAGE, `must be at most ${MAX_AUDIT_PAGE}`).optional(),
}).strict());
/** An export of the audit log: its filters, the format, and at most how many entries (default: all). */
export const auditExportInput = z.lazy(() => auditFilterObject().extend({
  format: z.enum(['csv', 'json'], { error: 'must be csv or json' }).optional(),
  limit: z.number().int().positive().optional(),
}).strict());

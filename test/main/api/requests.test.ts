import { describe, expect, it } from 'vitest';
import { parseWith } from '../../../main/core/validation';
import {
  cleanupInput, createUserInput, extendInput, groupInput, imageInput, inviteInput, keyInput, redeemInput, settingsInput, tokenInput, updateUserInput,
  fieldIssues,
} from '../../../main/api/requests';

// The API's request schemas: what a body may hold, how it is normalized (sizes in bytes), and that
// refusals name the field. Unknown fields are refused everywhere, so a typo is never ignored.
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e as Error & { field?: string };
  }
  throw new Error('expected a refusal');
};

describe('request schemas', () => {
  it('normalizes sizes and numbers written as text', () => {
    expect(parseWith(createUserInput, { name: 'alice', quota: { memory: '2g', cpus: '1.5', maxWorkspaces: 3 } }).quota)
      .toEqual({ memory: 2 * 1024 ** 3, cpus: 1.5, maxWorkspaces: 3 });
    expect(parseWith(imageInput, { name: 'box', ref: 'busybox:1', defaults: { memory: '512m', gpus: 1 } }).defaults).toEqual({ memory: 512 * 1024 ** 2, gpus: '1' });
    expect(parseWith(settingsInput, { bindMountAllowList: ['/data/'] }).bindMountAllowList).toEqual(['/data']);
  });

  it('names the field it refuses', () => {
    expect(refusal(() => parseWith(createUserInput, { name: '1abc' })).field).toBe('name');
    expect(refusal(() => parseWith(groupInput, { name: 'team', quota: { cpus: 'many' } })).field).toBe('quota.cpus');
    expect(refusal(() => parseWith(updateUserInput, { name: 'x' })).message).toMatch(/name/);
    expect(refusal(() => parseWith(tokenInput, { scope: 'root' })).message).toBe('scope: must be "user" or "admin"');
    expect(refusal(() => parseWith(keyInput, { key: 'not a key' })).field).toBe('key');
    expect(refusal(() => parseWith(extendInput, { days: 0 })).message).toBe('days: must be more than 0');
    expect(refusal(() => parseWith(settingsInput, { bindMountAllowList: ['relative'] })).field).toMatch(/^bindMountAllowList/);
    expect(refusal(() => parseWith(cleanupInput, { dryRun: 'yes' })).message).toBe('dryRun: must be true or false');
  });

  it('takes invites of at most 30 days, and a code alone to redeem', () => {
    expect(parseWith(inviteInput, { user: 'bob', expiresInHours: 720, note: 'laptop' })).toEqual({ user: 'bob', expiresInHours: 720, note: 'laptop' });
    expect(refusal(() => parseWith(inviteInput, { user: 'bob', expiresInHours: 721 })).message).toBe('expiresInHours: must be at most 720 (30 days)');
    expect(refusal(() => parseWith(inviteInput, { user: '' })).message).toBe('user: is required');
    expect(parseWith(redeemInput, { code: 'abc' })).toEqual({ code: 'abc' });
    expect(refusal(() => parseWith(redeemInput, { code: 'abc', extra: 1 })).message).toMatch(/extra/);
  });

  // Issue 20 item 4: the UI, the CLI and the API share these limits, so one refusal for all three.
  it('keeps the days limits of settings within what a workspace may ask (3650)', () => {
    expect(refusal(() => parseWith(settingsInput, { maxDays: 5000 })).message).toBe('maxDays: must be at most 3650 days');
    expect(refusal(() => parseWith(settingsInput, { defaultDays: 5000 })).message).toBe('defaultDays: must be at most 3650 days');
    expect(refusal(() => parseWith(settingsInput, { idleCullMinutes: 0 })).message).toBe('idleCullMinutes: must be more than 0');
    expect(parseWith(settingsInput, { maxDays: 3650, defaultDays: null })).toEqual({ maxDays: 3650, defaultDays: null });
    expect(refusal(() => parseWith(imageInput, { name: 'box', ref: 'busybox:1', defaults: { days: 5000 } })).message).toBe('defaults.days: must be at most 3650');
  });

  it('names an image name an image name, not a group name', () => {
    expect(refusal(() => parseWith(imageInput, { name: 'Local Jupyter', ref: 'busybox:1' })).message).toMatch(/^name: "Local Jupyter" is not an image name/);
    expect(refusal(() => parseWith(groupInput, { name: 'Data Team' })).message).toMatch(/is not a group name/);
  });

  it('lists every refusal of a body by field for forms, in the words parseWith uses', () => {
    expect(fieldIssues(createUserInput, { name: '1abc', quota: { cpus: 'many', memory: '12x' } })).toEqual({
      name: refusal(() => parseWith(createUserInput, { name: '1abc' })).message.replace(/^name: /, ''),
      'quota.cpus': '"many" is not a number of CPUs',
      'quota.memory': '"12x" is not a size (use 512m, 2g, …)',
    });
    expect(fieldIssues(settingsInput, { maxDays: 30 })).toEqual({});
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type ImageRecord, type InviteRecord, type TokenRecord, type UserRecord } from '../../../main/hub/hub-state';
import { deepFreeze } from '../../../main/hub/store-rows';
import {
  createdTokenToWire, groupToWire, imageToWire, inviteToWire, settingsToWire, sshKeyToWire, tokenToWire, userToWire,
} from '../../../main/hub/to-wire';

// Stored rows → the API's types: every field the API had before the split is there, nothing the
// store keeps to itself (token and invite hashes, identities) leaks, and what callers get is theirs
// to change (stored rows are frozen and shared).
const key = { id: 'k1', type: 'ssh-ed25519', key: 'AAAA', comment: 'me@laptop', fingerprint: 'SHA256:x', addedAt: '2030-01-01T00:00:00Z' };
const user: UserRecord = deepFreeze({
  name: 'alice', admin: false, blocked: false, selfService: true, groups: ['team'], quota: { cpus: 2, memory: null }, sshKeys: [key],
  createdAt: '2030-01-01T00:00:00Z', directory: { source: 'oidc', subject: 'https://idp sub-1' }, uid: 'secret-uid',
});
const token: TokenRecord = deepFreeze({ id: 't1', user: 'alice', hash: 'HASH', note: 'ci', scope: 'user', expiresAt: null, createdAt: '2030-01-01T00:00:00Z', lastUsedAt: null });
const image: ImageRecord = deepFreeze({ name: 'box', ref: 'busybox:1', displayName: 'Box', access: { users: ['alice'], groups: [] }, defaults: { cpus: 1, gpus: 'all' } });
const invite: InviteRecord = deepFreeze({
  id: 'i1', user: 'alice', hash: 'IHASH', note: '', createdBy: 'admin', createdAt: '2030-01-01T00:00:00Z', expiresAt: '2030-01-02T00:00:00Z', uid: 'secret-uid',
});

describe('to-wire', () => {
  it('shows a user as the API always did: everything but the identity, plus the quota that applies', () => {
    const { uid: _uid, ...shown } = user;
    const wire = userToWire(user, { cpus: 2, maxWorkspaces: 3 });
    expect(wire).toEqual({ ...shown, effectiveQuota: { cpus: 2, maxWorkspaces: 3 } });
    expect(JSON.stringify(wire)).not.toContain('secret-uid');
    const { directory: _d, ...local } = user;
    expect(userToWire(local, {})).not.toHaveProperty('directory');
  });

  it('never lets a token or invite hash out, and keeps the secret only for a token just made', () => {
    const { hash: _h, ...shown } = token;
    expect(tokenToWire(token)).toEqual(shown);
    expect(createdTokenToWire(token, 'hdt_secret')).toEqual({ ...shown, token: 'hdt_secret' });
    const { hash: _ih, uid: _iu, ...invited } = invite;
    expect(inviteToWire(invite)).toEqual(invited);
    expect(JSON.stringify([tokenToWire(token), inviteToWire(invite)])).not.toMatch(/HASH|secret-uid/);
  });

  it('copies images, groups, keys and settings whole', () => {
    expect(imageToWire(image)).toEqual(image);
    expect(groupToWire({ name: 'team', quota: { gpus: 1 }, createdAt: 'x' })).toEqual({ name: 'team', quota: { gpus: 1 }, createdAt: 'x' });
    expect(sshKeyToWire(key)).toEqual(key);
    const settings = deepFreeze({ ...DEFAULT_SETTINGS, defaultQuota: { memory: 1024 }, bindMountAllowList: ['/data'] });
    expect(settingsToWire(settings)).toEqual(settings);
  });

  it('hands out copies: a caller may change what it got without touching the (frozen) stored row', () => {
    const wire = userToWire(user, {});
    wire.groups.push('other');
    wire.sshKeys[0]!.comment = 'changed';
    wire.quota.cpus = 9;
    const img = imageToWire(image);
    img.access.users.push('bob');
    img.defaults.cpus = 4;
    expect(user.groups).toEqual(['team']);
    expect(user.sshKeys[0]!.comment).toBe('me@laptop');
    expect(image.access.users).toEqual(['alice']);
    expect(image.defaults.cpus).toBe(1);
  });
});

/**
 * A full disk (a 512 KiB tmpfs, so as root, like the Docker tests): a write fails with a clear
 * "storage is full", the database survives as it was, and reads go on (hardening, 11).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubStore } from '../../../main/hub/hub-store';
import { DEFAULT_SETTINGS, STATE_VERSION, type HubState } from '../../../main/hub/hub-state';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-full-'));
beforeAll(() => { execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', dir]); });
afterAll(() => {
  execFileSync('umount', [dir]);
  fs.rmSync(dir, { recursive: true, force: true });
});

const fresh = (): HubState => ({
  version: STATE_VERSION, hubId: 'h', origin: 'h', createdAt: '2030-01-01T00:00:00Z', users: [], groups: [], tokens: [], images: [],
  settings: { ...DEFAULT_SETTINGS }, expiry: [], deletedUsers: [], invites: [], shared: null,
});

describe('a full disk', () => {
  it('refuses the write clearly, keeps the database and the state in memory, and serves reads', async () => {
    const s = new HubStore(dir);
    await s.load(fresh);
    await s.mutate((st) => { st.hubId = 'second'; });
    fs.writeFileSync(path.join(dir, 'filler'), Buffer.alloc(0));
    try {
      fs.writeFileSync(path.join(dir, 'filler'), Buffer.alloc(512 * 1024)); // fills what is left
    } catch {
      // ENOSPC while filling: the disk is full, which is the point
    }
    const e = await s.mutate((st) => { st.hubId = 'x'.repeat(200_000); }).catch((x: Error) => x);
    expect(e).toMatchObject({ name: 'StorageError', code: 'unavailable', publicMessage: 'hub storage is full; changes cannot be saved until its operator frees space' });
    expect(s.current.hubId).toBe('second');
    s.close();
    fs.rmSync(path.join(dir, 'filler'));
    const again = new HubStore(dir);
    await again.load(() => { throw new Error('the store was lost'); });
    expect(again.current.hubId).toBe('second'); // the failed write left nothing half-done
    await again.mutate((st) => { st.hubId = 'third'; }); // and writes work once there is space
    expect(again.current.hubId).toBe('third');
    again.close();
  });
});

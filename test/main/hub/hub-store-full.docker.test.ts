/**
 * A full disk (a 64 KiB tmpfs, so as root, like the Docker tests): a write fails with a clear
 * "storage is full", the previous file and its backup survive, and reads go on (hardening, 11).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubStore } from '../../../main/hub/hub-store';
import { DEFAULT_SETTINGS, STATE_VERSION, type HubState } from '../../../main/hub/hub-state';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-full-'));
beforeAll(() => { execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]); });
afterAll(() => {
  execFileSync('umount', [dir]);
  fs.rmSync(dir, { recursive: true, force: true });
});

const fresh = (): HubState => ({
  version: STATE_VERSION, hubId: 'h', origin: 'h', createdAt: '2030-01-01T00:00:00Z', users: [], groups: [], tokens: [], images: [],
  settings: { ...DEFAULT_SETTINGS }, expiry: [], deletedUsers: [],
});

describe('a full disk', () => {
  it('refuses the write clearly and keeps hub.json, its backup and the state in memory', async () => {
    const s = new HubStore(dir);
    await s.load(fresh);
    await s.mutate((st) => { st.hubId = 'second'; }); // now hub.json and hub.json.bak exist
    const before = fs.readFileSync(s.file, 'utf8');
    const bak = fs.readFileSync(`${s.file}.bak`, 'utf8');
    fs.writeFileSync(path.join(dir, 'filler'), Buffer.alloc(0));
    try {
      fs.writeFileSync(path.join(dir, 'filler'), Buffer.alloc(64 * 1024)); // fills what is left
    } catch {
      // ENOSPC while filling: the disk is full, which is the point
    }
    const e = await s.mutate((st) => { st.hubId = 'x'.repeat(200_000); }).catch((x: Error) => x);
    expect(e).toMatchObject({ name: 'StorageError', code: 'unavailable', publicMessage: 'hub storage is full; changes cannot be saved until its operator frees space' });
    expect(fs.readFileSync(s.file, 'utf8')).toBe(before);
    expect(fs.readFileSync(`${s.file}.bak`, 'utf8')).toBe(bak);
    expect(s.current.hubId).toBe('second');
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});

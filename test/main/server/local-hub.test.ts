/**
 * The local hub (main/server/local-hub.ts): opened in-process on its data directory with the
 * desktop's user as admin, users created on first use, workspaces named <workspace>.hubdeck for
 * ssh, and the client it comes with closing the hub itself.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localDataDir } from '../../../main/server/local-data-dir';
import { openLocalHub } from '../../../main/server/local-hub';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-hub-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('the local hub', () => {
  it('finds its data directory: explicit, then $HUBDECK_DATA, then $XDG_DATA_HOME/hubdeck', () => {
    expect(localDataDir({ HUBDECK_DATA: '/x' }, '/explicit')).toBe('/explicit');
    expect(localDataDir({ HUBDECK_DATA: '/x' })).toBe('/x');
    expect(localDataDir({ XDG_DATA_HOME: '/xdg' })).toBe(path.join('/xdg', 'hubdeck'));
  });

  it('opens with its runner as admin, ssh alias hubdeck, and users made on first use', async () => {
    const local = await openLocalHub({ admin: 'lead', env: {}, dataDir, engine: 'fake' });
    try {
      const info = await local.client.info();
      expect(info.user).toEqual({ name: 'lead', admin: true });
      expect(info.ssh?.alias).toBe('hubdeck');
      expect((await local.client.getSettings()).autoCreateUsers).toBe(true);
      expect(fs.existsSync(dataDir) && fs.readdirSync(dataDir).length).toBeGreaterThan(0);
    } finally {
      await local.client.close();
    }
    // Closing the client closed the hub: it opens again on the same directory.
    const again = await openLocalHub({ admin: 'lead', env: {}, dataDir, engine: 'fake' });
    expect((await again.client.info()).hubId).toBeTruthy();
    await again.client.close();
  });
});

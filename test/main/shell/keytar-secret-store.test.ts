import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The real keychain path: keytar → libsecret → the Secret Service of a GNOME Keyring running in
// its own D-Bus session (dbus-run-session), in a child process so the session ends with it.
const ROOT = path.join(__dirname, '../../..');
const SCRIPT = path.join(ROOT, 'test/support/keytar-roundtrip.ts');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

function inKeyringSession(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  // A fresh HOME: the daemon creates (and unlocks) a new login keyring there, whatever this machine has.
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keyring-home-'));
  return new Promise((resolve) => {
    execFile('dbus-run-session', ['--', 'sh', '-c', `echo -n test-pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null && ${command}`],
      { cwd: ROOT, timeout: 60_000, env: { ...process.env, HOME: home, XDG_DATA_HOME: path.join(home, '.local/share'), XDG_RUNTIME_DIR: home } },
      (err, stdout, stderr) => {
        fs.rmSync(home, { recursive: true, force: true });
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      });
  });
}

describe('KeytarSecretStore on GNOME Keyring', () => {
  it('stores, replaces, reads and deletes a hub token under service "hubdeck"', async () => {
    const r = await inKeyringSession(`${TSX} ${SCRIPT}`);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ before: null, first: 'hdk_secret_one', second: 'hdk_secret_two', deleted: true, after: null, deletedAgain: false });
  });

  it('fails clearly, never silently, without a Secret Service', async () => {
    const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(TSX, [SCRIPT], { cwd: ROOT, timeout: 60_000, env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' } },
        (err, _out, stderr) => resolve({ code: err ? 1 : 0, stderr }));
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^the system keychain is not available \(.+\); hub tokens are kept only there/);
  });
});

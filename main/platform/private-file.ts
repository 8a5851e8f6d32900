/**
 * Private files written so that a crash never leaves half of one: the text goes to a temp file in
 * the same directory (0600 from the start, so a secret is never readable by others even for a
 * moment), is synced to disk, then renamed over the target (or linked, when the file must be made
 * only once) and the directory synced, so after a crash or power loss the file holds either the
 * old text or the new, whole. Host keys, SSH identities, known_hosts, the ssh config, saved hubs
 * and tunnels all go through here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isProcessAlive } from './process-alive';

const PRIVATE = 0o600;

/** Writes `text` over `file` atomically (0600), making its directory (0700) when missing. */
export function writePrivateFile(file: string, text: string | Uint8Array): void {
  const tmp = writeSyncedTemp(file, text);
  try {
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  syncDir(path.dirname(file));
}

/**
 * Makes `file` with `text` (0600) only if it does not exist: link() refuses an existing name, so of
 * two processes racing, one makes it whole and the other leaves it be. True when this call made it.
 */
export function createPrivateFile(file: string, text: string | Uint8Array): boolean {
  const tmp = writeSyncedTemp(file, text);
  try {
    fs.linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return false;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  syncDir(path.dirname(file));
  return true;
}

/** The temp file beside `file` for process `pid`: hidden, and named so a sweep can tell whose it is. */
export const tempPathOf = (file: string, pid = process.pid): string =>
  path.join(path.dirname(file), `.${path.basename(file)}.${pid}.hubdeck-tmp`);

function writeSyncedTemp(file: string, text: string | Uint8Array): string {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  sweepDeadTemps(file);
  const tmp = tempPathOf(file);
  // Ours from an earlier call that threw midway (same pid): 'wx' below must not trip on it.
  fs.rmSync(tmp, { force: true });
  const fd = fs.openSync(tmp, 'wx', PRIVATE);
  try {
    // A umask cannot widen 0600, but one like 0o277 narrows it so the owner could not read it back.
    fs.fchmodSync(fd, PRIVATE);
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  return tmp;
}

/** Removes temp files left beside `file` by processes that died mid-write (killed, crashed). */
function sweepDeadTemps(file: string): void {
  const prefix = `.${path.basename(file)}.`;
  let names: string[];
  try {
    names = fs.readdirSync(path.dirname(file));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.hubdeck-tmp')) continue;
    const pid = Number(name.slice(prefix.length, -'.hubdeck-tmp'.length));
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isProcessAlive(pid)) fs.rmSync(path.join(path.dirname(file), name), { force: true });
  }
}

/** Makes a rename or link durable: the directory entry itself must reach the disk. */
function syncDir(dir: string): void {
  // Windows cannot open a directory to sync it (NTFS journals the rename itself).
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } catch (e) {
    // A few file systems refuse fsync on a directory; the rename stands all the same.
    if ((e as NodeJS.ErrnoException).code !== 'EINVAL') throw e;
  } finally {
    fs.closeSync(fd);
  }
}

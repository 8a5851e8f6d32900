/**
 * Reading and writing the ssh config file Hubdeck manages a block in. A file that is not what it
 * seems is refused before anything is written: a symlink that dangles or leads out of the home
 * directory, something that is not a regular file, a file of another user. Writes are atomic
 * (temp file, fsync, rename), leave the file 0600 and keep the previous text as a backup. A
 * symlinked config (dotfile repositories) is written through, so the link stays a link.
 */
import fs from 'node:fs';
import path from 'node:path';
import { HubdeckError } from '../core/errors';
import { writePrivateFile } from '../platform/private-file';

export interface SshConfigFile {
  /** The path as given. */
  file: string;
  /** Where the text really is (the symlink's target), written in place. */
  real: string;
  text: string;
  existed: boolean;
}

const refuse = (file: string, why: string) => new HubdeckError('invalid', `ssh config ${file}: ${why}; the file was not changed`, 'file');

export function readSshConfig(file: string, home: string): SshConfigFile {
  let real = file;
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { file, real: file, text: '', existed: false };
    throw e;
  }
  if (stat.isSymbolicLink()) {
    try {
      real = fs.realpathSync(file);
    } catch {
      throw refuse(file, `it is a symlink to ${fs.readlinkSync(file)}, which does not exist`);
    }
    if (!within(real, fs.realpathSync(home))) throw refuse(file, `it is a symlink to ${real}, outside your home directory`);
    stat = fs.statSync(real);
  }
  if (!stat.isFile()) throw refuse(file, 'it is not a regular file');
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) throw refuse(file, `it belongs to another user (uid ${stat.uid})`);
  return { file, real, text: fs.readFileSync(real, 'utf8'), existed: true };
}

const within = (p: string, dir: string) => p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);

/** The backup beside the file: the text before Hubdeck's last change to it. */
export const backupPath = (c: SshConfigFile) => `${c.real}.hubdeck-backup`;

/** Writes `text` over the file atomically (0600), keeping the previous text as a backup. */
export function writeSshConfig(c: SshConfigFile, text: string): void {
  if (c.existed) writePrivateFile(backupPath(c), c.text);
  writePrivateFile(c.real, text);
}

/** A short unified-style diff of one changed region, for --dry-run. */
export function regionDiff(file: string, before: string, after: string): string {
  if (before === after) return '';
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  const strip = (l: string) => l.replace(/\r$/, '');
  return [
    `--- ${file}`, `+++ ${file} (after)`, `@@ line ${start + 1} @@`,
    ...a.slice(start, endA).map((l) => `-${strip(l)}`),
    ...b.slice(start, endB).map((l) => `+${strip(l)}`),
  ].join('\n');
}

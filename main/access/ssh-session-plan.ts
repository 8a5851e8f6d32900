/**
 * What the SSH gateway decides without I/O: which workspace a login name means, which environment
 * a client may set, and the commands sessions run in the workspace. Commands are fixed scripts;
 * what the client sends (the command line of `ssh host cmd`) travels as a positional argument and
 * is run by the user's own shell, exactly as sshd would — never spliced into our script.
 */
import { checkUserName, checkWorkspaceName } from '../core/names';
import type { WorkspaceRef } from '../engine/engine';
import type { Actor } from '../hub/actor';

/** A login the gateway accepted: who, by which key, and the workspace its name means (or why it means none). */
export interface SshLogin {
  actor: Actor;
  target: WorkspaceRef | string;
  /** The key that proved it (type and blob), asked about again while the connection lasts. */
  key: { type: string; blob: Buffer };
}

/**
 * The target of a login name: `user.workspace`, or just `workspace` for the key's own user. User
 * names hold no dot, so the split is unambiguous. Returns the ref or a one-line reason.
 */
export function targetOfLogin(login: string, keyUser: string): WorkspaceRef | string {
  const dot = login.indexOf('.');
  const user = dot < 0 ? keyUser : login.slice(0, dot);
  const name = dot < 0 ? login : login.slice(dot + 1);
  const userRule = checkUserName(user);
  if (userRule) return `hubdeck: the login name "${printable(login)}" must be WORKSPACE or USER.WORKSPACE (${userRule})`;
  const nameRule = checkWorkspaceName(name);
  if (nameRule) return `hubdeck: the login name "${printable(login)}" must be WORKSPACE or USER.WORKSPACE (${nameRule})`;
  return { user, name };
}

const printable = (s: string) => s.slice(0, 80).replace(/[^\x20-\x7e]/g, '?');

/** Environment a client may pass (`SendEnv`): locale and terminal hints, as sshd's AcceptEnv does. */
const ENV_NAMES = new Set(['LANG', 'LANGUAGE', 'TZ', 'COLORTERM', 'TERM_PROGRAM', 'TERM_PROGRAM_VERSION']);
const ENV_PREFIXES = ['LC_', 'GIT_AUTHOR_', 'GIT_COMMITTER_'];

export function envAllowed(name: string, value: string): boolean {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) || value.length > 4096 || value.includes('\0')) return false;
  return ENV_NAMES.has(name) || ENV_PREFIXES.some((p) => name.startsWith(p));
}

/** Finds the workspace user's login shell (getent), falling back to /bin/sh, then runs it. */
const LOGIN_SHELL = 's=$(getent passwd "$(id -u)" 2>/dev/null | cut -d: -f7); [ -x "$s" ] || s=/bin/sh';

/** An interactive login shell (`ssh host`). */
export function shellCommand(): string[] {
  return ['/bin/sh', '-c', `${LOGIN_SHELL}; cd 2>/dev/null; exec "$s" -l`, 'hubdeck-ssh'];
}

/** `ssh host 'command'`: the command line given to the user's shell with -c, as sshd does. */
export function execCommand(command: string): string[] {
  return ['/bin/sh', '-c', `${LOGIN_SHELL}; cd 2>/dev/null; exec "$s" -c "$1"`, 'hubdeck-ssh', command];
}

/** Where images keep OpenSSH's sftp-server (Debian/Ubuntu, Fedora/RHEL, Arch, Alpine, others). */
export const SFTP_SERVER_PATHS = ['/usr/lib/openssh/sftp-server', '/usr/libexec/openssh/sftp-server', '/usr/lib/ssh/sftp-server', '/usr/libexec/sftp-server', '/usr/lib/sftp-server'];

export const NO_SFTP_MESSAGE = 'hubdeck: this workspace image has no sftp-server, which sftp and scp need; install it in the image (Debian/Ubuntu: openssh-sftp-server)';
export const NO_SFTP_EXIT = 127;

/** The `sftp` subsystem: the image's own sftp-server, or a clear message when it has none. */
export function sftpCommand(): string[] {
  const tries = SFTP_SERVER_PATHS.map((p) => `[ -x ${p} ] && exec ${p}`).join('; ');
  return ['/bin/sh', '-c', `cd 2>/dev/null; ${tries}; echo "$1" >&2; exit ${NO_SFTP_EXIT}`, 'hubdeck-sftp', NO_SFTP_MESSAGE];
}

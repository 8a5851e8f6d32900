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

/**
 * Environment a client may pass (`SendEnv`): locale and terminal hints, as sshd's AcceptEnv does,
 * and GIT_PROTOCOL, which git sends to ask for wire protocol v2 (sshd setups for git accept it).
 */
const ENV_NAMES = new Set(['LANG', 'LANGUAGE', 'TZ', 'COLORTERM', 'NO_COLOR', 'TERM_PROGRAM', 'TERM_PROGRAM_VERSION', 'GIT_PROTOCOL']);
const ENV_PREFIXES = ['LC_', 'GIT_AUTHOR_', 'GIT_COMMITTER_'];

export function envAllowed(name: string, value: string): boolean {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) || value.length > 4096 || value.includes('\0')) return false;
  // git's own syntax ("version=2", keys joined by ':'); anything else is not git asking.
  if (name === 'GIT_PROTOCOL') return /^[A-Za-z0-9=:._-]{0,256}$/.test(value);
  return ENV_NAMES.has(name) || ENV_PREFIXES.some((p) => name.startsWith(p));
}

/**
 * What sshd sets for a session, from the workspace user's passwd entry (getent; the uid alone when
 * the image has none): USER, LOGNAME, HOME and SHELL (the login shell, /bin/sh when missing), the
 * working directory (home), and SSH_TTY for an SSH session with a terminal. SSH_CONNECTION and
 * SSH_CLIENT come from the gateway (sessionEnv). The image's own environment stays, where sshd
 * would start from a clean one: images set PATH and the like for their tools.
 */
const LOGIN_ENV = [
  // Images without getent (busybox) still have /etc/passwd.
  'i=$(id -u); pw=$(getent passwd "$i" 2>/dev/null || grep "^[^:]*:[^:]*:$i:" /etc/passwd 2>/dev/null | head -n 1)',
  'u=${pw%%:*}; [ -n "$u" ] || u=$(id -un 2>/dev/null) || u=$i',
  'h=$(printf %s "$pw" | cut -d: -f6); [ -n "$h" ] && HOME=$h',
  's=${pw##*:}; [ -x "$s" ] || s=/bin/sh',
  'USER=$u; LOGNAME=$u; SHELL=$s; export USER LOGNAME HOME SHELL',
  'if [ -n "$SSH_CONNECTION" ] && [ -t 0 ]; then SSH_TTY=$(tty 2>/dev/null) && export SSH_TTY; fi',
  'cd 2>/dev/null',
].join('; ');

/** An interactive login shell (`ssh host`, the browser terminal). */
export function shellCommand(): string[] {
  return ['/bin/sh', '-c', `${LOGIN_ENV}; exec "$s" -l`, 'hubdeck-ssh'];
}

/** `ssh host 'command'`: the command line given to the user's shell with -c, as sshd does. */
export function execCommand(command: string): string[] {
  return ['/bin/sh', '-c', `${LOGIN_ENV}; exec "$s" -c "$1"`, 'hubdeck-ssh', command];
}

/** The two ends of an SSH connection as sshd names them; null ends for one over stdio (ssh-proxy). */
export interface SshPeer {
  clientIp: string;
  clientPort: number;
  serverIp: string;
  serverPort: number;
}

/**
 * SSH_CONNECTION ("client-ip client-port server-ip server-port") and SSH_CLIENT ("client-ip
 * client-port server-port"), as sshd sets them; over stdio, as sshd -i does on a pipe: UNKNOWN 65535.
 */
export function sessionEnv(peer: SshPeer | null): Record<string, string> {
  const p = peer ?? { clientIp: 'UNKNOWN', clientPort: 65535, serverIp: 'UNKNOWN', serverPort: 65535 };
  const ip = (a: string) => a.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  return {
    SSH_CONNECTION: `${ip(p.clientIp)} ${p.clientPort} ${ip(p.serverIp)} ${p.serverPort}`,
    SSH_CLIENT: `${ip(p.clientIp)} ${p.clientPort} ${p.serverPort}`,
  };
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

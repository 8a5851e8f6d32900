/**
 * Named tunnels (local port → workspace port), kept in the user's Hubdeck data directory beside
 * the local hub (`tunnels.json`, 0600) so the CLI and the desktop app share them; which ones run is
 * told by pid files of their processes (`tunnels/<name>.pid`), checked for liveness, never trusted
 * blindly. No secret is stored: a tunnel to a remote hub takes its token from the environment (or
 * the keychain on the desktop) when it starts.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { HubdeckError } from '../core/errors';
import { checkUserName, checkWorkspaceName } from '../core/names';
import { parseWith } from '../core/validation';
import { writePrivateFile } from '../platform/private-file';

const label = (what: string, check: (s: string) => string | null) => z.string().superRefine((v, ctx) => {
  const rule = check(v);
  if (rule) ctx.addIssue({ code: 'custom', message: rule.replace(/^"[^"]*" is not a \w+ name/, `is not ${what}`) });
});

export const tunnelSchema = z.object({
  name: label('a tunnel name', checkWorkspaceName),
  workspace: label('a workspace name', checkWorkspaceName),
  user: label('a user name', checkUserName),
  /** The remote hub's URL, or null for the local hub. */
  hub: z.string().url().nullable(),
  fingerprint: z.string().nullable(),
  local: z.number().int().min(1024, 'must be 1024-65535 (no privileges needed)').max(65535, 'must be 1024-65535'),
  remote: z.number().int().min(1, 'must be a port (1-65535)').max(65535, 'must be a port (1-65535)'),
  createdAt: z.string(),
}).strict();
export type Tunnel = z.infer<typeof tunnelSchema>;

const fileSchema = z.object({ version: z.literal(1), tunnels: z.array(tunnelSchema) });

export class TunnelStore {
  readonly file: string;
  readonly runDir: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'tunnels.json');
    this.runDir = path.join(dataDir, 'tunnels');
  }

  list(): Tunnel[] {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const parsed = fileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new HubdeckError('invalid', `${this.file} is damaged (${parsed.error.issues[0]?.message}); fix or remove it`, 'file');
    return parsed.data.tunnels;
  }

  get(name: string): Tunnel {
    const t = this.list().find((x) => x.name === name);
    if (!t) throw new HubdeckError('not_found', `tunnel "${name}" does not exist (hubdeck tunnel list)`);
    return t;
  }

  add(input: unknown): Tunnel {
    const t = parseWith(tunnelSchema, input);
    const all = this.list();
    if (all.some((x) => x.name === t.name)) throw new HubdeckError('conflict', `name: a tunnel "${t.name}" exists already`, 'name');
    const clash = all.find((x) => x.local === t.local);
    if (clash) throw new HubdeckError('conflict', `local: port ${t.local} is already tunnel "${clash.name}"'s`, 'local');
    this.write([...all, t]);
    return t;
  }

  remove(name: string): void {
    const all = this.list();
    if (!all.some((x) => x.name === name)) throw new HubdeckError('not_found', `tunnel "${name}" does not exist (hubdeck tunnel list)`);
    this.write(all.filter((x) => x.name !== name));
  }

  pidFile(name: string): string {
    return path.join(this.runDir, `${name}.pid`);
  }

  logFile(name: string): string {
    return path.join(this.runDir, `${name}.log`);
  }

  /**
   * The pid of the process running the tunnel, or null. A pid file outlives a process that was
   * killed or a machine that rebooted, and its pid may since belong to something else: a pid
   * counts only while it is a `hubdeck tunnel run NAME` process, so `stop` never signals a
   * stranger. A stale pid file is removed.
   */
  runningPid(name: string): number | null {
    let pid: number;
    try {
      pid = Number(fs.readFileSync(this.pidFile(name), 'utf8').trim());
    } catch {
      return null;
    }
    if (Number.isInteger(pid) && pid > 0 && runsTunnel(pid, name)) return pid;
    fs.rmSync(this.pidFile(name), { force: true });
    return null;
  }

  private write(tunnels: Tunnel[]): void {
    writePrivateFile(this.file, `${JSON.stringify({ version: 1, tunnels }, null, 2)}\n`);
  }
}

/** Whether process `pid` is alive, ours, and running `tunnel run <name>`. */
function runsTunnel(pid: number, name: string): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    // ESRCH: gone; EPERM: another user's, so not a tunnel this user started.
    return false;
  }
  const argv = commandLine(pid);
  return argv === null || isTunnelCommand(argv, name);
}

/** The arguments of a process, or null where this platform does not tell them cheaply. */
function commandLine(pid: number): string[] | null {
  if (process.platform === 'linux') {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      return [];
    }
  }
  if (process.platform === 'darwin' || process.platform === 'freebsd') {
    try {
      return execFileSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' }).trim().split(/\s+/);
    } catch {
      return [];
    }
  }
  return null;
}

/** Whether a command line is the background process of tunnel `name` (`… tunnel run NAME`). */
export function isTunnelCommand(argv: readonly string[], name: string): boolean {
  return argv.some((a, i) => a === 'tunnel' && argv[i + 1] === 'run' && argv[i + 2] === name);
}

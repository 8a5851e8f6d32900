/**
 * What every command needs: who the user is, which engine, how to print. Output rules: with --json
 * stdout carries exactly one JSON document; progress and chatter go to stderr.
 */
import os from 'node:os';
import { ValidationError } from '../core/errors';
import { checkUserName, userNameFromOsUser } from '../core/names';
import { DockerEngine } from '../engine/docker/docker-engine';
import type { WorkspaceEngine } from '../engine/engine';

export interface GlobalOptions {
  json?: boolean;
  user?: string;
  dockerHost?: string;
  origin?: string;
}

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
}

export const processIo: CliIo = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  env: process.env,
};

export function resolveUser(opts: GlobalOptions, env: CliIo['env']): string {
  const explicit = opts.user ?? env.HUBDECK_USER;
  if (explicit) {
    const rule = checkUserName(explicit);
    if (rule) throw new ValidationError('user', rule);
    return explicit;
  }
  const osUser = os.userInfo().username;
  const derived = userNameFromOsUser(osUser);
  if (!derived) throw new ValidationError('user', `cannot make a user name of the OS user "${osUser}"; pass --user NAME`);
  return derived;
}

export function openEngine(opts: GlobalOptions, env: CliIo['env']): WorkspaceEngine {
  return new DockerEngine({ host: opts.dockerHost, origin: opts.origin ?? env.HUBDECK_ORIGIN ?? 'local', env });
}

export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

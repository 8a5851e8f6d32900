/**
 * ssh2 connection settings for reaching a remote engine host: the user's key file or agent, and a
 * host key checked against known_hosts (never "accept anything"). The last verification failure is
 * kept so callers can report why a connection was refused instead of ssh2's generic error.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ConnectConfig } from 'ssh2';
import { verdictMessage, verifyHostKey } from './known-hosts';

export interface SshTarget {
  host: string;
  port: number;
  username: string;
}

export interface SshAuthOptions {
  /** A private key file; default: the first of ~/.ssh/id_ed25519, id_ecdsa, id_rsa that exists. */
  keyPath?: string;
  /** known_hosts files to check the host key against; default ~/.ssh/known_hosts. */
  knownHostsFiles?: string[];
  env?: Record<string, string | undefined>;
  homeDir?: string;
}

export interface SshAuth {
  config: ConnectConfig;
  /** Why the host key was refused on the last attempt, if it was. */
  refusal(): string | null;
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

function readIfExists(p: string): Buffer | null {
  try {
    return fs.readFileSync(p);
  } catch {
    return null;
  }
}

export function sshAuth(target: SshTarget, opts: SshAuthOptions = {}): SshAuth {
  const env = opts.env ?? process.env;
  const home = opts.homeDir ?? os.homedir();
  const keyPaths = opts.keyPath ? [opts.keyPath] : DEFAULT_KEYS.map((k) => path.join(home, '.ssh', k));
  const privateKey = keyPaths.map(readIfExists).find((k) => k !== null) ?? undefined;
  if (opts.keyPath && !privateKey) throw new Error(`ssh key ${opts.keyPath} cannot be read`);
  const knownHosts = opts.knownHostsFiles ?? [path.join(home, '.ssh', 'known_hosts')];
  let refusal: string | null = null;
  const config: ConnectConfig = {
    host: target.host,
    port: target.port,
    username: target.username,
    privateKey,
    agent: env.SSH_AUTH_SOCK || undefined,
    readyTimeout: 15_000,
    keepaliveInterval: 15_000,
    hostVerifier: (key: Buffer) => {
      const texts = knownHosts.map((f) => readIfExists(f)?.toString('utf8') ?? '');
      const verdict = verifyHostKey(texts, target.host, target.port, key);
      refusal = verdict === 'match' ? null : verdictMessage(verdict, target.host, target.port);
      return verdict === 'match';
    },
  };
  return { config, refusal: () => refusal };
}

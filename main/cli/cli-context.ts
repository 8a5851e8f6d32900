/**
 * What every command needs: the hub the options name (--hub/--token, else the local hub; the
 * session itself is opened in open-session.ts), the user it acts for, and output rules: with
 * --json, stdout carries exactly one JSON document; progress and chatter go to stderr.
 */
import os from 'node:os';
import { ValidationError } from '../core/errors';
import { checkUserName, userNameFromOsUser } from '../core/names';
import { localDataDir as dataDirFor } from '../server/local-data-dir';
import type { HubClient } from '../client/hub-client';
import type { HubCapabilities } from '../api/capabilities';
import { findSavedHub, savedHubsFile } from '../client/saved-hubs';
import type { HubConnection } from '../client/saved-hub-record';
import { normalizeFingerprint } from '../client/pinned-agent';

export interface GlobalOptions {
  json?: boolean;
  user?: string;
  dockerHost?: string;
  origin?: string;
  hub?: string;
  token?: string;
  fingerprint?: string;
  data?: string;
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

export function osUserName(): string {
  const osUser = os.userInfo().username;
  const derived = userNameFromOsUser(osUser);
  if (!derived) throw new ValidationError('user', `cannot make a user name of the OS user "${osUser}"; pass --user NAME`);
  return derived;
}

export function checkedUser(name: string): string {
  const rule = checkUserName(name);
  if (rule) throw new ValidationError('user', rule);
  return name;
}

/** The local hub's data directory (users, tokens, settings), shared with the desktop app. */
export function localDataDir(g: GlobalOptions, env: CliIo['env']): string {
  return dataDirFor(env, g.data);
}

/**
 * What a backend prints its own way, where it knows more than a WorkspaceView holds (a JupyterHub:
 * last activity, user_options, its progress): supplied by the backend's CLI code; absent, the
 * generic commands print.
 */
export interface WorkspaceViews {
  list(io: CliIo, user: string, g: GlobalOptions): Promise<void>;
  show(io: CliIo, user: string, name: string, g: GlobalOptions): Promise<void>;
  create(io: CliIo, user: string, name: string, flags: Record<string, unknown> & { wait: boolean; timeoutSeconds: number }, g: GlobalOptions): Promise<void>;
}

export interface Session {
  client: HubClient;
  /** The user workspace commands act for: --user, else $HUBDECK_USER, else the caller. */
  user: string;
  /** What the hub can do, asked once per session (a remote hub's from its info, which also names the user). */
  capabilities: () => Promise<HubCapabilities>;
  views?: WorkspaceViews;
}

/**
 * A remote hub as a command reaches it: a saved hub's record (its connection type picks the client,
 * main/client/saved-hub-client.ts) or a hub named by URL on the command line (a Hubdeck hub, no name).
 */
export interface RemoteHub extends HubConnection {
  token: string;
  /** The hub user of a joined hub's token, known without asking the hub; else null. */
  user: string | null;
}

/**
 * The remote hub --hub / $HUBDECK_HUB names, or null for the local hub. A hub joined by invite
 * (`hubdeck hub join`) is found by its name or URL, with its token and pin.
 */
export function remoteHub(g: GlobalOptions, env: CliIo['env']): RemoteHub | null {
  const hubUrl = g.hub ?? env.HUBDECK_HUB;
  if (!hubUrl) return null;
  const saved = g.token ?? env.HUBDECK_TOKEN ? null : findSavedHub(savedHubsFile(localDataDir(g, env)), hubUrl);
  const token = g.token ?? env.HUBDECK_TOKEN ?? saved?.token;
  if (!token) throw new ValidationError('token', 'a hub needs a token: pass --token or set HUBDECK_TOKEN (or join it with hubdeck hub join INVITE)');
  const pin = g.fingerprint ?? env.HUBDECK_HUB_FINGERPRINT;
  const fingerprint = pin === undefined ? saved?.fingerprint ?? null : normalizeFingerprint(pin);
  if (pin !== undefined && !fingerprint) throw new ValidationError('fingerprint', `"${pin}" is not a SHA-256 fingerprint (64 hex digits)`);
  if (!saved) return { kind: 'hubdeck', url: hubUrl, fingerprint, token, user: null };
  return { kind: saved.kind, name: saved.name, url: saved.url, fingerprint, jupyterhub: saved.jupyterhub, token, user: saved.user };
}

export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

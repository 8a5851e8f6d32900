/**
 * What every command needs: a HubClient (a remote hub with --hub/--token, otherwise the local hub
 * in this process over the local engine), the user it acts for, and output rules: with --json,
 * stdout carries exactly one JSON document; progress and chatter go to stderr.
 */
import os from 'node:os';
import { ValidationError } from '../core/errors';
import { checkUserName, userNameFromOsUser } from '../core/names';
import type { HubClient } from '../client/hub-client';
import { remoteHubClient } from '../client/remote-hub-client';
import { localDataDir as dataDirFor } from '../server/local-data-dir';
import { findSavedHub, savedHubsFile, type JupyterHubOptionsConfig } from '../client/saved-hubs';

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

export interface Session {
  client: HubClient;
  /** The user workspace commands act for: --user, else $HUBDECK_USER, else the caller. */
  user: string;
}

export interface RemoteHub {
  url: string;
  token: string;
  fingerprint?: string;
  /** The hub user of a joined hub's token, known without asking the hub; else null. */
  user: string | null;
  /** A saved JupyterHub (`hubdeck hub add --jupyterhub`) rather than a Hubdeck hub. */
  kind: 'hubdeck' | 'jupyterhub';
  jupyterHubOptions?: JupyterHubOptionsConfig;
  /** The saved hub's name, when it is one. */
  name?: string;
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
  const pin = g.fingerprint ?? env.HUBDECK_HUB_FINGERPRINT ?? saved?.fingerprint ?? undefined;
  return { url: saved?.url ?? hubUrl, token, fingerprint: pin, user: saved?.user ?? null, kind: saved?.kind ?? 'hubdeck', jupyterHubOptions: saved?.options, name: saved?.name };
}

export async function openSession(g: GlobalOptions, env: CliIo['env']): Promise<Session> {
  const remote = remoteHub(g, env);
  const explicitUser = g.user ?? (env.HUBDECK_USER || undefined);
  if (remote?.kind === 'jupyterhub') {
    // Loaded only when a JupyterHub is used: other commands do not pay for its code at startup.
    const { jupyterHubHubClient } = await import('../client/jupyterhub/jupyterhub-hub-client');
    const client = jupyterHubHubClient(remote.url, remote.token, { options: remote.jupyterHubOptions, hubId: remote.name });
    const user = explicitUser ? explicitUser : (await client.jupyterhub.workspaces.client.whoami()).name;
    return { client, user };
  }
  if (remote) {
    const client = remoteHubClient({ url: remote.url, token: remote.token, fingerprint: remote.fingerprint });
    const user = explicitUser ? checkedUser(explicitUser) : (await client.info()).user.name;
    return { client, user };
  }
  const admin = osUserName();
  // Loaded only for the local hub: a command against a remote hub needs no engine, store or server.
  const { openLocalHub } = await import('../server/local-hub');
  const { client } = await openLocalHub({ admin, env, dataDir: g.data, dockerHost: g.dockerHost, origin: g.origin });
  return { client, user: explicitUser ? checkedUser(explicitUser) : admin };
}

export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

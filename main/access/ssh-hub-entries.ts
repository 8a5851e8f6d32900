/**
 * The ssh config entries for one hub's workspaces, without I/O: one concrete `Host
 * <workspace>.<hub-alias>` per workspace (so VS Code Remote-SSH lists them), reaching the gateway
 * by address or by `hubdeck ssh-proxy`, logging in as `<user>.<workspace>`. Entries of other hubs
 * already in the block are kept when one hub's are rewritten.
 */
import path from 'node:path';
import { HubdeckError } from '../core/errors';
import { blockEntries, hostLines, type SshHostEntry } from './ssh-config-block';

export type GatewayReach = { hostName: string; port: number } | { proxyCommand: string[] };

export interface HubSshPlan {
  hubAlias: string;
  user: string;
  reach: GatewayReach;
  /** The directory Hubdeck keeps this hub's identity and known_hosts in. */
  dir: string;
}

export const sshAliasOf = (workspace: string, hubAlias: string) => `${workspace}.${hubAlias}`;
export const hostKeyAliasOf = (hubAlias: string) => `gateway.${hubAlias}`;
export const identityFileOf = (p: Pick<HubSshPlan, 'dir' | 'hubAlias'>) => path.join(p.dir, `${p.hubAlias}_ed25519`);
export const knownHostsFileOf = (p: Pick<HubSshPlan, 'dir' | 'hubAlias'>) => path.join(p.dir, `${p.hubAlias}_known_hosts`);

export function workspaceEntries(p: HubSshPlan, workspaces: string[]): SshHostEntry[] {
  return workspaces.map((name) => ({
    alias: sshAliasOf(name, p.hubAlias), user: `${p.user}.${name}`, ...p.reach,
    identityFile: identityFileOf(p), knownHostsFile: knownHostsFileOf(p), hostKeyAlias: hostKeyAliasOf(p.hubAlias),
  }));
}

/**
 * The block's lines after replacing this hub's entries with `entries`: other hubs' entries stay,
 * in their order, then this hub's. Empty means no block at all.
 */
export function mergedBlockLines(configText: string, hubAlias: string, entries: SshHostEntry[]): string[] {
  // Workspace names hold no dot: what follows the first one is the hub's alias.
  const mine = (alias: string) => alias.slice(alias.indexOf('.') + 1) === hubAlias;
  const others = [...blockEntries(configText)].filter(([alias]) => !mine(alias)).flatMap(([, lines]) => lines);
  return [...others, ...hostLines(entries)];
}

/**
 * Where ssh should connect for a gateway listening at `listen` ("host:port"): that host, or the
 * hub's own host name when the gateway listens on every address.
 */
export function tcpReach(listen: string | null, hubUrl: string): GatewayReach {
  if (!listen) throw new HubdeckError('unavailable', 'this hub serves no SSH gateway; its admin can start one with `hubdeck hub serve --ssh-listen 0.0.0.0:2222`');
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(listen);
  if (!m) throw new HubdeckError('unavailable', `the hub reports its SSH gateway at "${listen}", which is not host:port`);
  const host = m[1] ?? m[2]!;
  const anyAddress = ['0.0.0.0', '::', '0:0:0:0:0:0:0:0'].includes(host);
  return { hostName: anyAddress ? new URL(hubUrl).hostname.replace(/^\[|\]$/g, '') : host, port: Number(m[3]) };
}

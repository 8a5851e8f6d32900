/**
 * What callers ask of a HubInfo beyond its fields: its SSH gateway (refused, with the hub's reason,
 * where it has none), what runs its workspaces, and the lines `hub info` prints — all from the
 * hub's capabilities (capabilities.ts), never from what kind of hub it is. Pure.
 */
import { capabilitiesOf, UnavailableError, unavailableMessage } from './capabilities';
import type { EngineNode } from '../engine/engine';
import { formatBytes } from './display-format';
import type { HubInfo } from './dto';

export function sshOf(info: HubInfo): NonNullable<HubInfo['ssh']> {
  if (info.ssh && capabilitiesOf(info).ssh) return info.ssh;
  throw new UnavailableError('ssh', unavailableMessage(capabilitiesOf(info), 'ssh', 'SSH'));
}

export function engineDescription(info: HubInfo): string {
  if (info.engine) return info.engine.description;
  const caps = capabilitiesOf(info);
  return caps.runsOn ? `${caps.product} ${info.version} (${caps.runsOn})` : 'an unknown engine';
}

/** The gateway's host keys, ed25519 first; a hub from before RSA and ECDSA keys has only that one. */
export function hostKeysOf(ssh: NonNullable<HubInfo['ssh']>): { key: string; fingerprint: string }[] {
  return ssh.hostKeys?.length ? ssh.hostKeys : [{ key: ssh.hostKey, fingerprint: ssh.fingerprint }];
}

function nodeLine(n: EngineNode): string {
  const gpus = n.gpus > 0 ? `, ${n.gpus} GPU${n.gpus === 1 ? '' : 's'}` : '';
  return `${n.name} (${n.cpus} CPU${n.cpus === 1 ? '' : 's'}, ${formatBytes(n.memory)}${gpus})`;
}

/** What `hubdeck hub info` says: who and where you are, the SSH gateway, where the pages are. */
export function hubInfoLines(info: HubInfo): string[] {
  const caps = capabilitiesOf(info);
  const lines = [`hub ${info.hubId} (${caps.product} ${info.version}) on ${engineDescription(info)}; you are ${info.user.name}${info.user.admin ? ' (admin)' : ''}`];
  // One line per node where there are several: where GPUs are is what a person choosing asks.
  const nodes = info.engine?.nodes ?? [];
  if (nodes.length > 1 || nodes.some((n) => n.gpus > 0)) lines.push(`nodes: ${nodes.map(nodeLine).join('; ')}`);
  if (info.ssh && caps.ssh) {
    const keys = hostKeysOf(info.ssh);
    lines.push(`SSH gateway: ${info.ssh.listen ?? 'on demand (hubdeck ssh-proxy)'}; host key${keys.length === 1 ? '' : 's'} ${keys.map((k) => `${k.fingerprint} (${k.key.split(' ')[0]})`).join(', ')}`);
  }
  else lines.push(unavailableMessage(caps, 'ssh', 'SSH'));
  if (info.web) lines.push(`web: ${info.web.hub}; workspaces ${info.web.workspaceHost ? `each on its own origin under ${info.web.workspaceHost}` : 'under the hub\'s own origin (path mode: unsafe in browsers)'}`);
  // Only a hub whose workspaces have their own origins needs a process serving its pages.
  else if (caps.open === 'own-origin') lines.push('web: not served now (the app, hubdeck ui or hub serve serve it)');
  return lines;
}

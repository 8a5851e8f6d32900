/**
 * "Share this hub": the team lead's in-process hub served on the LAN over TLS (the generated
 * certificate kept in the hub's data directory, whose fingerprint invites pin), with the workspace
 * proxy and the SSH gateway; teammates are created with quotas and invited. Stopping closes the
 * LAN listeners only — the local hub and its loopback doors keep running.
 */
import os from 'node:os';
import { HubdeckError, ValidationError } from '../core/errors';
import { sshOf } from '../api/hub-info';
import { encodeInvite, inviteCommand, inviteLink } from '../core/invite-link';
import type { HubClient } from '../api/hub-client';
import { systemActor } from '../hub/actor';
import type { Hub } from '../hub/hub';
import { serveHub } from '../server/serve-hub';
import { selfSignedTls } from '../server/tls-cert';
import { normalizeFingerprint } from '../client/pinned-agent';
import type { TeammateInvite, TeammateRequest } from '../../preload/desktop-contract';

type Interfaces = ReturnType<typeof os.networkInterfaces>;

/** The machine's LAN IPv4 addresses, best first (private ranges before others); no loopback or link-local. Pure. */
export function lanAddresses(interfaces: Interfaces): string[] {
  const all = Object.values(interfaces).flat().filter((i): i is os.NetworkInterfaceInfo => Boolean(i));
  const v4 = all.filter((i) => i.family === 'IPv4' && !i.internal && !i.address.startsWith('169.254.')).map((i) => i.address);
  const isPrivate = (a: string) => /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(a);
  return [...new Set([...v4.filter(isPrivate), ...v4.filter((a) => !isPrivate(a))])];
}

export interface ShareOptions {
  dataDir: string;
  /** Where to listen; default every address, port 8585 (and the SSH gateway on port + 1). */
  host?: string;
  port?: number;
  sshPort?: number;
  /** The address put into invites (default: the first LAN address). */
  advertise?: string;
  staticDir?: string;
  log?: (m: string) => void;
  interfaces?: Interfaces;
}

export interface Sharing {
  url: string;
  /** The certificate's SHA-256 as teammates pin it (AB:CD:…). */
  fingerprint: string;
  sshAddress: string;
  stop(): Promise<void>;
}

export async function startSharing(hub: Hub, o: ShareOptions): Promise<Sharing> {
  const lan = lanAddresses(o.interfaces ?? os.networkInterfaces());
  const advertise = o.advertise ?? lan[0];
  if (!advertise) throw new HubdeckError('unavailable', 'this machine has no LAN address to share the hub on (connect to a network first)');
  const host = o.host ?? '0.0.0.0';
  const port = o.port ?? 8585;
  const tls = await selfSignedTls(o.dataDir, [advertise, ...lan]);
  const previousSsh = sshOf(await hub.info(systemActor('share'))).listen;
  const served = await serveHub(hub, { host, port, ssh: { port: o.sshPort }, advertise, tls, staticDir: o.staticDir, log: o.log });
  const { url, sshAddress } = served;
  await hub.invites.setShared({ url, fingerprint: normalizeFingerprint(tls.fingerprint) });
  return {
    url, fingerprint: tls.fingerprint, sshAddress,
    stop: async () => {
      await hub.invites.setShared(null);
      hub.sshListening(previousSsh);
      await served.stop();
    },
  };
}

/** Creates the teammate (if asked) and an invite carrying the shared address; through any HubClient. */
export async function inviteTeammate(client: HubClient, r: TeammateRequest): Promise<TeammateInvite> {
  if (r.create) await client.createUser({ body: { name: r.user, selfService: r.create.selfService ?? true, quota: r.create.quota } });
  const made = await client.createInvite({ body: { user: r.user, expiresInHours: r.hours } });
  if (!made.shared) {
    await client.revokeInvite({ id: made.id });
    throw new ValidationError('share', 'the hub is not shared on the LAN; share it first');
  }
  const invite = encodeInvite({ url: made.shared.url, fingerprint: made.shared.fingerprint, code: made.code, user: made.user, hubId: made.hubId, expiresAt: made.expiresAt });
  return { user: made.user, expiresAt: made.expiresAt, invite, link: inviteLink(invite), command: inviteCommand(invite) };
}

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
import { defaultRouteInterfaces } from '../platform/default-route';
import type { TeammateInvite, TeammateRequest } from '../../preload/desktop-contract';

type Interfaces = ReturnType<typeof os.networkInterfaces>;

/**
 * Bridges this machine makes for its own containers and VMs (Docker, Podman, CNI, libvirt,
 * VirtualBox, VMware, LXC): their addresses are private but no teammate can reach them, so an
 * invite must never carry one.
 */
const HOST_ONLY = /^(docker\d|br-[0-9a-f]{12}|veth|virbr|vboxnet|vmnet|cni|flannel|cali|kube-bridge|podman|lxcbr|lxdbr)/;

/**
 * The machine's LAN IPv4 addresses, best first: the default route's interfaces, then private
 * ranges, then the rest; no loopback, link-local or host-only bridges. Pure.
 */
export function lanAddresses(interfaces: Interfaces, routeInterfaces: string[] = []): string[] {
  const rank = (name: string) => (routeInterfaces.includes(name) ? routeInterfaces.indexOf(name) : routeInterfaces.length);
  const named = Object.entries(interfaces).filter(([name]) => !HOST_ONLY.test(name)).sort(([a], [b]) => rank(a) - rank(b));
  const v4 = named.flatMap(([, list]) => list ?? [])
    .filter((i) => i.family === 'IPv4' && !i.internal && !i.address.startsWith('169.254.')).map((i) => i.address);
  const onRoute = new Set(named.filter(([name]) => routeInterfaces.includes(name)).flatMap(([, list]) => (list ?? []).map((i) => i.address)));
  const isPrivate = (a: string) => /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(a);
  return [...new Set([...v4.filter((a) => onRoute.has(a)), ...v4.filter(isPrivate), ...v4])];
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
  const lan = o.interfaces ? lanAddresses(o.interfaces) : lanAddresses(os.networkInterfaces(), defaultRouteInterfaces());
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

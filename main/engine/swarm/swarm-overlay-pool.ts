/**
 * Addresses of a user's overlay network, chosen by the hub (pure). Swarm does not know about an
 * address `docker network connect` gives a container that is itself a service task (moby#32172):
 * the hub's task joining a user's network got an address Swarm then gave a workspace as well
 * (seen: both 10.0.40.4, one on the manager, one on a worker; on one node the workspace failed with
 * "Address already in use"). So the hub makes each user network with a subnet of its own choosing
 * and an IP range of the lower half, where Swarm allocates tasks, and joins with an address of the
 * upper half, where Swarm never does.
 */

/** Subnets are /24s in 10.128.0.0/10: clear of Swarm's first default /24s and of Docker's bridges. */
export function overlaySubnet(name: string, attempt: number): { Subnet: string; IPRange: string; Gateway: string } {
  let h = 2166136261;
  for (const c of `${name}#${attempt}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const n = h % (64 * 256);
  const prefix = `10.${128 + Math.floor(n / 256)}.${n % 256}`;
  return { Subnet: `${prefix}.0/24`, IPRange: `${prefix}.0/25`, Gateway: `${prefix}.1` };
}

/** The hub's own address on a network made by overlaySubnet; null on any other (Docker picks). */
export function hubAddress(config: { Subnet?: string; IPRange?: string } | undefined): string | null {
  const m = /^(\d+\.\d+\.\d+)\.0\/24$/.exec(config?.Subnet ?? '');
  if (!m || config?.IPRange !== `${m[1]}.0/25`) return null;
  return `${m[1]}.254`;
}

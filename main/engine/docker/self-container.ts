/**
 * The hub's own container, when the hub runs in one on the engine it manages (the hub image run
 * with the host's Docker socket). Workspaces live on per-user bridge networks that the hub's
 * container is not on, so their addresses are unreachable from it. Like DockerSpawner's hub, which
 * shares its workspaces' network, the hub joins each workspace network it must reach (once) and
 * dials the workspace directly: no `docker exec` relay per connection, so the proxy keeps the
 * speed of a local engine. Users stay apart: workspaces are still only on their own network.
 */
import fs from 'node:fs';
import type Docker from 'dockerode';

/** Pure: the id of the container whose /etc/hostname (or hosts, resolv.conf) Docker mounted. */
export function containerIdFromMountinfo(text: string): string | null {
  const m = /\/containers\/([0-9a-f]{64})\/(?:hostname|hosts|resolv\.conf) \/etc\//.exec(text);
  return m ? m[1]! : null;
}

export class SelfContainer {
  private readonly joined: Set<string>;
  private readonly joining = new Map<string, Promise<void>>();

  private constructor(private readonly docker: Docker, readonly id: string, networks: string[]) {
    this.joined = new Set(networks);
  }

  /** This process's container on `docker`, or null when it runs outside any (or on another engine). */
  static async detect(docker: Docker, mountinfo = '/proc/self/mountinfo'): Promise<SelfContainer | null> {
    let id: string | null = null;
    try {
      id = containerIdFromMountinfo(fs.readFileSync(mountinfo, 'utf8'));
    } catch {
      return null;
    }
    if (!id) return null;
    const info = await docker.getContainer(id).inspect().catch(() => null);
    if (!info) return null;
    return new SelfContainer(docker, id, Object.keys(info.NetworkSettings?.Networks ?? {}));
  }

  /**
   * The workspace's address on a network this container shares with it, joining one if need be;
   * `addressFor` may name the address to join with (swarm-overlay-pool.ts), else Docker picks.
   */
  async addressOf(info: { NetworkSettings?: { Networks?: Record<string, { IPAddress: string }> } }, addressFor?: (network: string) => Promise<string | null>): Promise<string | null> {
    const nets = Object.entries(info.NetworkSettings?.Networks ?? {}).filter(([, n]) => n.IPAddress);
    const shared = nets.find(([name]) => this.joined.has(name));
    if (shared) return shared[1].IPAddress;
    const first = nets[0];
    if (!first) return null;
    await this.join(first[0], addressFor);
    return first[1].IPAddress;
  }

  private join(network: string, addressFor?: (network: string) => Promise<string | null>): Promise<void> {
    let p = this.joining.get(network);
    if (!p) {
      const connect = async () => {
        const ip = addressFor ? await addressFor(network) : null;
        await this.docker.getNetwork(network).connect({ Container: this.id, ...(ip ? { EndpointConfig: { IPAMConfig: { IPv4Address: ip } } } : {}) });
      };
      p = connect().then(
        () => { this.joined.add(network); },
        (e: { statusCode?: number; message?: string }) => {
          // Already on it (another hub process, a restart of this one): as good as joined.
          if (e.statusCode === 403 && /already exists/i.test(String(e.message))) { this.joined.add(network); return; }
          throw e;
        },
      ).finally(() => this.joining.delete(network));
      this.joining.set(network, p);
    }
    return p;
  }
}

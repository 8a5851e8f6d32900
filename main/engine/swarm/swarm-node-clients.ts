/**
 * The Docker engine of each node, for what only a node can do: exec, logs, stats and connect
 * through a task's container, and its local volumes. The manager this hub talks to is its own
 * node; other nodes are reached at the addresses the hub was given (`--swarm-node NAME=HOST`, any
 * Docker host URL: ssh://, tcp:// with TLS). A task on a node with no address is a clear error.
 */
import { HubdeckError, ValidationError } from '../../core/errors';
import { openDockerClient, type DockerClient } from '../docker/docker-client';
import { defaultConnectMode, type ConnectMode } from '../docker/docker-connect';
import { dockerCalls, type DockerCalls } from '../docker/docker-errors';
import type { SshAuthOptions } from '../ssh/ssh-auth';

/** `NODE=HOST` lines (--swarm-node) → a map; the host must be a Docker host URL. */
export function parseNodeHosts(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines) {
    const eq = line.indexOf('=');
    const node = line.slice(0, eq).trim();
    const host = line.slice(eq + 1).trim();
    if (eq <= 0 || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(node) || !/^(ssh|tcp|https?|unix):\/\/\S+$/.test(host)) {
      throw new ValidationError('swarm-node', `"${line}" is not NODE=DOCKER_HOST (e.g. gpu1=ssh://admin@gpu1.lan)`);
    }
    if (node in out) throw new ValidationError('swarm-node', `node ${node} is given twice`);
    out[node] = host;
  }
  return out;
}

export interface NodeClient {
  client: DockerClient;
  calls: DockerCalls;
  mode: ConnectMode;
  /** Names the node in errors and as a resource location. */
  name: string;
}

export interface NodeClientsOptions {
  manager: DockerClient;
  /** Node host name or id → Docker host URL. */
  nodeHosts: Record<string, string>;
  env?: Record<string, string | undefined>;
  /** The key and known_hosts for ssh:// nodes (as for an ssh:// manager). */
  ssh?: SshAuthOptions;
  homeDir?: string;
  connectMode?: ConnectMode;
  /** The manager's own node id (docker info Swarm.NodeID). */
  localNodeId: () => Promise<string>;
}

export class NodeClients {
  private readonly opened = new Map<string, NodeClient>();

  constructor(private readonly o: NodeClientsOptions) {}

  private wrap(client: DockerClient, name: string): NodeClient {
    return {
      client, name,
      calls: dockerCalls(`node ${name} (${client.connection.description})`, () => client.sshRefusal()),
      mode: this.o.connectMode ?? defaultConnectMode(client.connection.kind),
    };
  }

  /** The manager's own engine, for its node. */
  async local(hostname: string): Promise<NodeClient> {
    const key = `local:${hostname}`;
    let c = this.opened.get(key);
    if (!c) this.opened.set(key, (c = this.wrap(this.o.manager, hostname)));
    return c;
  }

  /** The engine of the node a task runs on. */
  async forNode(nodeId: string, hostname: string): Promise<NodeClient> {
    if (nodeId === (await this.o.localNodeId())) return this.local(hostname);
    const host = this.o.nodeHosts[hostname] ?? this.o.nodeHosts[nodeId];
    if (!host) {
      throw new HubdeckError('unavailable', `node ${hostname} runs this workspace, but this hub has no address for its Docker engine (give one with --swarm-node ${hostname}=ssh://user@host)`);
    }
    let c = this.opened.get(host);
    if (!c) this.opened.set(host, (c = this.wrap(openDockerClient({ host, env: this.o.env, ssh: this.o.ssh, homeDir: this.o.homeDir }), hostname)));
    return c;
  }

  /** Every node engine this hub can reach, for node-local objects (volumes). */
  async reachable(nodes: { id: string; hostname: string }[]): Promise<NodeClient[]> {
    const local = await this.o.localNodeId();
    const out: NodeClient[] = [];
    for (const n of nodes) {
      if (n.id === local || this.o.nodeHosts[n.hostname] || this.o.nodeHosts[n.id]) out.push(await this.forNode(n.id, n.hostname));
    }
    return out;
  }

  close(): void {
    for (const c of this.opened.values()) if (c.client !== this.o.manager) c.client.close();
    this.opened.clear();
  }
}

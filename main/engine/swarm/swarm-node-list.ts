/**
 * The swarm's node list as the manager gives it, split from swarm-engine.ts: the manager's own
 * node id (which also proves the engine is a swarm manager), and the node list cached for a few
 * seconds, since every get/list names task nodes and a busy hub would otherwise ask per call.
 */
import { HubdeckError } from '../../core/errors';
import type { DockerClient } from '../docker/docker-client';
import type { DockerCalls } from '../docker/docker-errors';
import { nodeView, type NodeView, type SwarmNode } from './swarm-nodes';

const NODES_TTL_MS = 5_000;

export class SwarmNodeList {
  private cached: { at: number; nodes: Promise<SwarmNode[]> } | null = null;
  private localId: Promise<string> | null = null;

  constructor(
    private readonly client: DockerClient,
    private readonly calls: DockerCalls,
  ) {}

  /** The manager's own node; an engine outside a swarm (or a worker) is refused clearly. */
  localNodeId(): Promise<string> {
    this.localId ??= this.calls.call(() => this.client.docker.info()).then((i: { Swarm?: { NodeID?: string; ControlAvailable?: boolean } }) => {
      if (!i.Swarm?.NodeID || !i.Swarm.ControlAvailable) {
        throw new HubdeckError('unavailable', `the Docker engine at ${this.client.connection.description} is not a swarm manager (docker swarm init, or point the hub at a manager)`);
      }
      return i.Swarm.NodeID;
    });
    this.localId.catch(() => { this.localId = null; });
    return this.localId;
  }

  /** The nodes, from the cache unless `fresh` or older than NODES_TTL_MS; a failed listing is not kept. */
  list(fresh = false): Promise<SwarmNode[]> {
    if (fresh || !this.cached || Date.now() - this.cached.at > NODES_TTL_MS) {
      const entry = { at: Date.now(), nodes: this.calls.call(() => this.client.docker.listNodes() as Promise<SwarmNode[]>) };
      this.cached = entry;
      entry.nodes.catch(() => { if (this.cached === entry) this.cached = null; });
    }
    return this.cached.nodes;
  }

  /** Node id → host name and issue, for task locations and states; a failed listing knows none. */
  async view(): Promise<NodeView> {
    return nodeView(await this.list().catch(() => [] as SwarmNode[]));
  }

  /** Node id → host name, for task locations; an unlisted node keeps its id. */
  async names(): Promise<(id: string) => string> {
    return (await this.view()).name;
  }
}

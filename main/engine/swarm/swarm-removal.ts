/**
 * What removing a workspace needs beyond the manager, split from swarm-engine.ts: Swarm removes a
 * service's containers (and so frees its volumes) asynchronously, node by node, and a workspace's
 * data volumes are node-local, so both are looked for on every node engine this hub reaches.
 */
import { LABELS, labelSelector } from '../../core/labels';
import { HubdeckError } from '../../core/errors';
import type { EngineResource, WorkspaceRef } from '../engine';
import type { DockerClient } from '../docker/docker-client';
import type { DockerCalls } from '../docker/docker-errors';
import type { NodeClient, NodeClients } from './swarm-node-clients';
import type { SwarmNodeList } from './swarm-node-list';
import { hostnameOf } from './swarm-nodes';
import { describeResources, listSwarmObjects, nodeVolumes, untilEmpty, whenFreed } from './swarm-resources';

export interface RemovalContext {
  client: DockerClient;
  calls: DockerCalls;
  origin: string;
  nodes: NodeClients;
  nodeList: SwarmNodeList;
}

/**
 * Removes a service and waits until its containers are gone from the nodes this hub reaches, so
 * its volumes can follow.
 */
export async function removeService(c: RemovalContext, id: string): Promise<void> {
  await c.calls.ignoring(404, () => c.client.docker.getService(id).remove());
  const nodes = await c.nodes.reachable((await c.nodeList.list()).map((n) => ({ id: n.ID, hostname: hostnameOf(n) })));
  const filters = { label: [`com.docker.swarm.service.id=${id}`] };
  await Promise.all(nodes.map((n) => n.calls.call(() => untilEmpty(() => n.client.docker.listContainers({ all: true, filters }), 60_000))));
}

/** The workspace's data volumes on every node this hub reaches, each with the node holding it. */
export async function dataVolumes(c: RemovalContext, ref: WorkspaceRef): Promise<{ node: NodeClient; name: string }[]> {
  const nodes = await c.nodes.reachable((await c.nodeList.list(true)).map((n) => ({ id: n.ID, hostname: hostnameOf(n) })));
  const filters = { label: labelSelector(c.origin, { [LABELS.user]: ref.user, [LABELS.workspace]: ref.name, [LABELS.kind]: 'volume' }) };
  const out: { node: NodeClient; name: string }[] = [];
  for (const node of nodes) {
    for (const v of (await node.calls.call(() => node.client.docker.listVolumes({ filters }))).Volumes ?? []) out.push({ node, name: v.Name });
  }
  return out;
}

/** Everything of this hub on the swarm: services and networks from the manager, volumes per node. */
export async function swarmResources(c: RemovalContext): Promise<EngineResource[]> {
  const [{ services, networks }, nodes] = await Promise.all([c.calls.call(() => listSwarmObjects(c.client.docker, c.origin)), c.nodeList.list(true)]);
  const reachable = await c.nodes.reachable(nodes.map((n) => ({ id: n.ID, hostname: hostnameOf(n) })));
  const perNode = await Promise.all(reachable.map(async (n) => ({ location: n.name, volumes: await n.calls.call(() => nodeVolumes(n.client.docker, c.origin)) })));
  return describeResources(services, networks, perNode);
}

/** One of swarmResources' items; a volume is removed on the node that holds it. */
export async function removeSwarmResource(c: RemovalContext, r: EngineResource): Promise<void> {
  if (r.kind === 'workspace') return removeService(c, r.id);
  if (r.kind === 'network') return c.calls.call(() => whenFreed(() => c.client.docker.getNetwork(r.id).remove()));
  const node = (await c.nodeList.list(true)).find((n) => hostnameOf(n) === r.location);
  if (!node) throw new HubdeckError('not_found', `node ${r.location ?? '(none)'} of volume ${r.name} is not in this swarm`);
  const n = await c.nodes.forNode(node.ID, hostnameOf(node));
  await n.calls.call(() => whenFreed(() => n.client.docker.getVolume(r.id).remove()));
}

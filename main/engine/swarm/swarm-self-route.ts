/**
 * connect() for a hub that runs as a container on the swarm it manages (deploy/swarm/stack.yml).
 * A task's address on its node's docker_gwbridge is reachable from that node's host only, not
 * from a container (icc is off there), so the hub's container joins the user's attachable overlay
 * network instead and dials the task's overlay address — on any node, which is what an overlay is
 * for. The user's other workspaces stay apart: they share only their own user's network. The
 * address comes from the task as the manager lists it, so a node this hub has no engine address
 * for (--swarm-node) is reachable all the same. The hub joins with an address Swarm never gives a
 * task (swarm-overlay-pool.ts).
 */
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { HubdeckError } from '../../core/errors';
import { connectLoopback } from '../connect-stream';
import { connectDirect } from '../docker/docker-connect';
import type { SelfContainer } from '../docker/self-container';
import { hubAddress } from './swarm-overlay-pool';
import { taskRelay, type Route, type Running } from './swarm-route';
import type { SwarmTask } from './swarm-task';

/** The task's addresses on its networks, as Docker's container inspect shows them (ingress left out). */
export function taskNetworks(t: SwarmTask): { NetworkSettings: { Networks: Record<string, { IPAddress: string }> } } {
  const networks: Record<string, { IPAddress: string }> = {};
  for (const a of t.NetworksAttachments ?? []) {
    const name = a.Network?.Spec?.Name;
    const address = a.Addresses?.[0]?.split('/')[0];
    if (name && address && !a.Network?.Spec?.Ingress) networks[name] = { IPAddress: address };
  }
  return { NetworkSettings: { Networks: networks } };
}

/** `running` is null when this hub cannot reach the task's node engine (no --swarm-node for it). */
export async function overlayRoute(self: SelfContainer, task: SwarmTask, running: Running | null, docker: Docker): Promise<Route> {
  const ip = await self.addressOf(taskNetworks(task), async (network) => {
    const n = await docker.getNetwork(network).inspect() as { IPAM?: { Config?: { Subnet?: string; IPRange?: string }[] } };
    return hubAddress(n.IPAM?.Config?.[0]);
  });
  if (!ip) throw new HubdeckError('engine', `workspace task ${task.ID.slice(0, 12)} has no overlay address`);
  const relay: (port: number) => Promise<Duplex> = running ? taskRelay(running) : () => Promise.reject(new HubdeckError('unavailable', 'its node\'s Docker engine is needed to reach the workspace\'s loopback, and this hub has no address for it (--swarm-node)'));
  return (port, to) => (to === 'loopback' ? connectLoopback(() => connectDirect(ip, port), () => relay(port)) : connectDirect(ip, port));
}

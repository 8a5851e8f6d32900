/**
 * connect() for a hub that runs as a container on the swarm it manages (deploy/swarm/stack.yml).
 * A task's address on its node's docker_gwbridge is reachable from that node's host only, not
 * from a container (icc is off there), so the hub's container joins the user's attachable overlay
 * network instead and dials the task's overlay address — on any node, which is what an overlay is
 * for. The user's other workspaces stay apart: they share only their own user's network.
 */
import { HubdeckError } from '../../core/errors';
import { connectLoopback } from '../connect-stream';
import { connectDirect } from '../docker/docker-connect';
import type { SelfContainer } from '../docker/self-container';
import { taskRelay, type Route, type Running } from './swarm-route';

export async function overlayRoute(self: SelfContainer, r: Running): Promise<Route> {
  const info = await r.node.calls.call(() => r.container.inspect());
  const ip = await r.node.calls.call(() => self.addressOf(info));
  if (!ip) throw new HubdeckError('engine', `workspace container ${r.containerId.slice(0, 12)} has no overlay address on node ${r.node.name}`);
  const relay = taskRelay(r);
  return (port, to) => (to === 'loopback' ? connectLoopback(() => connectDirect(ip, port), () => relay(port)) : connectDirect(ip, port));
}

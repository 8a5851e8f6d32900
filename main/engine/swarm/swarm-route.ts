/**
 * How connect() reaches a port of a running workspace, split from swarm-engine.ts: to the task's
 * address on its node's docker_gwbridge (every service task has one, reachable from the node
 * itself, and icc is off there, so tasks cannot reach each other on it), over ssh to that node,
 * or by a relay exec'd in the container when neither can be reached. A loopback target that the
 * task's address does not answer goes through that relay too (connect-stream.ts connectLoopback).
 */
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { HubdeckError } from '../../core/errors';
import type { ConnectTarget } from '../engine';
import { connectByExec, connectLoopback } from '../connect-stream';
import { connectBySsh, connectDirect } from '../docker/docker-connect';
import { dockerExec } from '../docker/docker-exec';
import type { NodeClient } from './swarm-node-clients';
import type { SwarmTask } from './swarm-task';

/** A workspace's running task, with its container on its node's engine. */
export type Running = { service: Docker.Service; task: SwarmTask; node: NodeClient; container: Docker.Container; containerId: string };

/** Opens a connection to one port of the running task, on its address or its loopback. */
export type Route = (port: number, to: ConnectTarget) => Promise<Duplex>;

/** Connections by a relay exec'd in the task's container: its loopback, whatever the network. */
export function taskRelay(r: Running): (port: number) => Promise<Duplex> {
  return (port) => connectByExec((cmd) => dockerExec(r.node.client.docker, r.container, { cmd, stdin: true }, r.node.calls.call), port);
}

/** A way to open connections to the running task's ports (looked up once, reusable). */
export async function routeTo(r: Running): Promise<Route> {
  const { node } = r;
  const relay = taskRelay(r);
  if (node.mode === 'exec') return relay;
  const gw = await node.calls.call(() => node.client.docker.getNetwork('docker_gwbridge').inspect()) as { Containers?: Record<string, { IPv4Address?: string }> };
  const ip = gw.Containers?.[r.containerId]?.IPv4Address?.split('/')[0];
  if (!ip) throw new HubdeckError('engine', `workspace container ${r.containerId.slice(0, 12)} has no address on node ${node.name}`);
  const dial = node.mode === 'ssh' ? (port: number) => connectBySsh(() => node.client.sshTunnel(), ip, port) : (port: number) => connectDirect(ip, port);
  return (port, to) => (to === 'loopback' ? connectLoopback(() => dial(port), () => relay(port)) : dial(port));
}

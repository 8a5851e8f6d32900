/**
 * A byte stream to a port inside a workspace, however the engine is reached: straight to the
 * container's address (a local Linux engine), through the ssh connection to the engine's host
 * (ssh:// engines), or through a relay process exec'd inside the workspace (tcp://, Docker Desktop).
 */
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { Client } from 'ssh2';
import { HubdeckError } from '../../core/errors';
import type { ConnectTarget, ExecSession } from '../engine';
import { connectByExec, connectLoopback, unfatal } from '../connect-stream';

export type ConnectMode = 'direct' | 'ssh' | 'exec';

/** The mode that works for a connection kind (docker-connection.ts) when none is configured. */
export function defaultConnectMode(kind: string, platform: NodeJS.Platform = process.platform): ConnectMode {
  if (kind === 'ssh') return 'ssh';
  // Container addresses are routable only from the engine's own Linux host, not from Docker
  // Desktop's VM or across a tcp:// connection.
  return kind === 'unix' && platform === 'linux' ? 'direct' : 'exec';
}

export interface ConnectRoute {
  mode: ConnectMode;
  /** Runs a command in the workspace (the exec relay). */
  exec: (cmd: string[]) => Promise<ExecSession>;
  /** The ssh connection to the engine's host (ssh mode). */
  sshTunnel: () => Promise<Client>;
}

/**
 * A stream to `port` of a running container, by the route's mode. `label` names it in errors.
 * The container's loopback is not reachable from outside its network namespace: a loopback
 * target that its address does not answer goes through the relay exec'd inside it.
 */
export function connectToContainer(info: Docker.ContainerInfo, port: number, route: ConnectRoute, label: string, to: ConnectTarget = 'address'): Promise<Duplex> {
  const relay = () => connectByExec(route.exec, port);
  if (route.mode === 'exec') return relay();
  const ip = Object.values(info.NetworkSettings?.Networks ?? {}).map((n) => n.IPAddress).find(Boolean);
  if (!ip) return to === 'loopback' ? relay() : Promise.reject(new HubdeckError('engine', `${label} has no network address`));
  const dial = () => (route.mode === 'ssh' ? connectBySsh(route.sshTunnel, ip, port) : connectDirect(ip, port));
  return to === 'loopback' ? connectLoopback(dial, relay) : dial();
}

export function connectDirect(ip: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: ip, port });
    sock.once('connect', () => { sock.off('error', reject); resolve(unfatal(sock)); });
    sock.once('error', reject);
  });
}

export async function connectBySsh(tunnel: () => Promise<Client>, ip: string, port: number): Promise<Duplex> {
  const client = await tunnel();
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, ip, port, (err, channel) => (err ? reject(err) : resolve(unfatal(channel))));
  });
}

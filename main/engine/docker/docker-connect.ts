/**
 * A byte stream to a port inside a workspace, however the engine is reached: straight to the
 * container's address (a local Linux engine), through the ssh connection to the engine's host
 * (ssh:// engines), or through a relay process exec'd inside the workspace (tcp://, Docker Desktop).
 */
import net from 'node:net';
import { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { Client } from 'ssh2';
import { HubdeckError } from '../../core/errors';
import type { ExecSession } from '../engine';
import { relayCommand } from '../relay';

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

/** A stream to `port` of a running container, by the route's mode. `label` names it in errors. */
export function connectToContainer(info: Docker.ContainerInfo, port: number, route: ConnectRoute, label: string): Promise<Duplex> {
  if (route.mode === 'exec') return connectByExec(route.exec, port);
  const ip = Object.values(info.NetworkSettings?.Networks ?? {}).map((n) => n.IPAddress).find(Boolean);
  if (!ip) return Promise.reject(new HubdeckError('engine', `${label} has no network address`));
  return route.mode === 'ssh' ? connectBySsh(route.sshTunnel, ip, port) : connectDirect(ip, port);
}

export function connectDirect(ip: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: ip, port });
    sock.once('connect', () => resolve(sock));
    sock.once('error', reject);
  });
}

export async function connectBySsh(tunnel: () => Promise<Client>, ip: string, port: number): Promise<Duplex> {
  const client = await tunnel();
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, ip, port, (err, channel) => (err ? reject(err) : resolve(channel)));
  });
}

export async function connectByExec(exec: (cmd: string[]) => Promise<ExecSession>, port: number): Promise<Duplex> {
  const s = await exec(relayCommand(port));
  const duplex = Duplex.from({ readable: s.stdout, writable: s.stdin! });
  let errText = '';
  s.stderr.on('data', (d: Buffer) => { errText += d.toString(); });
  s.exitCode().then((code) => {
    if (code !== 0 && errText) duplex.destroy(new HubdeckError('engine', errText.trim()));
  }, () => undefined);
  // The relay lives as long as the stream: closing one ends the other.
  duplex.once('close', () => void s.close());
  return duplex;
}

/**
 * A local port forward to a workspace port (a tunnel): a listener on 127.0.0.1:LOCAL whose every
 * connection is carried to the workspace through a dialer (in-process or the hub's port stream).
 * Start refuses clearly — a taken port, a workspace that is not running, a refused user — before
 * anything listens. Afterwards a broken link is not fatal: each new connection dials again,
 * retrying with capped exponential backoff while the workspace or the hub comes back.
 */
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { HubdeckError } from '../core/errors';
import type { WorkspaceRef } from '../engine/engine';

export interface Dialer {
  dial(ref: WorkspaceRef, port: number): Promise<Duplex>;
}

export interface ForwardOptions {
  dialer: Dialer;
  ref: WorkspaceRef;
  local: number;
  remote: number;
  host?: string;
  log?: (message: string) => void;
  /** Delays between dial attempts of one connection (default BACKOFF_MS). */
  backoffMs?: number[];
}

/** 0.25 s doubling to 8 s: about 30 s of retries before a connection gives up. */
export const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000, 8000, 8000];

/** Whether a dial error is worth retrying: the link or the workspace may come back; a refusal won't. */
export function retryable(e: unknown): boolean {
  if (!(e instanceof HubdeckError)) return true;
  return ['unavailable', 'engine', 'conflict', 'timeout'].includes(e.code);
}

/**
 * Whether a failed dial got as far as the workspace's port: the hub let the user in and the
 * workspace runs (those refusals are HubdeckErrors with their own codes), but the port itself
 * did not answer — an ECONNREFUSED from the engine, or the hub's 'engine' error carrying it.
 */
export function portNotAnswering(e: unknown): boolean {
  return e instanceof HubdeckError ? e.code === 'engine' : (e as NodeJS.ErrnoException)?.code === 'ECONNREFUSED';
}

export interface RunningForward {
  address: { host: string; port: number };
  /** Connections open now. */
  connections(): number;
  close(): Promise<void>;
}

export async function startForward(o: ForwardOptions): Promise<RunningForward> {
  const host = o.host ?? '127.0.0.1';
  const log = o.log ?? (() => undefined);
  // The workspace must be reachable now: a wrong name, a stopped workspace or a refused user is
  // said at once, not at the first connection. Nothing listening on the port yet is not a
  // refusal: a tunnel to TensorBoard is often opened before TensorBoard runs (as ssh -L allows).
  try {
    (await o.dialer.dial(o.ref, o.remote)).destroy();
  } catch (e) {
    if (!portNotAnswering(e)) throw e;
    log(`nothing answers on port ${o.remote} of ${o.ref.user}/${o.ref.name} yet (${(e as Error).message}); connections wait for it`);
  }
  const open = new Set<net.Socket>();
  // Half-open allowed: a client that has said all it will (EOF) still gets the whole answer.
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    client.on('error', () => undefined);
    client.pause();
    void carry(o, client, log);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'EADDRINUSE'
      ? new HubdeckError('conflict', `local port ${o.local} is taken on ${host}; pick another (e.g. ${o.local + 1})`, 'local')
      : e.code === 'EACCES' ? new HubdeckError('invalid', `local port ${o.local} needs privileges; use one above 1023`, 'local') : e));
    server.listen(o.local, host, () => resolve());
  });
  // Out of descriptors and the like, later: said, never fatal to the process holding the tunnel.
  server.on('error', (e) => log(`tunnel on ${host}:${o.local}: ${e.message}`));
  const port = (server.address() as net.AddressInfo).port;
  return {
    address: { host, port },
    connections: () => open.size,
    close: () => new Promise((resolve) => {
      for (const s of open) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** Dials (retrying what may recover) and joins the local connection to the workspace stream. */
async function carry(o: ForwardOptions, client: net.Socket, log: (m: string) => void): Promise<void> {
  const delays = o.backoffMs ?? BACKOFF_MS;
  for (let attempt = 0; ; attempt++) {
    if (client.destroyed) return;
    try {
      const upstream = await o.dialer.dial(o.ref, o.remote);
      // The client may have gone (or the forward closed) while the dial was under way: its close
      // event is past, so nothing else would ever end this stream.
      if (client.destroyed) {
        upstream.destroy();
        return;
      }
      if (attempt > 0) log(`tunnel to ${o.ref.user}/${o.ref.name}:${o.remote} is back`);
      join(client, upstream);
      return;
    } catch (e) {
      const wait = delays[attempt];
      if (!retryable(e) || wait === undefined) {
        log(`tunnel to ${o.ref.user}/${o.ref.name}:${o.remote}: ${(e as Error).message}`);
        client.destroy();
        return;
      }
      log(`tunnel to ${o.ref.user}/${o.ref.name}:${o.remote}: ${(e as Error).message}; retrying in ${wait} ms`);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

function join(client: net.Socket, upstream: Duplex): void {
  upstream.on('error', () => client.destroy());
  client.on('error', () => upstream.destroy());
  client.once('close', () => upstream.destroy());
  upstream.once('close', () => client.end());
  client.pipe(upstream);
  upstream.pipe(client);
  client.resume();
}

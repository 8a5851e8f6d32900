/**
 * The socket of an HTTP upgrade, kept from ending the hub: Node's HTTP server removes its own
 * 'error' listener when it hands the socket over, so until whoever serves it adds theirs (after
 * authorization and engine calls that take a while on a real engine) a reset from the client is an
 * unhandled 'error' event — which ends the whole process, every user's sessions with it.
 */
import type { Duplex } from 'node:stream';

export function guardUpgradeSocket(socket: Duplex): void {
  if (socket.listenerCount('error') === 0) socket.on('error', () => socket.destroy());
}

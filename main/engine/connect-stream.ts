/**
 * The byte streams connect() hands out, made safe for a server to hold: whatever a client does
 * (drops a request after 50 ms, leaves mid-upgrade, closes a tunnel at once) may end its own
 * stream, never the hub. Every engine's connect paths end here: a stream's error is its
 * consumer's business, and a destroy() without an error is no error.
 */
import { Duplex } from 'node:stream';
import { HubdeckError } from '../core/errors';
import type { ExecSession } from './engine';
import { relayCommand } from './relay';

/**
 * Marks an engine stream as one whose errors never reach the process: Node ends a process on an
 * 'error' event with no listener, and a consumer that has finished with a stream (a proxy request
 * aborted, a probe answered) no longer listens. Consumers still see every error with their own
 * listeners; an unheard one just ends the stream, as it always does.
 */
export function unfatal<T extends Duplex>(stream: T): T {
  stream.on('error', () => undefined);
  return stream;
}

/**
 * A stream to `port` on the workspace's loopback through a relay exec'd inside it (relay.ts). Its
 * own Duplex, not `Duplex.from({ readable, writable })`, which turns a plain destroy() into an
 * AbortError event: with nobody listening any more, that ended the hub on every dropped request.
 */
export async function connectByExec(exec: (cmd: string[]) => Promise<ExecSession>, port: number): Promise<Duplex> {
  const s = await exec(relayCommand(port));
  const stdin = s.stdin!;
  const duplex = unfatal(new Duplex({
    read: () => { s.stdout.resume(); },
    write: (chunk: Buffer, _enc, cb) => { stdin.write(chunk, (e) => cb(e ?? null)); },
    final: (cb) => { stdin.end(); cb(); },
    // The relay lives as long as the stream: closing one ends the other.
    destroy: (err, cb) => { s.close().catch(() => undefined); cb(err); },
  }));
  s.stdout.on('data', (d: Buffer) => { if (!duplex.push(d)) s.stdout.pause(); });
  s.stdout.on('end', () => duplex.push(null));
  s.stdout.on('error', (e) => duplex.destroy(e));
  stdin.on('error', (e) => duplex.destroy(e));
  let errText = '';
  s.stderr.on('data', (d: Buffer) => { errText += d.toString(); });
  s.stderr.on('error', () => undefined);
  // A relay that could not connect (nothing listens, no relay tool) says why on stderr.
  s.exitCode().then((code) => {
    if (code !== 0 && errText) duplex.destroy(new HubdeckError('engine', errText.trim()));
  }, () => undefined);
  return duplex;
}

/**
 * A loopback target where the workspace's address is reachable too (Docker and Swarm direct or
 * over ssh, Kubernetes pod-ip): the address first — a server listening on all interfaces answers
 * there at once (a millisecond, not the relay's exec of ~150 ms), and it is the very socket its
 * loopback leads to — and the relay inside only when nothing answers there: a server bound to
 * 127.0.0.1 alone. Either way nothing outside the workspace is reached.
 */
export async function connectLoopback(dialAddress: () => Promise<Duplex>, relay: () => Promise<Duplex>, graceMs = RELAY_GRACE_MS): Promise<Duplex> {
  try {
    return await dialAddress();
  } catch {
    return settled(await relay(), graceMs);
  }
}

/**
 * How long a loopback relay gets to fail before its stream is handed out. Connecting to the
 * workspace's own 127.0.0.1 fails at once when nothing listens, so the relay's exit comes within
 * an exec's round trip: waiting for it lets `ssh -L` refuse the channel with the reason ("open
 * failed: connect failed: …"), as sshd does, instead of opening a channel that closes at once.
 */
const RELAY_GRACE_MS = 300;

function settled(stream: Duplex, ms: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const finish = (f: () => void) => {
      clearTimeout(timer);
      stream.off('error', failed);
      stream.off('close', closed);
      f();
    };
    const failed = (e: Error) => finish(() => reject(e));
    const closed = () => finish(() => reject(new HubdeckError('engine', 'nothing answered on the workspace\'s loopback')));
    const timer = setTimeout(() => finish(() => resolve(stream)), ms);
    stream.once('error', failed);
    stream.once('close', closed);
  });
}

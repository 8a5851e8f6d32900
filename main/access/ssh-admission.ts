/**
 * The gateway's door before login: every new connection is counted as unauthenticated until it
 * logs in, refused when there are too many (overall or from its address, see refuseStartup), and
 * ended when it has not finished the handshake or the login in time. Without this a client that
 * sends a banner (or nothing) holds a descriptor for ever, and a thousand of them starve the hub.
 */
import type { Duplex } from 'node:stream';
import { refuseStartup, type SshLimits } from './ssh-limits';

interface Waiting {
  /** null for a byte stream (ssh-proxy's stdio): deadlines apply, address caps do not. */
  address: string | null;
  handshake: NodeJS.Timeout;
  grace: NodeJS.Timeout;
}

export class SshAdmission {
  private readonly waiting = new Map<Duplex, Waiting>();
  private readonly byAddress = new Map<string, number>();

  constructor(
    private readonly limits: SshLimits,
    private readonly log: (message: string) => void,
    private readonly random: () => number = Math.random,
  ) {}

  /** Unauthenticated connections open now. */
  unauthenticated(): number {
    return this.waiting.size;
  }

  /**
   * Takes a new connection in (true) with its deadlines running, or refuses it (false: the caller
   * drops it without a word, as sshd does past MaxStartups).
   */
  admit(stream: Duplex, address: string | null): boolean {
    if (address !== null) {
      const mine = this.byAddress.get(address) ?? 0;
      const refusal = refuseStartup(this.limits, this.countAddressed(), mine, this.random());
      if (refusal && (mine >= this.limits.maxStartupsPerAddress || !this.evictForNewcomer(mine))) {
        this.log(`ssh: refused a connection from ${address}: ${refusal}`);
        return false;
      }
      this.byAddress.set(address, (this.byAddress.get(address) ?? 0) + 1);
    }
    const from = address ?? 'stdio';
    const expire = (what: string, ms: number) => setTimeout(() => {
      this.log(`ssh: connection from ${from} ${what} within ${ms / 1000} s; closed`);
      stream.destroy();
    }, ms);
    this.waiting.set(stream, {
      address,
      handshake: expire('did not finish the handshake', this.limits.handshakeTimeoutMs),
      grace: expire('did not log in', this.limits.loginGraceMs),
    });
    stream.once('close', () => this.leave(stream));
    return true;
  }

  /** The key exchange is done: only the login deadline is left. */
  handshakeDone(stream: Duplex): void {
    const w = this.waiting.get(stream);
    if (w) clearTimeout(w.handshake);
  }

  /** Logged in: no longer counted, no deadline left. */
  authenticated(stream: Duplex): void {
    this.leave(stream);
  }

  /** Whether a stream is still waiting to log in (known to this door). */
  has(stream: Duplex): boolean {
    return this.waiting.has(stream);
  }

  /** Ends every connection still waiting (the gateway closes). */
  closeAll(): void {
    for (const stream of [...this.waiting.keys()]) stream.destroy();
  }

  private leave(stream: Duplex): void {
    const w = this.waiting.get(stream);
    if (!w) return;
    clearTimeout(w.handshake);
    clearTimeout(w.grace);
    this.waiting.delete(stream);
    if (w.address === null) return;
    const n = (this.byAddress.get(w.address) ?? 1) - 1;
    if (n > 0) this.byAddress.set(w.address, n);
    else this.byAddress.delete(w.address);
  }

  /**
   * A full door makes room for someone new at the expense of whoever holds the most of it: the
   * oldest waiting connection of the busiest address goes, when that address holds at least two more
   * than the newcomer's would. So a flood from many addresses, each at its cap, still lets a person
   * with none waiting log in (OpenSSH's MaxStartups alone would drop them at random, or always).
   */
  private evictForNewcomer(mine: number): boolean {
    let busiest: string | null = null;
    let most = 0;
    for (const [address, n] of this.byAddress) if (n > most) [busiest, most] = [address, n];
    if (busiest === null || most < mine + 2) return false;
    for (const [stream, w] of this.waiting) {
      if (w.address !== busiest) continue;
      this.log(`ssh: the door is full; closed the oldest unauthenticated connection from ${busiest} (${most} waiting) for a newcomer`);
      this.leave(stream);
      stream.destroy();
      return true;
    }
    return false;
  }

  /** Unauthenticated TCP connections (streams have no address and are never refused). */
  private countAddressed(): number {
    let n = 0;
    for (const w of this.waiting.values()) if (w.address !== null) n++;
    return n;
  }
}

/**
 * Slows down guessing: each address's failed authentications in the last minute add a growing
 * delay (from the 6th on, up to 1 s), and past 15 the address gets 429 until the minute is over.
 * Addresses are counted by client-address.ts's key: 127.0.0.1, ::ffff:127.0.0.1 and ::1 are one
 * client, and an IPv6 client is its /64 (a guesser would otherwise get a fresh budget per address).
 */
import { addressKey } from './client-address';

const WINDOW_MS = 60_000;
const FREE_FAILURES = 4;
const BLOCK_AFTER = 15;

export class AuthThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  private recent(address: string): number[] {
    const addr = addressKey(address);
    const cutoff = this.now() - WINDOW_MS;
    const list = (this.failures.get(addr) ?? []).filter((t) => t > cutoff);
    if (list.length) this.failures.set(addr, list);
    else this.failures.delete(addr);
    return list;
  }

  /** Milliseconds to wait before answering a failure from `addr`; Infinity means refuse (429). */
  penalty(addr: string): number {
    const n = this.recent(addr).length;
    if (n >= BLOCK_AFTER) return Infinity;
    return n > FREE_FAILURES ? Math.min(1000, 100 * 2 ** (n - FREE_FAILURES - 1)) : 0;
  }

  fail(address: string): void {
    this.failures.set(addressKey(address), [...this.recent(address), this.now()]);
    // Addresses that never come back would otherwise stay in the map for ever.
    if (this.failures.size > 10_000) for (const a of [...this.failures.keys()]) this.recent(a);
  }
}

/**
 * Who a request comes from, as throttles and connection caps count clients: one key per client
 * however its address is spelled. IPv4-mapped IPv6 (::ffff:10.0.0.1) is the IPv4 address, ::1 is
 * 127.0.0.1 (both are this machine), and an IPv6 client is its /64: one host (or one attacker) is
 * routinely given a whole /64, so counting single IPv6 addresses would count nothing.
 */
import net from 'node:net';
import type { IncomingMessage } from 'node:http';

/** The eight 16-bit groups of a valid IPv6 address (zone removed), or null. */
function groupsOf(v6: string): number[] | null {
  if (!net.isIPv6(v6)) return null;
  let text = v6;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  const groups = [...left, ...zeros, ...right].map((g) => parseInt(g, 16));
  return groups.length === 8 ? groups : null;
}

/**
 * One spelling per address: IPv4 as is, IPv4-mapped IPv6 and ::1 as IPv4, other IPv6 as its
 * eight groups in lower-case hex. Anything else (no address, "unknown") is returned unchanged.
 */
export function canonicalAddress(address: string): string {
  const plain = address.trim().replace(/%.*$/, '').toLowerCase();
  if (net.isIPv4(plain)) return plain;
  const g = groupsOf(plain);
  if (!g) return address;
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return `${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return '127.0.0.1';
  return g.map((x) => x.toString(16)).join(':');
}

/** The key a client is counted by: its canonical IPv4 address, or its IPv6 /64 ("2001:db8:0:5::/64"). */
export function addressKey(address: string): string {
  const c = canonicalAddress(address);
  const g = net.isIPv6(c) ? groupsOf(c) : null;
  return g ? `${g.slice(0, 4).map((x) => x.toString(16)).join(':')}::/64` : c;
}

/** The trusted proxies' addresses, canonical, for comparing with sockets' and forwarded ones. */
export function trustedSet(proxies: readonly string[] = []): ReadonlySet<string> {
  return new Set(proxies.map(canonicalAddress));
}

/**
 * The client key of a request: its socket's, or — from a trusted proxy — the rightmost
 * X-Forwarded-For hop that is not one of our proxies (the one no client can forge).
 */
export function clientAddressOf(req: IncomingMessage, trusted: ReadonlySet<string>): string {
  return addressKey(clientIpOf(req, trusted));
}

/**
 * The client's own address, canonical (not widened to its /64): the socket's, or the one a trusted
 * proxy forwarded for. What the audit log records as who asked.
 */
export function clientIpOf(req: IncomingMessage, trusted: ReadonlySet<string>): string {
  const addr = canonicalAddress(req.socket.remoteAddress ?? 'unknown');
  if (!trusted.has(addr)) return addr;
  const hops = String(req.headers['x-forwarded-for'] ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  return canonicalAddress([...hops].reverse().find((h) => !trusted.has(canonicalAddress(h))) ?? addr);
}

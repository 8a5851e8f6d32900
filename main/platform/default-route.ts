/**
 * The network interfaces that carry this machine's default route, best (lowest metric) first:
 * the LAN a teammate shares with us is most likely there. Linux reads /proc/net/route; elsewhere,
 * or when it cannot be read, the answer is empty and callers fall back on address ranges.
 */
import fs from 'node:fs';

/** Pure: the default-route interfaces named in /proc/net/route's text. */
export function parseDefaultRoutes(text: string): string[] {
  const rows = text.split('\n').slice(1).map((l) => l.trim().split(/\s+/)).filter((f) => f.length >= 8);
  return rows.filter((f) => f[1] === '00000000' && f[7] === '00000000')
    .sort((a, b) => Number(a[6]) - Number(b[6]))
    .map((f) => f[0]!)
    .filter((name, i, all) => all.indexOf(name) === i);
}

export function defaultRouteInterfaces(routeFile = '/proc/net/route'): string[] {
  try {
    return parseDefaultRoutes(fs.readFileSync(routeFile, 'utf8'));
  } catch {
    return [];
  }
}

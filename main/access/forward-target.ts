/**
 * Where a forward the SSH gateway carries (`ssh -L`, `ssh -D`, any direct-tcpip channel) may go,
 * decided without I/O. A forward is a way into the user's own workspace, never a way out of it:
 * `localhost` and its spellings mean the workspace's loopback (as they do to a stock sshd in
 * the container, so services bound to 127.0.0.1 answer), the workspace's own name means its
 * address, and anything else — another host on its network, another user's workspace, the hub's
 * own network — is refused. Reaching those would take the hub's network position, not the user's.
 */
import type { ConnectTarget } from '../engine/engine';

/** Names of the loopback a client may give (0.0.0.0 is how some tools write "this machine"). */
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0', 'ip6-localhost']);

/** What `host` of a forward to `workspace` reaches, or null to refuse it. */
export function forwardTarget(host: string, workspace: string): ConnectTarget | null {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (LOOPBACK_NAMES.has(h)) return 'loopback';
  return h === workspace ? 'address' : null;
}

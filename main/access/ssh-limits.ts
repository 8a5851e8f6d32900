/**
 * The SSH gateway's denial-of-service limits and the decisions they imply, without I/O: how long
 * a client may take to finish the handshake and to log in, how many unauthenticated connections
 * may wait at once (OpenSSH's MaxStartups random early drop, overall and per address), and how
 * many channels and connections one connection or one user may hold. The gateway enforces them
 * (ssh-admission.ts, ssh-channel-caps.ts); the hub may override any of them.
 */
export interface SshLimits {
  /** From accept to the end of the key exchange: no human is involved, a stalled peer is dropped. */
  handshakeTimeoutMs: number;
  /** From accept to a successful login (OpenSSH's LoginGraceTime), passphrase prompts included. */
  loginGraceMs: number;
  /**
   * Unauthenticated connections (OpenSSH's MaxStartups start:rate:full): from `start` on, a new one
   * is refused with probability `rate`%, rising linearly to 100% at `full`.
   */
  maxStartups: { start: number; rate: number; full: number };
  /** Unauthenticated connections from one address (OpenSSH's PerSourceMaxStartups). */
  maxStartupsPerAddress: number;
  /** Session channels (shell, command, sftp) on one connection (OpenSSH's MaxSessions). */
  maxSessionsPerConnection: number;
  /** `ssh -L` (direct-tcpip) channels on one connection. */
  maxForwardsPerConnection: number;
  /** All channels (sessions and forwards) of one user over all their connections. */
  maxChannelsPerUser: number;
  /** Authenticated connections of one user at once (ones with no channel hold a descriptor too). */
  maxConnectionsPerUser: number;
  /** How long close() waits for processes to end before it gives up on them. */
  closeTimeoutMs: number;
}

/**
 * Defaults for a team hub. Keys only, so a login is one round of signatures: 10 s is ample for
 * the handshake even on a slow link, and 60 s of grace (half of OpenSSH's 120 s) leaves time to
 * type a key passphrase, which OpenSSH asks for during authentication. MaxStartups 20:30:100
 * rather than OpenSSH's 10:30:100, with 10 per address: one address alone (an attacker, or an
 * office behind one NAT) never starts the random drop that everyone else would feel. Sessions per
 * connection are OpenSSH's MaxSessions; forwards get more because a browser through `ssh -L`
 * opens many connections at once; the per-user caps bound what one key can hold on the hub.
 */
export const DEFAULT_SSH_LIMITS: SshLimits = {
  handshakeTimeoutMs: 10_000,
  loginGraceMs: 60_000,
  maxStartups: { start: 20, rate: 30, full: 100 },
  maxStartupsPerAddress: 10,
  maxSessionsPerConnection: 10,
  maxForwardsPerConnection: 64,
  maxChannelsPerUser: 128,
  maxConnectionsPerUser: 32,
  closeTimeoutMs: 5_000,
};

export type SshLimitsInput = Partial<SshLimits>;

const MAX_COUNT = 1_000_000;
const MAX_MS = 24 * 3600_000;

/**
 * The defaults with what the caller set on top; throws a clear message for a value that is not a
 * whole number in range (the hub's settings or a caller's mistake must not silently lift a limit).
 */
export function resolveSshLimits(input: SshLimitsInput = {}): SshLimits {
  const l: SshLimits = { ...DEFAULT_SSH_LIMITS, ...input, maxStartups: { ...DEFAULT_SSH_LIMITS.maxStartups, ...input.maxStartups } };
  const problems: string[] = [];
  const check = (name: string, v: unknown, min: number, max: number) => {
    if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) problems.push(`${name} must be a whole number from ${min} to ${max} (got ${String(v)})`);
  };
  for (const k of ['handshakeTimeoutMs', 'loginGraceMs', 'closeTimeoutMs'] as const) check(k, l[k], 1, MAX_MS);
  for (const k of ['maxStartupsPerAddress', 'maxSessionsPerConnection', 'maxForwardsPerConnection', 'maxChannelsPerUser', 'maxConnectionsPerUser'] as const) check(k, l[k], 1, MAX_COUNT);
  check('maxStartups.start', l.maxStartups.start, 1, MAX_COUNT);
  check('maxStartups.full', l.maxStartups.full, 1, MAX_COUNT);
  check('maxStartups.rate', l.maxStartups.rate, 0, 100);
  if (l.maxStartups.start > l.maxStartups.full) problems.push('maxStartups.start must not exceed maxStartups.full');
  const unknown = Object.keys(input).filter((k) => !(k in DEFAULT_SSH_LIMITS));
  if (unknown.length) problems.push(`unknown limit(s): ${unknown.join(', ')}`);
  if (problems.length) throw new Error(`SSH gateway limits: ${problems.join('; ')}`);
  return l;
}

/**
 * Whether to refuse a new connection, given the unauthenticated ones open now overall and from
 * its address; `random` is in [0, 1). OpenSSH's drop_connection(): certain at `full`, never below
 * `start`, in between `rate`% plus a linear share of the rest.
 */
export function refuseStartup(limits: SshLimits, unauthenticated: number, fromAddress: number, random: number): string | null {
  if (fromAddress >= limits.maxStartupsPerAddress) return `${fromAddress} unauthenticated connections from this address (limit ${limits.maxStartupsPerAddress})`;
  const { start, rate, full } = limits.maxStartups;
  if (unauthenticated >= full) return `${unauthenticated} unauthenticated connections (full at ${full})`;
  if (unauthenticated < start) return null;
  const p = rate + ((100 - rate) * (unauthenticated - start)) / Math.max(1, full - start);
  return random * 100 < p ? `${unauthenticated} unauthenticated connections: dropped at random (${Math.round(p)}%)` : null;
}

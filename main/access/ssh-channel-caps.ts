/**
 * What one logged-in user may hold on the gateway: connections per user, and channels per
 * connection (sessions — shell, command, sftp — as OpenSSH's MaxSessions, and `ssh -L` forwards)
 * and per user over all their connections. Every place is released exactly once, when its channel
 * or connection closes. Refusals are sentences the client shows ("open failed: …").
 */
import type { SshLimits } from './ssh-limits';

export type ChannelKind = 'session' | 'forward';

export interface ConnectionPlaces {
  /** A place for a new channel (call the release when it closes), or why there is none. */
  channel(kind: ChannelKind): (() => void) | string;
  /**
   * Releases the connection's place and those of all its channels: when a connection drops, ssh2
   * does not tell a session channel that never started a process that it closed.
   */
  release(): void;
}

export class ChannelCaps {
  private readonly channelsOf = new Map<string, number>();
  private readonly connectionsOf = new Map<string, number>();

  constructor(private readonly limits: SshLimits) {}

  /** Channels `user` holds now, over all connections. */
  channels(user: string): number {
    return this.channelsOf.get(user) ?? 0;
  }

  /** A place for a new connection of `user`, or why there is none. */
  connection(user: string): ConnectionPlaces | string {
    const l = this.limits;
    if (this.count(this.connectionsOf, user) >= l.maxConnectionsPerUser) return `hubdeck: at most ${l.maxConnectionsPerUser} SSH connections at once for ${user}; close one first`;
    const leaveConnection = this.take(this.connectionsOf, user);
    const open = { session: 0, forward: 0 };
    const held = new Set<() => void>();
    return {
      release: () => {
        for (const leave of [...held]) leave();
        leaveConnection();
      },
      channel: (kind) => {
        const cap = kind === 'session' ? l.maxSessionsPerConnection : l.maxForwardsPerConnection;
        if (open[kind] >= cap) return `hubdeck: at most ${cap} ${kind === 'session' ? 'sessions' : 'port forwards'} on one connection; close one first`;
        if (this.count(this.channelsOf, user) >= l.maxChannelsPerUser) return `hubdeck: at most ${l.maxChannelsPerUser} channels at once for ${user}; close some first`;
        open[kind]++;
        const leaveUser = this.take(this.channelsOf, user);
        const leave = once(() => { open[kind]--; held.delete(leave); leaveUser(); });
        held.add(leave);
        return leave;
      },
    };
  }

  private count(m: Map<string, number>, user: string): number {
    return m.get(user) ?? 0;
  }

  /** Counts one more for `user`; the returned function (idempotent) counts it off again. */
  private take(m: Map<string, number>, user: string): () => void {
    m.set(user, this.count(m, user) + 1);
    return once(() => {
      const n = this.count(m, user) - 1;
      if (n > 0) m.set(user, n);
      else m.delete(user);
    });
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

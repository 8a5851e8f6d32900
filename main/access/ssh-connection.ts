/**
 * One SSH client of the gateway: public-key authentication against the keys users registered, the
 * target workspace from the login name, then session channels (ssh-session.ts) and `direct-tcpip`
 * (ssh -L) to the workspace's ports. Everything goes through hub.access with the key's user as the
 * actor, so the gateway refuses exactly what the proxy and the API refuse.
 */
import { utils, type AuthContext, type Connection, type TcpipRequestInfo } from 'ssh2';
import type { Duplex } from 'node:stream';
import type { Actor } from '../hub/actor';
import type { Hub } from '../hub/hub';
import type { ChannelCaps, ConnectionPlaces } from './ssh-channel-caps';
import { CONNECT_FAILED, refuseChannel } from './ssh-channel-refusal';
import type { ExecTracker } from './ssh-exec-tracker';
import { targetOfLogin, type SshLogin, type SshPeer } from './ssh-session-plan';
import { forwardTarget } from './forward-target';
import { serveSshSession } from './ssh-session';

/** Failed authentication attempts before the gateway hangs up (OpenSSH's MaxAuthTries). */
const MAX_AUTH_TRIES = 6;

/** Who logged in and what they asked for: a workspace, or why the login name names none. */
export interface ConnectionOptions {
  from: string;
  /** The connection's two ends (SSH_CONNECTION); null over stdio. */
  peer: SshPeer | null;
  log: (message: string) => void;
  /** Every process a session starts, until it ends: the gateway ends them all when it closes. */
  execs: ExecTracker;
  /** Connections per user and channels per connection and per user. */
  caps: ChannelCaps;
  /** The gateway is closing: no new channel. */
  closing: () => boolean;
}

export function serveSshConnection(hub: Hub, client: Connection, o: ConnectionOptions): void {
  let login: SshLogin | null = null;
  let places: ConnectionPlaces | null = null;
  let failures = 0;
  const gone = new AbortController();
  client.once('close', () => { gone.abort(); places?.release(); });
  client.on('authentication', (ctx) => {
    const who = authenticate(hub, ctx);
    if (who === 'continue') return;
    if (!who) {
      if (++failures >= MAX_AUTH_TRIES) client.end();
      else ctx.reject(['publickey']);
      return;
    }
    const p = o.caps.connection(who.actor.user);
    if (typeof p === 'string') {
      // Over the user's cap: logged in only to be told why (a refused login would read
      // "Permission denied (publickey)"), then ended.
      o.log(`ssh: ${who.actor.user} from ${o.from} refused: ${p}`);
      client.once('ready', () => refuseEverything(client, p));
      ctx.accept();
      return;
    }
    places = p;
    login = { actor: who.actor, target: targetOfLogin(ctx.username, who.actor.user), key: who.key };
    ctx.accept();
  });
  client.on('ready', () => {
    if (!login) return;
    const l = login;
    const pl = places!;
    // The connection lasts only while its key stays registered to a user allowed in (removed key,
    // blocked or deleted user, admin access withdrawn: ended, sessions and forwards with it).
    if (typeof l.target !== 'string') {
      const release = hub.access.hold({ reauth: () => hub.keys.actorForKey(l.key.type, l.key.blob), ref: l.target, end: () => client.end() });
      client.on('close', release);
    }
    o.log(`ssh: ${l.actor.user} from ${o.from} → ${typeof l.target === 'string' ? '(no workspace)' : `${l.target.user}/${l.target.name}`}`);
    // Every channel takes a place under the caps first; a refusal tells the client why.
    const place = (kind: 'session' | 'forward', reject: () => void): (() => void) | null => {
      const p = o.closing() ? 'hubdeck: the SSH gateway is shutting down' : pl.channel(kind);
      if (typeof p !== 'string') return p;
      o.log(`ssh: ${l.actor.user} from ${o.from}: ${p}`);
      refuseChannel(client, reject, p);
      return null;
    };
    client.on('session', (accept, reject) => {
      const release = place('session', reject);
      if (release) serveSshSession(hub, l, accept(), { execs: o.execs, connectionGone: gone.signal, release, peer: o.peer, client });
    });
    client.on('tcpip', (accept, reject, info) => {
      const release = place('forward', reject);
      if (release) void forward(hub, l, info, { accept, reject: (why, code) => refuseChannel(client, reject, why, code), release, gone: () => gone.signal.aborted || o.closing() }, o.log);
    });
    // `ssh -L PORT:/path/to.sock`: ssh2 would refuse it with no reason at all.
    client.on('openssh.streamlocal', (_accept, reject) => refuseChannel(client, reject, 'hubdeck: forwarding to a unix socket is not offered; forward a TCP port of the workspace (ssh -L PORT:localhost:PORT)'));
    // Remote forwarding (ssh -R) and agent forwarding stay off: nothing may listen on the hub's side.
    client.on('request', (_accept, reject) => reject?.());
  });
  client.on('error', (e) => o.log(`ssh: connection from ${o.from}: ${e.message}`));
}

/** How long a connection refused for its user's cap may stay to be told why. */
const REFUSED_LINGER_MS = 5_000;

/** Answers the first channel (or whatever comes) with `reason`, then hangs up. */
function refuseEverything(client: Connection, reason: string): void {
  const timer = setTimeout(() => client.end(), REFUSED_LINGER_MS);
  client.once('close', () => clearTimeout(timer));
  const refuse = (reject: () => void) => {
    refuseChannel(client, reject, reason);
    client.end();
  };
  client.on('session', (_accept, reject) => refuse(reject));
  client.on('tcpip', (_accept, reject) => refuse(reject));
  client.on('request', (_accept, reject) => reject?.());
}

/**
 * The actor a public key proves, null to refuse, or 'continue' once the request is answered (a
 * client asking whether a key would do, before signing with it).
 */
function authenticate(hub: Hub, ctx: AuthContext): { actor: Actor; key: SshLogin['key'] } | null | 'continue' {
  if (ctx.method !== 'publickey') return null;
  const parsed = utils.parseKey(ctx.key.data);
  if (parsed instanceof Error) return null;
  const actor = hub.keys.actorForKey(parsed.type, ctx.key.data);
  if (!actor) return null;
  if (!ctx.signature || !ctx.blob) {
    ctx.accept();
    return 'continue';
  }
  return parsed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true ? { actor, key: { type: parsed.type, blob: ctx.key.data } } : null;
}

interface ForwardChannel {
  accept: () => unknown;
  /** Refuses the channel with a reason the client shows ("open failed: connect failed: …"). */
  reject: (why: string, code?: number) => void;
  /** Gives back the forward's place under the caps. */
  release: () => void;
  /** The client (or the gateway) went while the port was being dialled. */
  gone: () => boolean;
}

/**
 * `ssh -L` / `-D`: a channel to one of the workspace's ports — on its loopback or its address, as
 * forward-target.ts decides — or a refusal (the client says "open failed").
 */
async function forward(hub: Hub, l: SshLogin, info: TcpipRequestInfo, c: ForwardChannel, log: (m: string) => void): Promise<void> {
  const refuse = (why: string, code?: number) => { c.release(); c.reject(why, code); };
  const t = l.target;
  if (typeof t === 'string') return refuse(t);
  const to = forwardTarget(info.destIP, t.name);
  if (!to || !(info.destPort >= 1 && info.destPort <= 65535)) {
    log(`ssh: ${l.actor.user}: refused a forward to ${printableTarget(info)} (only the workspace itself)`);
    return refuse(`hubdeck: ssh -L reaches the workspace's own ports only (localhost:PORT), not ${printableTarget(info)}`);
  }
  let upstream;
  try {
    upstream = await hub.access.connect(l.actor, t, info.destPort, { to });
  } catch (e) {
    const why = `hubdeck: port ${info.destPort} of ${t.user}/${t.name}: ${(e as Error).message}`;
    log(`ssh: ${l.actor.user}: ${why.slice('hubdeck: '.length)}`);
    return refuse(why, CONNECT_FAILED);
  }
  // The client left while we dialled: no channel would ever close this stream.
  if (c.gone()) {
    upstream.destroy();
    return refuse('hubdeck: the connection is closing');
  }
  const channel = c.accept() as Duplex;
  upstream.on('error', () => channel.destroy());
  channel.on('error', () => upstream.destroy());
  channel.on('close', () => { c.release(); upstream.destroy(); });
  upstream.on('close', () => channel.end());
  channel.pipe(upstream);
  upstream.pipe(channel);
}

/** The host:port a refused forward named, shortened and stripped of control characters. */
function printableTarget(info: TcpipRequestInfo): string {
  return `${info.destIP.slice(0, 80).replace(/[^\x20-\x7e]/g, '?')}:${info.destPort}`;
}

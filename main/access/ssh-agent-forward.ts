/**
 * Agent forwarding for one session (`ssh -A`, allowed by the hub's setting sshAgentForwarding):
 * starts the relay (ssh-agent-relay.ts) in the workspace as the session's user, learns its socket
 * (the session's SSH_AUTH_SOCK), and carries each connection to it over an `auth-agent@openssh.com`
 * channel the gateway opens back to the client, as sshd does. The relay ends with the session.
 */
import type { Connection, ServerChannel } from 'ssh2';
import type { ExecSession } from '../engine/engine';
import type { Hub } from '../hub/hub';
import { agentRelayCommand, encodeFrame, FRAME, FrameReader, NO_AGENT_RELAY_MESSAGE, type Frame } from './ssh-agent-relay';
import type { ExecTracker } from './ssh-exec-tracker';
import type { SshLogin } from './ssh-session-plan';

/** How long the relay may take to say where its socket is. */
const START_TIMEOUT_MS = 15_000;

export interface AgentRelay {
  /** The socket inside the workspace: the session's SSH_AUTH_SOCK. */
  socket: string;
  close(): void;
}

/** Starts the relay; its socket, or why there is none (a sentence for the client), or null if the session went. */
export async function startAgentRelay(hub: Hub, login: SshLogin, client: Connection, execs: ExecTracker, gone: AbortSignal): Promise<AgentRelay | string | null> {
  const t = login.target;
  if (typeof t === 'string') return t;
  let exec: ExecSession | null;
  try {
    exec = await execs.start((signal) => hub.access.exec(login.actor, t, { cmd: agentRelayCommand(), stdin: true, tty: false, signal }), gone);
  } catch (e) {
    return `hubdeck: agent forwarding could not start: ${(e as Error).message}`;
  }
  if (!exec) return null;
  const ex = exec;
  const socket = await relayChannels(ex, client);
  if (typeof socket !== 'string') {
    void execs.end(ex);
    return socket.why;
  }
  // The end of its input lets the relay clean up by itself; the engine's close ends it in any case.
  return { socket, close: () => { ex.stdin?.end(); setTimeout(() => void execs.end(ex), 500); } };
}

/** Wires the relay's frames to agent channels; resolves with the socket's path once told it. */
function relayChannels(exec: ExecSession, client: Connection): Promise<string | { why: string }> {
  return new Promise((resolve) => {
    const reader = new FrameReader();
    const channels = new Map<number, ServerChannel | Buffer[]>();
    let errors = '';
    const send = (kind: (typeof FRAME)[keyof typeof FRAME], id: number, payload?: Buffer) => { if (exec.stdin?.writable) exec.stdin.write(encodeFrame(kind, id, payload)); };
    const timer = setTimeout(() => resolve({ why: 'hubdeck: agent forwarding: the relay in the workspace did not start' }), START_TIMEOUT_MS);
    const onFrame = (f: Frame) => {
      if (f.kind === FRAME.path) {
        clearTimeout(timer);
        resolve(f.payload.toString('utf8'));
      } else if (f.kind === FRAME.open) {
        channels.set(f.id, []);
        openAgentChannel(client, (ch) => {
          const early = channels.get(f.id);
          if (!ch || !Array.isArray(early)) return void (ch ? ch.close() : (channels.delete(f.id), send(FRAME.close, f.id)));
          channels.set(f.id, ch);
          for (const b of early) ch.write(b);
          ch.on('data', (d: Buffer) => send(FRAME.data, f.id, d));
          ch.on('error', () => undefined);
          ch.once('close', () => { if (channels.delete(f.id)) send(FRAME.close, f.id); });
        });
      } else if (f.kind === FRAME.data) {
        const ch = channels.get(f.id);
        if (Array.isArray(ch)) ch.push(Buffer.from(f.payload));
        else ch?.write(f.payload);
      } else if (f.kind === FRAME.close) {
        const ch = channels.get(f.id);
        channels.delete(f.id);
        if (ch && !Array.isArray(ch)) ch.close();
      }
    };
    exec.stdin?.on('error', () => undefined);
    exec.stderr.on('data', (d: Buffer) => { errors = (errors + d.toString()).slice(-500); });
    exec.stdout.on('data', (d: Buffer) => {
      try {
        for (const f of reader.push(d)) onFrame(f);
      } catch {
        exec.stdout.destroy();
      }
    });
    exec.stdout.once('close', () => {
      clearTimeout(timer);
      for (const ch of channels.values()) if (!Array.isArray(ch)) ch.close();
      channels.clear();
      const why = errors.includes(NO_AGENT_RELAY_MESSAGE) ? NO_AGENT_RELAY_MESSAGE : `hubdeck: agent forwarding: the relay in the workspace ended${errors.trim() ? ` (${errors.trim().split('\n').pop()})` : ''}`;
      resolve({ why });
    });
  });
}

/** The window and packet sizes ssh2 gives every channel it opens (lib/Channel.js). */
const MAX_WINDOW = 2 * 1024 * 1024;
const PACKET_SIZE = 32 * 1024;

interface Ssh2Internals {
  _chanMgr?: { add(cb: unknown): number };
  _protocol?: { openssh_authAgent?(chan: number, window: number, packet: number): void };
}

/**
 * Opens an `auth-agent@openssh.com` channel to the client. ssh2's server has no call for it (its
 * protocol layer does), so this does what its own forwardOut() does for other channel kinds: takes
 * a local channel number and sends the open; ssh2 answers the callback on confirmation or failure.
 * Internals of ssh2 1.x: if they change, agent channels fail to open (the agent client sees an error).
 */
function openAgentChannel(client: Connection, done: (ch: ServerChannel | null) => void): void {
  const c = client as unknown as Ssh2Internals;
  const open = c._protocol?.openssh_authAgent;
  if (!c._chanMgr || typeof open !== 'function') return done(null);
  const callback = Object.assign((err: Error | undefined, ch: ServerChannel) => done(err ? null : ch), { type: 'auth-agent@openssh.com' });
  const local = c._chanMgr.add(callback);
  if (local === -1) return done(null);
  open.call(c._protocol, local, MAX_WINDOW, PACKET_SIZE);
}

/**
 * One SSH session channel: pty, env and window-change requests, then a shell, a command or the
 * sftp subsystem run in the workspace through hub.access.exec — with the exit status, signals, and
 * the process ended when the client goes. A refusal (another user's workspace, a stopped one, a
 * login name that names none) is one line on the client's stderr and exit status 1.
 */
import { finished } from 'node:stream/promises';
import type { Connection, ServerChannel, Session } from 'ssh2';
import { SIGNALS } from '../engine/exec-wrap';
import type { ExecSession } from '../engine/engine';
import type { Hub } from '../hub/hub';
import { startAgentRelay } from './ssh-agent-forward';
import type { ExecTracker } from './ssh-exec-tracker';
import { ExitSignalWatch } from './ssh-exit-signal';
import { envAllowed, execCommand, sessionEnv, sftpCommand, shellCommand, type SshLogin, type SshPeer } from './ssh-session-plan';

/** Environment variables one session may set (sshd has no such cap, but it has no shared hub either). */
const MAX_ENV = 64;

interface Pty {
  term: string;
  cols: number;
  rows: number;
}

export interface SessionOptions {
  execs: ExecTracker;
  /** Aborted when the client's connection is gone (its channels may never say so themselves). */
  connectionGone: AbortSignal;
  /** Gives back the session's place under the channel caps; called once it closes. */
  release: () => void;
  /** The connection's two ends, for SSH_CONNECTION and SSH_CLIENT. */
  peer: SshPeer | null;
  /** The client's connection: agent channels are opened back over it. */
  client: Connection;
}

export function serveSshSession(hub: Hub, login: SshLogin, session: Session, o: SessionOptions): void {
  let pty: Pty | null = null;
  const env: Record<string, string> = {};
  let exec: ExecSession | null = null;
  let started = false;
  let watch = new ExitSignalWatch(false);
  let agent = false;
  // Aborted when the session, its channel or the connection goes: a start under way is abandoned.
  const gone = new AbortController();
  const onConnectionGone = () => gone.abort();
  o.connectionGone.addEventListener('abort', onConnectionGone, { once: true });
  const ended = () => {
    gone.abort();
    o.connectionGone.removeEventListener('abort', onConnectionGone);
    o.release();
  };
  session.once('close', ended);

  session.on('pty', (accept, reject, info) => {
    if (!/^[A-Za-z0-9._+-]{1,64}$/.test(info.term || 'xterm')) return reject?.();
    pty = { term: info.term || 'xterm', cols: info.cols || 80, rows: info.rows || 24 };
    accept?.();
  });
  session.on('window-change', (accept, _reject, info) => {
    if (pty) pty = { ...pty, cols: info.cols, rows: info.rows };
    void exec?.resize(info.cols, info.rows).catch(() => undefined);
    accept?.();
  });
  session.on('env', (accept, reject, info) => {
    // The allowed prefixes (LC_…) admit endless names: a bounded number, or memory and the exec grow without end.
    if (!envAllowed(info.key, info.val) || (!Object.hasOwn(env, info.key) && Object.keys(env).length >= MAX_ENV)) return reject?.();
    env[info.key] = info.val;
    accept?.();
  });
  session.on('signal', (accept, reject, info) => {
    const name = info.name.replace(/^SIG/, '');
    if (!exec?.signal || !(SIGNALS as readonly string[]).includes(name)) return reject?.();
    void exec.signal(name).catch(() => undefined);
    watch.sent(name);
    accept?.();
  });
  // A channel closed (or a client gone) before its process started must never see it start, and
  // one that went while the engine was starting it ends it at once (ExecTracker.start).
  const start = (cmd: string[], withPty: boolean) => (channel: ServerChannel) => {
    channel.once('close', ended);
    const p = withPty ? pty : null;
    watch = new ExitSignalWatch(Boolean(p));
    const plan = { cmd, pty: p, env: { ...env, ...sessionEnv(o.peer) }, watch, agent: agent && withPty ? o.client : null };
    void run(hub, login, channel, plan, o.execs, gone.signal).then((e) => { exec = e; });
  };
  // One process per session channel, as RFC 4254 says: a second shell/exec request is refused.
  const once = (go: () => void, reject?: () => void) => {
    if (started) return reject?.();
    started = true;
    go();
  };
  session.on('shell', (accept, reject) => once(() => start(shellCommand(), true)(accept()), reject));
  session.on('exec', (accept, reject, info) => once(() => start(execCommand(info.command), true)(accept()), reject));
  session.on('subsystem', (accept, reject, info) => {
    if (info.name !== 'sftp') return reject();
    once(() => start(sftpCommand(), false)(accept()), reject);
  });
  // Agent forwarding where the hub allows it (before the shell or command, as clients ask for it).
  session.on('auth-agent', (accept, reject) => {
    if (started || !hub.sshSettings().agentForwarding) return reject?.();
    agent = true;
    accept?.();
  });
  // X11 forwarding would reach back into the client's display: not offered.
  session.on('x11', (_accept, reject) => reject?.());
}

interface RunPlan {
  cmd: string[];
  pty: Pty | null;
  env: Record<string, string>;
  /** Tells an end by signal from an exit status. */
  watch: ExitSignalWatch;
  /** The client whose agent the session forwards (ssh -A, allowed by the hub); null for none. */
  agent: Connection | null;
}

/** Runs the process and wires it to the channel; null when it was refused (the client was told). */
async function run(hub: Hub, login: SshLogin, channel: ServerChannel, p: RunPlan, execs: ExecTracker, gone: AbortSignal): Promise<ExecSession | null> {
  const eol = p.pty ? '\r\n' : '\n';
  const refuse = (message: string) => {
    channel.stderr.write(`${message}${eol}`);
    channel.exit(1);
    channel.end();
    return null;
  };
  const t = login.target;
  if (typeof t === 'string') return refuse(t);
  let exec: ExecSession | null;
  try {
    await hub.access.running(login.actor, t, 'and connect again');
    if (p.agent) await forwardAgent(hub, login, channel, p, execs, gone);
    exec = await execs.start((signal) => hub.access.exec(login.actor, t, {
      cmd: p.cmd, stdin: true, tty: Boolean(p.pty), cols: p.pty?.cols, rows: p.pty?.rows,
      env: { ...p.env, ...(p.pty ? { TERM: p.pty.term } : {}) }, signal,
    }), gone);
  } catch (e) {
    return gone.aborted ? null : refuse(`hubdeck: ${(e as Error).message}`);
  }
  // Not started: the client left (nobody to tell), or the gateway is closing.
  if (!exec) return gone.aborted ? null : refuse('hubdeck: the SSH gateway is shutting down; connect again later');
  wire(channel, exec, p, execs);
  return exec;
}

/** Starts the session's agent relay: its socket goes into the environment, or the client is told why not. */
async function forwardAgent(hub: Hub, login: SshLogin, channel: ServerChannel, p: RunPlan, execs: ExecTracker, gone: AbortSignal): Promise<void> {
  const relay = await startAgentRelay(hub, login, p.agent!, execs, gone);
  if (typeof relay === 'string') channel.stderr.write(`${relay}${p.pty ? '\r\n' : '\n'}`);
  if (!relay || typeof relay === 'string') return;
  p.env.SSH_AUTH_SOCK = relay.socket;
  // `gone` covers the session, its channel and the connection (a channel's own close may not come).
  if (gone.aborted) relay.close();
  else gone.addEventListener('abort', () => relay.close(), { once: true });
}

function wire(channel: ServerChannel, exec: ExecSession, p: RunPlan, execs: ExecTracker): void {
  const tty = Boolean(p.pty);
  let exited = false;
  // Input that arrives after the process ended has nowhere to go: dropped, not a crash.
  exec.stdin?.on('error', () => undefined);
  // A terminal has no half-close: the client's EOF (ssh -t with nothing on stdin) must not end
  // the session, as sshd ignores it for pty sessions; without one, EOF is the end of the input.
  if (exec.stdin) channel.pipe(exec.stdin, { end: !tty });
  else channel.resume();
  if (tty) channel.on('data', (d: Buffer) => p.watch.typed(d));
  exec.stdout.pipe(channel, { end: false });
  exec.stderr.pipe(channel.stderr, { end: false });
  // The client went away (or closed the channel) first: end the process and all it started.
  channel.on('close', () => { if (!exited) void execs.end(exec); });
  channel.on('error', () => undefined);
  void (async () => {
    // All output first, then the status, then the end of the channel — as sshd orders them.
    await Promise.all([finished(exec.stdout).catch(() => undefined), finished(exec.stderr).catch(() => undefined)]);
    const end = p.watch.end(await exec.exitCode().catch(() => -1));
    exited = true;
    // A signal is reported as sshd does (`exit-signal`: OpenSSH's client then exits with 255).
    if ('signal' in end) channel.exit(end.signal, false, '');
    else channel.exit(end.code);
    channel.end();
  })();
}

/**
 * Tunnels from the command line: `hubdeck tunnel add|list|remove|start|stop` (named forwards kept
 * in the data directory; a started one runs as a background `hubdeck tunnel run NAME` process) and
 * `hubdeck workspace forward NAME LOCAL:REMOTE` in the foreground until Ctrl-C.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { HubdeckError, ValidationError } from '../core/errors';
import { startForward, type RunningForward } from '../access/port-forward';
import { ownerDialer, type PortDialer } from '../client/port-dialer';
import { TunnelStore, type Tunnel } from '../client/tunnel-store';
import { capabilitiesOf, requireCapability } from '../api/capabilities';
import { checkedUser, localDataDir, osUserName, printJson, remoteHub, type CliIo, type GlobalOptions, type RemoteHub } from './cli-context';
import { connectRemote } from './open-session';
import { table } from './table';

const store = (io: CliIo, g: GlobalOptions) => new TunnelStore(localDataDir(g, io.env));

/**
 * Where a new tunnel or forward goes and whom it acts for, in one pass: the remote hub the options
 * name (a URL, or a saved hub with its token and pin), as --user or the saved hub's user, else the
 * token's user — asked of the hub only then, with whether it can tunnel in the same answer — and
 * refused at once by a connection that cannot forward ports at all; else the local hub as --user or
 * this machine's user.
 */
async function tunnelTarget(io: CliIo, g: GlobalOptions): Promise<{ hub: RemoteHub | null; user: string }> {
  const hub = remoteHub(g, io.env);
  const explicit = g.user ?? (io.env.HUBDECK_USER || undefined);
  if (!hub) return { hub, user: explicit ? checkedUser(explicit) : osUserName() };
  const { client, checkUser, dialer } = await connectRemote(hub);
  try {
    dialer().close();
    if (explicit) return { hub, user: checkUser(explicit) };
    if (hub.user) return { hub, user: hub.user };
    const info = await client.info();
    requireCapability(capabilitiesOf(info), 'tunnels', 'workspace forward and tunnels');
    return { hub, user: info.user.name };
  } finally {
    await client.close();
  }
}

/** A dialer for a tunnel's hub: the remote one as resolved (its connection's), else the local hub in this process. */
async function openDialer(io: CliIo, hub: RemoteHub | null, g: GlobalOptions): Promise<{ dialer: PortDialer; close(): Promise<void> }> {
  if (hub) {
    const connection = await connectRemote(hub);
    await connection.client.close();
    const dialer = connection.dialer();
    return { dialer, close: async () => dialer.close() };
  }
  const admin = osUserName();
  const { openLocalHub } = await import('../server/local-hub');
  const local = await openLocalHub({ admin, env: io.env, dataDir: g.data, dockerHost: g.dockerHost, origin: g.origin });
  // The local hub is this machine's own: its user acts as the owner of the workspace it tunnels to.
  return { dialer: ownerDialer(local.hub), close: () => local.hub.close() };
}

/** A saved tunnel's hub: its URL and pin, with the token from the options or the saved hub. */
function hubOfTunnel(io: CliIo, g: GlobalOptions, t: Pick<Tunnel, 'hub' | 'fingerprint'>): RemoteHub | null {
  return t.hub ? remoteHub({ ...g, hub: t.hub, fingerprint: t.fingerprint ?? g.fingerprint }, io.env) : null;
}

/** Runs a forward until SIGINT/SIGTERM (foreground `workspace forward`, background `tunnel run`). */
async function runForward(io: CliIo, g: GlobalOptions, hub: RemoteHub | null, t: Pick<Tunnel, 'user' | 'workspace' | 'local' | 'remote'>, onListening: (f: RunningForward) => void): Promise<void> {
  const { dialer, close } = await openDialer(io, hub, g);
  let forward: RunningForward;
  try {
    forward = await startForward({ dialer, ref: { user: t.user, name: t.workspace }, local: t.local, remote: t.remote, log: (m) => io.err(m) });
  } catch (e) {
    await close();
    throw e;
  }
  onListening(forward);
  await new Promise<void>((resolve) => { for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(s, () => resolve()); });
  await forward.close();
  await close();
}

function portArg(field: string, text: string): number {
  const n = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= 65535)) throw new ValidationError(field, `"${text}" is not a port (1-65535)`);
  return n;
}

export function forwardCommand(io: CliIo): Command {
  return new Command('forward')
    .description('forward a local port to a workspace port until Ctrl-C, e.g. 16006:6006 for TensorBoard')
    .argument('<name>', 'the workspace')
    .argument('<local:remote>', 'local port and workspace port')
    .action(async (name: string, spec: string, _o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const m = /^(\d+):(\d+)$/.exec(spec);
      if (!m) throw new ValidationError('ports', `"${spec}" is not LOCAL:REMOTE (e.g. 16006:6006)`);
      const [local, remote] = [portArg('local', m[1]!), portArg('remote', m[2]!)];
      const { hub, user } = await tunnelTarget(io, g);
      await runForward(io, g, hub, { user, workspace: name, local, remote }, (f) => {
        io.out(`forwarding http://${f.address.host}:${f.address.port} → ${user}/${name}:${remote} (Ctrl-C to stop)`);
      });
    });
}

export function tunnelCommands(io: CliIo): Command {
  const tunnel = new Command('tunnel').description('named local port forwards to workspaces (e.g. TensorBoard on localhost:16006)');

  tunnel.command('add <name>')
    .description('define a tunnel (it runs with hubdeck tunnel start)')
    .requiredOption('--workspace <name>', 'the workspace')
    .requiredOption('--local <port>', 'the local port (127.0.0.1)')
    .requiredOption('--remote <port>', 'the port inside the workspace')
    .action(async (name: string, o: { workspace: string; local: string; remote: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const [local, remote] = [portArg('local', o.local), portArg('remote', o.remote)];
      const { hub, user } = await tunnelTarget(io, g);
      const t = store(io, g).add({
        name, workspace: o.workspace, user, local, remote,
        hub: hub?.url ?? null, fingerprint: hub?.fingerprint ?? null, createdAt: new Date().toISOString(),
      });
      if (g.json) printJson(io, t);
      else io.out(`tunnel ${t.name}: localhost:${t.local} → ${t.user}/${t.workspace}:${t.remote} (hubdeck tunnel start ${t.name})`);
    });

  tunnel.command('list').alias('ls').description('the tunnels and whether they run')
    .action((_o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const s = store(io, g);
      const rows = s.list().map((t) => ({ ...t, pid: s.runningPid(t.name) }));
      if (g.json) return printJson(io, rows.map((r) => ({ ...r, running: r.pid !== null })));
      io.out(table(['NAME', 'LOCAL', 'WORKSPACE', 'REMOTE', 'HUB', 'STATE'], rows.map((r) => [
        r.name, String(r.local), `${r.user}/${r.workspace}`, String(r.remote), r.hub ?? 'local', r.pid ? `running (pid ${r.pid})` : 'stopped',
      ])));
    });

  tunnel.command('start <name>').description('run the tunnel in the background')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const s = store(io, g);
      const t = s.get(name);
      const pid = s.runningPid(name);
      if (pid) return io.out(`tunnel ${name} is already running (pid ${pid})`);
      const started = await startBackground(io, g, s, t);
      io.out(`tunnel ${name} running (pid ${started}): http://127.0.0.1:${t.local} → ${t.user}/${t.workspace}:${t.remote}`);
    });

  tunnel.command('stop <name>').description('stop a running tunnel (frees its port)')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const s = store(io, cmd.optsWithGlobals<GlobalOptions>());
      s.get(name);
      io.out(await stopTunnel(s, name) ? `tunnel ${name} stopped` : `tunnel ${name} was not running`);
    });

  tunnel.command('remove <name>').alias('rm').description('stop and forget a tunnel')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const s = store(io, cmd.optsWithGlobals<GlobalOptions>());
      s.get(name);
      await stopTunnel(s, name);
      s.remove(name);
      io.out(`tunnel ${name} removed`);
    });

  // The background process `tunnel start` runs; not for people.
  tunnel.command('run <name>', { hidden: true })
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const s = store(io, g);
      const t = s.get(name);
      await runForward(io, g, hubOfTunnel(io, g, t), t, () => {
        fs.mkdirSync(s.runDir, { recursive: true, mode: 0o700 });
        fs.writeFileSync(s.pidFile(name), `${process.pid}\n`, { mode: 0o600 });
      });
      fs.rmSync(s.pidFile(name), { force: true });
    });
  return tunnel;
}

/** Spawns `hubdeck tunnel run NAME` detached and waits until it listens (or says why not). */
async function startBackground(io: CliIo, g: GlobalOptions, s: TunnelStore, t: Tunnel): Promise<number> {
  fs.mkdirSync(s.runDir, { recursive: true, mode: 0o700 });
  const log = fs.openSync(s.logFile(t.name), 'w', 0o600);
  const args = [process.argv[1]!, ...(g.data ? ['--data', g.data] : []), ...(g.dockerHost ? ['--docker-host', g.dockerHost] : []), 'tunnel', 'run', t.name];
  const env = { ...io.env, ...(g.token ? { HUBDECK_TOKEN: g.token } : {}), ...(g.data ? {} : { HUBDECK_DATA: path.dirname(s.file) }) };
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log], env });
  fs.closeSync(log);
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? 1));
  for (let i = 0; i < 300; i++) {
    if (s.runningPid(t.name) === child.pid) {
      child.unref();
      return child.pid!;
    }
    if (exited !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (exited === null) child.kill();
  const said = fs.readFileSync(s.logFile(t.name), 'utf8').trim().split('\n').filter(Boolean).pop() ?? 'it did not start within 15 s';
  throw new HubdeckError('conflict', `tunnel ${t.name} did not start: ${said.replace(/^hubdeck: /, '')}`);
}

async function stopTunnel(s: TunnelStore, name: string): Promise<boolean> {
  const pid = s.runningPid(name);
  if (!pid) return false;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && s.runningPid(name) === pid; i++) await new Promise((r) => setTimeout(r, 50));
  // One that does not end within 5 s (stuck on a dead hub) is killed, so its port is free after.
  if (s.runningPid(name) === pid) {
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 40 && s.runningPid(name) === pid; i++) await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

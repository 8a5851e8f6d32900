/** `hubdeck workspace …`: create, list, start, stop, restart, remove, logs, stats. */
import { Command, Option } from 'commander';
import { ValidationError } from '../core/errors';
import { expiresIn, formatBytes, formatCpus, formatDate, formatPercent, formatUsage } from '../api/display-format';
import { workspaceBaseUrl } from '../core/names';
import { parseWorkspaceRequest } from '../core/workspace-spec';
import type { ProgressEvent, Workspace, WorkspaceStats } from '../engine/engine';
import { printJson, type CliIo, type GlobalOptions, type Session } from './cli-context';
import type { CreateWorkspaceBody } from '../api/operations';
import { table } from './table';
import { workspaceJson } from '../client/workspace-json';
import { collect, need, withSession } from './with-session';
import { sshAliasFor, workspaceSshCommand } from './ssh-commands';
import { forwardCommand } from './tunnel-commands';
import { workspaceOpenCommand } from './workspace-open-command';

function progressPrinter(io: CliIo): (e: ProgressEvent) => void {
  let last = '';
  return (e) => {
    const line = e.phase === 'pull' ? `pulling ${e.image}: ${e.percent}%` : e.message;
    if (line !== last) io.err(line);
    last = line;
  };
}

/** "running", or "failed (exited with code 2)": the engine's status only when it says more than the state. */
function stateText(w: Workspace): string {
  return w.status && w.status !== w.state ? `${w.state} (${w.status})` : w.state;
}

/** "Fri 19 Dec, 14:00 (in 2d 23h)", "never". */
function expiryText(iso: string | null, now = Date.now()): string {
  return iso ? `${formatDate(iso, { now })} (${expiresIn(iso, now)})` : 'never';
}

function printWorkspace(io: CliIo, w: Workspace, json: boolean | undefined): void {
  if (json) return printJson(io, workspaceJson(w));
  io.out(`${w.user}/${w.name}: ${stateText(w)}`);
}

/**
 * A list's rows as `show` has them: an engine's list may leave out what costs a call per workspace
 * (Docker's summary has no start time), and a script must not read `startedAt: null` for a running one.
 */
async function completed(client: Session['client'], list: Workspace[]): Promise<Workspace[]> {
  return Promise.all(list.map((w) => (w.state === 'running' && w.startedAt === null
    ? client.getWorkspace({ user: w.user, name: w.name }).catch(() => w) : w)));
}

export function workspaceCommands(io: CliIo): Command {
  const ws = new Command('workspace').alias('ws').description('create and manage workspaces');

  ws.command('create <name>')
    .description('create and start a workspace')
    .option('--image <ref>', "container image (default: the hub's default image: the admin's choice, else one present on the engine)")
    .option('--cpus <n>', 'CPU limit, e.g. 1.5')
    .option('--memory <size>', 'memory limit, e.g. 512m, 2g')
    .option('--shm <size>', 'shared memory size, e.g. 128m')
    .option('--gpus <req>', 'GPUs: all, a count, or device ids like 0,2')
    .option('--env <KEY=VALUE>', 'environment variable (repeatable)', collect, [])
    .option('--days <n>', 'days to live; the workspace expires after')
    .option('--port <n>', 'web port inside the workspace (default 8888)')
    .option('--volume-path <path>', 'where the persistent volume is mounted')
    .option('--no-volume', 'no persistent data volume')
    .option('--no-wait', 'return once started, without waiting until the web port answers')
    .option('--timeout <seconds>', 'how long to wait until ready', '300')
    .option('--placement <key=value>', 'node label the workspace must run on (repeatable)', collect, [])
    .option('--reserve-cpus <n>', 'CPUs guaranteed (reservation), at most --cpus')
    .option('--reserve-memory <size>', 'memory guaranteed (reservation), at most --memory')
    .option('--mount <spec>', 'extra mount: NAME:/path (your named volume) or /host/path:/path, :ro for read-only (repeatable)', collect, [])
    .option('--option <key=value>', 'JupyterHub only: a raw user_options entry for its spawner, the value read as JSON when it is (repeatable)', collect, [])
    .action((name: string, o: Record<string, unknown>, cmd: Command) => {
      // Validated before any hub or engine is opened: bad input fails fast and writes nothing.
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const request = createRequest(name, o);
      parseWorkspaceRequest({ ...request, user: g.user ?? io.env.HUBDECK_USER ?? 'someone' }, { now: new Date() });
      const timeout = numberArg('timeout', o.timeout as string);
      return withSession(io, cmd, async ({ client, user, views }) => {
        const wait = o.wait !== false;
        if (views) return views.create(io, user, name, { ...o, wait, timeoutSeconds: timeout }, g);
        if (wait) io.err(`creating ${user}/${name}; waiting for ${workspaceBaseUrl(user, name)} to answer…`);
        const w = await client.createWorkspace({ body: { ...request, user }, wait, timeout }, { onProgress: progressPrinter(io) });
        printWorkspace(io, w, g.json);
      }, { ability: 'create', what: 'workspace create' });
    });

  ws.command('list')
    .alias('ls')
    .description("list the user's workspaces (all users' with --all)")
    .option('--all', 'every user')
    .action((o: { all?: boolean }, cmd: Command) =>
      withSession(io, cmd, async (s, g) => {
        const { client, user, views } = s;
        if (o.all) await need(s, { ability: 'listAll', what: 'workspace list --all' });
        if (views) return views.list(io, user, g);
        const list = await client.listWorkspaces(o.all ? { all: true } : { user });
        if (g.json) return printJson(io, (await completed(client, list)).map(workspaceJson));
        const now = Date.now();
        io.out(table(
          ['USER', 'NAME', 'STATE', 'IMAGE', 'CPUS', 'MEMORY', 'EXPIRES'],
          list.map((w) => [
            w.user, w.name, w.state, w.image, w.spec?.cpus ? String(w.spec.cpus) : '-',
            w.spec?.memory ? formatBytes(w.spec.memory) : '-', expiresIn(w.expiresAt, now),
          ]),
        ));
      }),
    );

  ws.command('show <name>')
    .description('one workspace in full (with --json, its sshAlias for ssh, scp and VS Code)')
    .action((name: string, _o: unknown, cmd: Command) =>
      withSession(io, cmd, async ({ client, user, views }, g) => {
        if (views) return views.show(io, user, name, g);
        const w = await client.getWorkspace({ user, name });
        const sshAlias = await sshAliasFor(client, name);
        if (g.json) return printJson(io, { ...workspaceJson(w), sshAlias });
        io.out(`${w.user}/${w.name}: ${stateText(w)}`);
        io.out(`image ${w.image}; cpus ${formatCpus(w.spec?.cpus ?? null)}; memory ${w.spec?.memory ? formatBytes(w.spec.memory) : 'no limit'}; expires ${expiryText(w.expiresAt)}`);
        io.out(`web ${w.url ?? `${workspaceBaseUrl(w.user, w.name)} (no process serves this hub's pages now: the app, hubdeck ui or hub serve)`}; ssh ${sshAlias} (after hubdeck ssh-config)`);
      }),
    );
  ws.addCommand(workspaceSshCommand(io));
  ws.addCommand(forwardCommand(io));
  ws.addCommand(workspaceOpenCommand(io));

  for (const verb of ['start', 'stop', 'restart'] as const) {
    ws.command(`${verb} <name>`)
      .description(`${verb} a workspace`)
      .action((name: string, _o: unknown, cmd: Command) =>
        withSession(io, cmd, async ({ client, user }, g) => {
          const ref = { user, name };
          // A stop has no progress; a start (slow on a JupyterHub's spawner) shows it on stderr.
          const w = await client[`${verb}Workspace`](ref, verb === 'stop' ? undefined : { onProgress: progressPrinter(io) });
          printWorkspace(io, w, g.json);
        }),
      );
  }

  ws.command('extend <name>')
    .description('push the expiry back by some days')
    .requiredOption('--days <n>', 'days to add (from now, or from the current expiry if later)')
    .action((name: string, o: { days: string }, cmd: Command) =>
      withSession(io, cmd, async ({ client, user }, g) => {
        const w = await client.extendWorkspace({ user, name, body: { days: numberArg('days', o.days) } });
        if (g.json) printJson(io, workspaceJson(w));
        else io.out(`${user}/${name} now expires ${expiryText(w.expiresAt)}`);
      }, { ability: 'extend', what: 'workspace extend' }),
    );

  ws.command('remove <name>')
    .alias('rm')
    .description('remove a workspace (its data volume is kept unless --delete-data)')
    .option('--delete-data', 'also delete the persistent data volume')
    .action((name: string, o: { deleteData?: boolean }, cmd: Command) =>
      withSession(io, cmd, async ({ client, user }, g) => {
        // Whether there is a data volume to speak of: none for --no-volume workspaces, and none
        // Hubdeck knows of for a JupyterHub's servers (its spawner decides).
        const { volume } = await client.getWorkspace({ user, name });
        await client.removeWorkspace({ user, name, deleteData: o.deleteData ?? false });
        if (g.json) printJson(io, { name, user, removed: true, dataDeleted: o.deleteData ?? false });
        else io.out(`removed ${user}/${name}${removalNote(volume !== null, o.deleteData ?? false)}`);
      }),
    );

  ws.command('logs <name>')
    .description('print the workspace logs')
    .option('--tail <n>', 'only the last n lines')
    .option('-f, --follow', 'keep printing new lines')
    .action((name: string, o: { tail?: string; follow?: boolean }, cmd: Command) =>
      withSession(io, cmd, async ({ client, user }) => {
        const ac = new AbortController();
        process.once('SIGINT', () => ac.abort());
        const tail = o.tail === undefined ? undefined : numberArg('tail', o.tail);
        for await (const chunk of client.workspaceLogs({ user, name, tail, follow: o.follow }, { signal: ac.signal })) {
          process.stdout.write(chunk);
        }
      }, { ability: 'logs', what: 'workspace logs' }),
    );

  ws.command('stats <name>')
    .description('CPU and memory use')
    .addOption(new Option('--stream', 'keep printing samples until interrupted (one JSON line each with --json)'))
    .action((name: string, o: { stream?: boolean }, cmd: Command) =>
      withSession(io, cmd, async ({ client, user }, g) => {
        const ref = { user, name };
        const show = (s: WorkspaceStats) =>
          g.json ? io.out(JSON.stringify(s)) : io.out(`cpu ${formatPercent(s.cpuPercent)}  memory ${formatUsage(s.memoryUsed, s.memoryLimit)}`);
        if (!o.stream) return show(await client.workspaceStats(ref));
        const ac = new AbortController();
        process.once('SIGINT', () => ac.abort());
        // The hub samples the engine and streams the samples.
        for await (const s of client.watchStats({ ...ref, intervalMs: 1000 }, { signal: ac.signal })) show(s);
      }, { ability: 'stats', what: 'workspace stats' }),
    );

  return ws;
}

/** The create request from the command's options, without the user (the session decides it). */
function createRequest(name: string, o: Record<string, unknown>): Omit<CreateWorkspaceBody, 'user'> {
  const list = (v: unknown) => ((v as string[]).length ? (v as string[]) : undefined);
  const reservations = o.reserveCpus !== undefined || o.reserveMemory !== undefined
    ? { cpus: o.reserveCpus as string | undefined, memory: o.reserveMemory as string | undefined } : undefined;
  const request: Record<string, unknown> = {
    name, image: o.image, cpus: o.cpus, memory: o.memory, shm: o.shm, gpus: o.gpus,
    env: list(o.env), days: o.days === undefined ? undefined : numberArg('days', o.days as string),
    webPort: o.port, volume: o.volume === false ? false : undefined, volumePath: o.volumePath,
    placement: list(o.placement), reservations, mounts: list(o.mount),
  };
  for (const k of Object.keys(request)) if (request[k] === undefined) delete request[k];
  return request as Omit<CreateWorkspaceBody, 'user'>;
}

function numberArg(field: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) {
    throw new ValidationError(field, `"${text}" is not a number`);
  }
  return n;
}

/** What a remove says about the data: only about a data volume the workspace had. */
function removalNote(hadVolume: boolean, deleteData: boolean): string {
  if (!hadVolume) return '';
  return deleteData ? ' and its data' : ' (data volume kept)';
}

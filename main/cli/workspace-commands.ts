/** `hubdeck workspace …`: create, list, start, stop, restart, remove, logs, stats. */
import { Command, Option } from 'commander';
import { ValidationError } from '../core/errors';
import { formatSize } from '../core/sizes';
import { parseWorkspaceRequest } from '../core/workspace-spec';
import type { ProgressEvent, Workspace, WorkspaceEngine } from '../engine/engine';
import { openEngine, printJson, resolveUser, type CliIo, type GlobalOptions } from './cli-context';
import { table } from './table';
import { workspaceJson } from './workspace-json';

type Run = (engine: WorkspaceEngine, user: string, g: GlobalOptions) => Promise<void>;

/** Runs an action with the engine open, closing it afterwards whatever happens. */
function withEngine(io: CliIo, cmd: Command, run: Run): Promise<void> {
  const g = cmd.optsWithGlobals<GlobalOptions>();
  const user = resolveUser(g, io.env);
  const engine = openEngine(g, io.env);
  return run(engine, user, g).finally(() => engine.close());
}

const collect = (value: string, prev: string[]) => [...prev, value];

function progressPrinter(io: CliIo): (e: ProgressEvent) => void {
  let last = '';
  return (e) => {
    const line = e.phase === 'pull' ? `pulling ${e.image}: ${e.percent}%` : e.message;
    if (line !== last) io.err(line);
    last = line;
  };
}

function printWorkspace(io: CliIo, w: Workspace, json: boolean | undefined): void {
  if (json) return printJson(io, workspaceJson(w));
  io.out(`${w.user}/${w.name}: ${w.state} (${w.status})`);
}

export function workspaceCommands(io: CliIo): Command {
  const ws = new Command('workspace').alias('ws').description('create and manage workspaces');

  ws.command('create <name>')
    .description('create and start a workspace')
    .option('--image <ref>', 'container image (default: the public Jupyter image)')
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
    .action((name: string, o: Record<string, unknown>, cmd: Command) =>
      withEngine(io, cmd, async (engine, user, g) => {
        const spec = parseWorkspaceRequest(
          {
            name, user, image: o.image, cpus: o.cpus, memory: o.memory, shm: o.shm, gpus: o.gpus,
            env: o.env, days: o.days === undefined ? undefined : numberArg('days', o.days as string),
            webPort: o.port, volume: o.volume, volumePath: o.volumePath,
          },
          { now: new Date() },
        );
        const w = await engine.create(spec, { onProgress: progressPrinter(io) });
        if (o.wait !== false) {
          io.err(`waiting for ${w.baseUrl} to answer…`);
          await engine.waitReady(w, { timeoutMs: numberArg('timeout', o.timeout as string) * 1000 });
        }
        printWorkspace(io, (await engine.get(w)) ?? w, g.json);
      }),
    );

  ws.command('list')
    .alias('ls')
    .description("list the user's workspaces (all users' with --all)")
    .option('--all', 'every user')
    .action((o: { all?: boolean }, cmd: Command) =>
      withEngine(io, cmd, async (engine, user, g) => {
        const list = await engine.list(o.all ? {} : { user });
        if (g.json) return printJson(io, list.map(workspaceJson));
        io.out(table(
          ['USER', 'NAME', 'STATE', 'IMAGE', 'CPUS', 'MEMORY', 'EXPIRES'],
          list.map((w) => [
            w.user, w.name, w.state, w.image, String(w.spec?.cpus ?? '-'),
            w.spec?.memory ? formatSize(w.spec.memory) : '-', w.expiresAt ?? 'never',
          ]),
        ));
      }),
    );

  for (const verb of ['start', 'stop', 'restart'] as const) {
    ws.command(`${verb} <name>`)
      .description(`${verb} a workspace`)
      .option('--timeout <seconds>', 'seconds to wait for a graceful stop before killing', '10')
      .action((name: string, o: { timeout: string }, cmd: Command) =>
        withEngine(io, cmd, async (engine, user, g) => {
          const ref = { user, name };
          const t = { timeoutSeconds: numberArg('timeout', o.timeout) };
          const w = verb === 'start' ? await engine.start(ref) : verb === 'stop' ? await engine.stop(ref, t) : await engine.restart(ref, t);
          printWorkspace(io, w, g.json);
        }),
      );
  }

  ws.command('remove <name>')
    .alias('rm')
    .description('remove a workspace (its data volume is kept unless --delete-data)')
    .option('--delete-data', 'also delete the persistent data volume')
    .action((name: string, o: { deleteData?: boolean }, cmd: Command) =>
      withEngine(io, cmd, async (engine, user, g) => {
        await engine.remove({ user, name }, { deleteData: o.deleteData ?? false });
        if (g.json) printJson(io, { name, user, removed: true, dataDeleted: o.deleteData ?? false });
        else io.out(`removed ${user}/${name}${o.deleteData ? ' and its data' : ' (data volume kept)'}`);
      }),
    );

  ws.command('logs <name>')
    .description('print the workspace logs')
    .option('--tail <n>', 'only the last n lines')
    .option('-f, --follow', 'keep printing new lines')
    .action((name: string, o: { tail?: string; follow?: boolean }, cmd: Command) =>
      withEngine(io, cmd, async (engine, user) => {
        const ac = new AbortController();
        process.once('SIGINT', () => ac.abort());
        const tail = o.tail === undefined ? undefined : numberArg('tail', o.tail);
        for await (const chunk of engine.logs({ user, name }, { tail, follow: o.follow, signal: ac.signal })) {
          process.stdout.write(chunk);
        }
      }),
    );

  ws.command('stats <name>')
    .description('CPU and memory use')
    .addOption(new Option('--stream', 'keep printing a sample every second'))
    .action((name: string, o: { stream?: boolean }, cmd: Command) =>
      withEngine(io, cmd, async (engine, user, g) => {
        const ref = { user, name };
        const show = (s: Awaited<ReturnType<WorkspaceEngine['stats']>>) =>
          g.json ? io.out(JSON.stringify(s)) : io.out(`cpu ${s.cpuPercent.toFixed(1)}%  memory ${formatSize(s.memoryUsed)} / ${formatSize(s.memoryLimit)}`);
        if (!o.stream) return show(await engine.stats(ref));
        const ac = new AbortController();
        process.once('SIGINT', () => ac.abort());
        for await (const s of engine.streamStats(ref, ac.signal)) show(s);
      }),
    );

  return ws;
}

function numberArg(field: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) {
    throw new ValidationError(field, `"${text}" is not a number`);
  }
  return n;
}

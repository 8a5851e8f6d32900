/**
 * One-click SSH from the command line: `hubdeck ssh-config` (the managed block in ~/.ssh/config,
 * an identity registered to the user's hub account, a known_hosts Hubdeck owns), `hubdeck
 * workspace ssh` (runs ssh for you) and `hubdeck ssh-proxy` (the local hub's gateway over
 * stdin/stdout, as a ProxyCommand — no hub process needs to be running).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Duplex } from 'node:stream';
import { Command, CommanderError } from 'commander';
import { HubdeckError } from '../core/errors';
import { hostKeysOf, sshOf } from '../api/hub-info';
import type { HubClient } from '../client/hub-client';
import { withBlock } from '../access/ssh-config-block';
import { readSshConfig, regionDiff, writeSshConfig, backupPath } from '../access/ssh-config-file';
import { ensureIdentity, writeKnownHosts } from '../access/ssh-identity';
import {
  hostKeyAliasOf, identityFileOf, knownHostsFileOf, mergedBlockLines, sshAliasOf, tcpReach, workspaceEntries, type HubSshPlan,
} from '../access/ssh-hub-entries';
import { hostLines } from '../access/ssh-config-block';
import { localDataDir, osUserName, printJson, type CliIo, type GlobalOptions } from './cli-context';
import { withSession } from './with-session';

interface SshConfigFlags {
  file?: string;
  dryRun?: boolean;
  remove?: boolean;
  alias?: string;
}

const homeOf = (io: CliIo) => io.env.HOME || os.homedir();

export function sshConfigCommand(io: CliIo): Command {
  return new Command('ssh-config')
    .description('write your workspaces into ~/.ssh/config (one managed block) so ssh, scp, sftp, ssh -L and VS Code Remote-SSH reach them')
    .option('--file <path>', 'the ssh config file to manage', undefined)
    .option('--dry-run', 'print the change without writing anything')
    .option('--remove', "remove this hub's entries (the whole block when no other hub has any)")
    .option('--alias <name>', 'the hub part of the host aliases (default: "hubdeck" for the local hub, the hub id for a remote one)')
    .action((o: SshConfigFlags, cmd: Command) =>
      withSession(io, cmd, async ({ client, user }, g) => {
        const file = path.resolve(o.file ?? path.join(homeOf(io), '.ssh', 'config'));
        // Read (and vet) the file before anything else: a refused file means nothing was made.
        const config = readSshConfig(file, homeOf(io));
        const plan = await sshPlan(io, client, user, g, path.join(path.dirname(config.real), 'hubdeck'), o.alias);
        const names = o.remove ? [] : (await client.listWorkspaces({ user })).map((w) => w.name).sort();
        const next = withBlock(config.text, nonEmpty(mergedBlockLines(config.text, plan.hubAlias, workspaceEntries(plan, names))));
        const aliases = names.map((n) => sshAliasOf(n, plan.hubAlias));
        if (o.dryRun) {
          if (g.json) return printJson(io, { file, changed: next !== config.text, aliases, diff: regionDiff(file, config.text, next) });
          return io.out(next === config.text ? `${file}: no change` : regionDiff(file, config.text, next));
        }
        if (!o.remove) await prepareIdentity(io, client, plan);
        if (next !== config.text) writeSshConfig(config, next);
        if (g.json) {
          return printJson(io, {
            file, changed: next !== config.text, aliases, identityFile: identityFileOf(plan), knownHostsFile: knownHostsFileOf(plan),
            backup: next !== config.text && config.existed ? backupPath(config) : null,
          });
        }
        if (o.remove) return io.out(`removed the ${plan.hubAlias} entries from ${file}`);
        if (!aliases.length) io.out(`${user} has no workspaces yet; ${file} has no entries for ${plan.hubAlias}`);
        for (const a of aliases) io.out(a);
        if (next === config.text) io.err(`${file} was already up to date`);
      }),
    );
}

const nonEmpty = (lines: string[]) => (lines.length ? lines : null);

/** The host alias `hubdeck ssh-config` writes for a workspace (for `workspace show --json`). */
export async function sshAliasFor(client: HubClient, workspace: string): Promise<string> {
  return sshAliasOf(workspace, sshOf(await client.info()).alias);
}

/** The hub's part of the config: its alias, how ssh reaches its gateway, the login user. */
async function sshPlan(io: CliIo, client: HubClient, user: string, g: GlobalOptions, dir: string, alias?: string): Promise<HubSshPlan & { hostKeys: string[] }> {
  const ssh = sshOf(await client.info());
  const hubUrl = g.hub ?? io.env.HUBDECK_HUB;
  const hubAlias = alias ?? ssh.alias;
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(hubAlias)) throw new HubdeckError('invalid', `alias: "${hubAlias}" is not a hub alias (lowercase letters, digits and "-")`, 'alias');
  const reach = hubUrl ? tcpReach(ssh.listen, hubUrl) : { proxyCommand: sshProxyWords(io, g) };
  return { hubAlias, user, reach, dir, hostKeys: hostKeysOf(ssh).map((k) => k.key) };
}

/** The command ssh runs to reach the local hub's gateway: this very hubdeck, with the same data. */
function sshProxyWords(io: CliIo, g: GlobalOptions): string[] {
  const script = fs.realpathSync(process.argv[1] ?? '');
  // From a checkout, bin/hubdeck.js runs the built CLI or the sources, whichever exists.
  const bin = path.resolve(path.dirname(script), '..', '..', 'bin', 'hubdeck.js');
  const entry = fs.existsSync(bin) ? bin : script;
  return [
    process.execPath, entry, 'ssh-proxy', '--data', localDataDir(g, io.env),
    ...(g.dockerHost ? ['--docker-host', g.dockerHost] : []), ...(g.origin ? ['--origin', g.origin] : []),
  ];
}

/** The per-hub identity, registered to the user's account, and the gateway's host key on file. */
async function prepareIdentity(io: CliIo, client: HubClient, plan: HubSshPlan & { hostKeys: string[] }): Promise<void> {
  const pub = ensureIdentity(identityFileOf(plan), `hubdeck ${plan.user}@${plan.hubAlias}`);
  const keys = await client.listKeys({ user: plan.user });
  if (!keys.some((k) => k.fingerprint === pub.fingerprint)) {
    await client.addKey({ user: plan.user, body: { key: `${pub.type} ${pub.key} ${pub.comment}` } });
    io.err(`registered ${identityFileOf(plan)}.pub (${pub.fingerprint}) to ${plan.user}`);
  }
  writeKnownHosts(knownHostsFileOf(plan), hostKeyAliasOf(plan.hubAlias), plan.hostKeys);
}

/** `hubdeck workspace ssh NAME [-- cmd…]`: ssh into the workspace with a config of its own. */
export function workspaceSshCommand(io: CliIo): Command {
  return new Command('ssh')
    .description('open a shell in the workspace (or run a command) with ssh, set up for you')
    .argument('<name>', 'the workspace')
    .argument('[command...]', 'a command to run instead of a shell (after --)')
    .option('--alias <name>', 'the hub part of the host alias (as for ssh-config)')
    .action((name: string, command: string[], o: { alias?: string }, cmd: Command) =>
      withSession(io, cmd, async ({ client, user }, g) => {
        const w = await client.getWorkspace({ user, name });
        if (w.state !== 'running') throw new HubdeckError('conflict', `workspace "${name}" of ${user} is ${w.state}; start it first (hubdeck workspace start ${name})`);
        const plan = await sshPlan(io, client, user, g, path.join(homeOf(io), '.ssh', 'hubdeck'), o.alias);
        await prepareIdentity(io, client, plan);
        const configFile = path.join(plan.dir, `${plan.hubAlias}_${user}_config`);
        fs.writeFileSync(configFile, `${hostLines(workspaceEntries(plan, [name])).join('\n')}\n`, { mode: 0o600 });
        const code = await runSsh(['-F', configFile, sshAliasOf(name, plan.hubAlias), ...(command.length ? ['--', ...command] : [])]);
        if (code !== 0) throw new CommanderError(code, 'hubdeck.exit', '');
      }),
    );
}

function runSsh(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', args, { stdio: 'inherit' });
    child.on('error', (e) => reject(new HubdeckError('unavailable', `cannot run ssh (${e.message}); install an OpenSSH client`)));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 255 : 1)));
  });
}

/** `hubdeck ssh-proxy`: the local hub's SSH gateway over stdin/stdout, for ssh's ProxyCommand. */
export function sshProxyCommand(io: CliIo): Command {
  return new Command('ssh-proxy')
    .description("serve the local hub's SSH gateway over stdin/stdout (used as ssh's ProxyCommand by hubdeck ssh-config)")
    .action(async (_o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      if (g.hub ?? io.env.HUBDECK_HUB) throw new HubdeckError('invalid', 'ssh-proxy serves the local hub; a remote hub serves its own gateway (hub serve --ssh-listen)', 'hub');
      const [{ openLocalHub }, { SshGateway }] = await Promise.all([import('../server/local-hub'), import('../access/ssh-gateway')]);
      const { hub } = await openLocalHub({ admin: osUserName(), env: io.env, dataDir: g.data, dockerHost: g.dockerHost, origin: g.origin });
      try {
        // ssh shows a ProxyCommand's stderr to the user: only failures are worth saying there.
        // (Refusals reach the user on the session's own stderr.)
        const log = io.env.HUBDECK_DEBUG ? (m: string) => io.err(m) : () => undefined;
        const gateway = new SshGateway({ hub, hostKeys: (await hub.hostKey()).keys, log });
        // ssh ends its ProxyCommand with SIGHUP when it goes: end the sessions' processes first.
        const served = new Promise<void>((resolve) => { for (const s of ['SIGHUP', 'SIGTERM', 'SIGINT'] as const) process.once(s, resolve); });
        process.stdout.on('error', () => undefined);
        // stdout carries the SSH protocol only: everything said goes to stderr.
        await Promise.race([served, gateway.serveStream(Duplex.from({ readable: process.stdin, writable: process.stdout }))]);
        await gateway.close();
      } finally {
        await hub.close();
      }
    });
}

/** `hubdeck user|group|key|token|image|settings|cleanup`: administering a hub (local or remote). */
import { availabilityText } from '../api/image-availability-text';
import fs from 'node:fs';
import { Command } from 'commander';
import { HubdeckError } from '../core/errors';
import { printJson, type CliIo } from './cli-context';
import { table } from './table';
import { collect, withSession, type SessionRun } from './with-session';
import type { HubClient } from '../api/hub-client';

/** The command's words, for a refusal: "user list". */
const words = (cmd: Command) => [cmd.parent?.name(), cmd.name()].filter(Boolean).join(' ');
/** Users, groups, images, settings and cleanup are the hub's administration: only where it has one. */
const adminSession = (io: CliIo, cmd: Command, run: SessionRun) => withSession(io, cmd, run, { ability: 'admin', what: words(cmd) });
/** SSH keys are for the hub's SSH gateway. */
const keySession = (io: CliIo, cmd: Command, run: SessionRun) => withSession(io, cmd, run, { ability: 'ssh', what: words(cmd) });

const quotaOptions = (c: Command) =>
  c.option('--max-workspaces <n>', 'quota: number of workspaces')
    .option('--quota-cpus <n>', 'quota: CPUs in total')
    .option('--quota-memory <size>', 'quota: memory in total, e.g. 64g')
    .option('--quota-gpus <n>', 'quota: GPUs in total');

function quotaFrom(o: Record<string, string | undefined>): Record<string, string> | undefined {
  const q: Record<string, string> = {};
  if (o.maxWorkspaces !== undefined) q.maxWorkspaces = o.maxWorkspaces;
  if (o.quotaCpus !== undefined) q.cpus = o.quotaCpus;
  if (o.quotaMemory !== undefined) q.memory = o.quotaMemory;
  if (o.quotaGpus !== undefined) q.gpus = o.quotaGpus;
  return Object.keys(q).length ? q : undefined;
}

function show(io: CliIo, json: boolean | undefined, value: unknown, human: () => string): void {
  if (json) printJson(io, value);
  else io.out(human());
}

export function userCommands(io: CliIo): Command {
  const user = new Command('user').description('hub users (admins)');
  user.command('list').action((_o, cmd: Command) => adminSession(io, cmd, async ({ client }, g) => {
    const users = await client.listUsers();
    show(io, g.json, users, () => table(['NAME', 'ADMIN', 'SELF-SERVICE', 'BLOCKED', 'GROUPS', 'KEYS'],
      users.map((u) => [u.name, String(u.admin), String(u.selfService), String(u.blocked), u.groups.join(',') || '-', String(u.sshKeys.length)])));
  }));
  quotaOptions(user.command('add <name>'))
    .option('--admin', 'make an admin').option('--self-service', 'may create own workspaces')
    .option('--group <name>', 'member of group (repeatable)', collect, [])
    .action((name: string, o: Record<string, unknown>, cmd: Command) => adminSession(io, cmd, async ({ client }, g) => {
      const body: { name: string } & Record<string, unknown> = { name, admin: Boolean(o.admin), selfService: Boolean(o.selfService) };
      if ((o.group as string[]).length) body.groups = o.group;
      const quota = quotaFrom(o as Record<string, string>);
      if (quota) body.quota = quota;
      const u = await client.createUser({ body });
      show(io, g.json, u, () => `added user ${u.name}${u.admin ? ' (admin)' : ''}`);
    }));
  quotaOptions(user.command('update <name>'))
    .option('--admin').option('--no-admin').option('--self-service').option('--no-self-service')
    .option('--group <name>', 'set groups (repeatable)', collect, [])
    .action((name: string, o: Record<string, unknown>, cmd: Command) => adminSession(io, cmd, async ({ client }, g) => {
      const body: Record<string, unknown> = {};
      for (const k of ['admin', 'selfService'] as const) if (o[k] !== undefined) body[k] = o[k];
      if ((o.group as string[]).length) body.groups = o.group;
      const quota = quotaFrom(o as Record<string, string>);
      if (quota) body.quota = quota;
      const u = await client.updateUser({ user: name, body });
      show(io, g.json, u, () => `updated user ${u.name}`);
    }));
  for (const [verb, blocked] of [['block', true], ['unblock', false]] as const) {
    user.command(`${verb} <name>`).action((name: string, _o, cmd: Command) => adminSession(io, cmd, async ({ client }, g) => {
      const u = await client.updateUser({ user: name, body: { blocked } });
      show(io, g.json, u, () => `${verb}ed ${u.name}`);
    }));
  }
  user.command('show <name>').action((name: string, _o, cmd: Command) => adminSession(io, cmd, async ({ client }) => {
    printJson(io, await client.getUser({ user: name }));
  }));
  user.command('remove <name>').alias('rm').description('delete the user; their workspaces and data go on the next cleanup')
    .action((name: string, _o, cmd: Command) => adminSession(io, cmd, async ({ client }, g) => {
      await client.deleteUser({ user: name });
      show(io, g.json, { name, removed: true }, () => `removed user ${name}; run \`hubdeck cleanup\` to remove their workspaces and data`);
    }));
  return user;
}

export function groupCommands(io: CliIo): Command {
  const group = new Command('group').description('user groups and their quotas (admins)');
  group.command('list').action((_o, cmd: Command) => adminSession(io, cmd, async ({ client }, g) => {
    const groups = await client.listGroups();
    show(io, g.json, groups, () => table(['NAME', 'QUOTA'], groups.map((x) => [x.name, JSON.stringify(x.quota)])));
  }));
  quotaOptions(group.command('add <name>')).action((name: string, o: Record<string, string>, cmd: Command) => adminSession(io, cmd, async ({ client }, g) => {
    const x = await client.createGroup({ body: { name, quota: quotaFrom(o) ?? {} } });
    show(io, g.json, x, () => `added group ${x.name}`);
  }));
  quotaOptions(group.command('update <name>')).action((name: string, o: Record<string, string>, cmd: Command) => adminSession(io, cmd, async ({ client }, g) => {
    const x = await client.updateGroup({ group: name, body: { quota: quotaFrom(o) ?? {} } });
    show(io, g.json, x, () => `updated group ${x.name}`);
  }));
  group.addCommand(removeCommand(io, 'group', (client, name) => client.deleteGroup({ group: name })));
  return group;
}

export function tokenCommands(io: CliIo): Command {
  const token = new Command('token').description('API tokens (the secret is shown once)');
  token.command('create <user>')
    .option('--note <text>', 'what the token is for').option('--scope <scope>', 'user or admin', 'user')
    .option('--days <n>', 'expires after n days')
    .action((user: string, o: { note?: string; scope: string; days?: string }, cmd: Command) => withSession(io, cmd, async ({ client }, g) => {
      const body: Record<string, unknown> = { scope: o.scope };
      if (o.note) body.note = o.note;
      if (o.days !== undefined) body.expiresInDays = Number(o.days);
      const t = await client.createToken({ user, body });
      show(io, g.json, t, () => `token for ${user} (${t.scope}${t.expiresAt ? `, expires ${t.expiresAt}` : ''}) — shown once:\n${t.token}`);
    }));
  token.command('list <user>').action((user: string, _o, cmd: Command) => withSession(io, cmd, async ({ client }, g) => {
    const ts = await client.listTokens({ user });
    show(io, g.json, ts, () => table(['ID', 'SCOPE', 'NOTE', 'EXPIRES', 'LAST USED'], ts.map((t) => [t.id, t.scope, t.note || '-', t.expiresAt ?? 'never', t.lastUsedAt ?? 'never'])));
  }));
  token.command('revoke <user> <id>').action((user: string, id: string, _o, cmd: Command) => withSession(io, cmd, async ({ client }, g) => {
    await client.revokeToken({ user, id });
    show(io, g.json, { id, revoked: true }, () => `revoked token ${id} of ${user}`);
  }));
  return token;
}

export function keyCommands(io: CliIo): Command {
  const key = new Command('key').description("users' SSH public keys");
  key.command('list <user>').action((user: string, _o, cmd: Command) => keySession(io, cmd, async ({ client }, g) => {
    const ks = await client.listKeys({ user });
    show(io, g.json, ks, () => table(['ID', 'TYPE', 'FINGERPRINT', 'COMMENT'], ks.map((k) => [k.id, k.type, k.fingerprint, k.comment])));
  }));
  key.command('add <user> <key-or-file>').description('add a public key (the text, or a .pub file)')
    .action((user: string, keyOrFile: string, _o, cmd: Command) => keySession(io, cmd, async ({ client }, g) => {
      const text = fs.existsSync(keyOrFile) ? fs.readFileSync(keyOrFile, 'utf8') : keyOrFile;
      const k = await client.addKey({ user, body: { key: text.trim() } });
      show(io, g.json, k, () => `added ${k.type} key ${k.fingerprint} for ${user}`);
    }));
  key.command('remove <user> <id>').alias('rm').action((user: string, id: string, _o, cmd: Command) => keySession(io, cmd, async ({ client }, g) => {
    await client.removeKey({ user, id });
    show(io, g.json, { id, removed: true }, () => `removed key ${id} of ${user}`);
  }));
  return key;
}

export function imageCommands(io: CliIo): Command {
  const image = new Command('image').description('the allowed-images list');
  image.command('list').action((_o, cmd: Command) => adminSession(io, cmd, async ({ client }, g) => {
    const imgs = await client.listImages();
    // AVAILABLE: whether it runs on the hub's engine, asked without pulling; DEFAULT: what a create without --image gets.
    show(io, g.json, imgs, () => table(['NAME', 'IMAGE', 'DISPLAY NAME', 'AVAILABLE', 'DEFAULT', 'ACCESS'], imgs.map((i) => [i.name, i.ref, i.displayName,
      availabilityText(i.availability), i.isDefault ? 'yes' : '',
      i.access.users.length + i.access.groups.length ? [...i.access.users, ...i.access.groups.map((x) => `@${x}`)].join(',') : 'everyone'])));
  }));
  image.command('add <name> <ref>')
    .option('--display-name <text>')
    // Not --user/--group: --user is the global "act as" option.
    .option('--allow-user <name>', 'only these users may use it (repeatable)', collect, [])
    .option('--allow-group <name>', 'only these groups may use it (repeatable)', collect, [])
    .option('--cpus <n>', 'default CPUs').option('--memory <size>', 'default memory').option('--shm <size>', 'default shm')
    .option('--gpus <req>', 'default GPUs').option('--days <n>', 'default days to live')
    .action((name: string, ref: string, o: Record<string, unknown>, cmd: Command) => adminSession(io, cmd, async ({ client }, g) => {
      const defaults: Record<string, unknown> = {};
      for (const k of ['cpus', 'memory', 'shm', 'gpus'] as const) if (o[k] !== undefined) defaults[k] = o[k];
      if (o.days !== undefined) defaults.days = Number(o.days);
      const body: { name: string; ref: string } & Record<string, unknown> = { name, ref, access: { users: o.allowUser, groups: o.allowGroup }, defaults };
      if (o.displayName) body.displayName = o.displayName;
      const i = await client.createImage({ body });
      show(io, g.json, i, () => `added image ${i.name} (${i.ref})`);
    }));
  image.addCommand(removeCommand(io, 'image', (client, name) => client.deleteImage({ image: name })));
  return image;
}

export function settingsCommands(io: CliIo): Command {
  const settings = new Command('settings').description('hub settings (admins)');
  settings.command('show').action((_o, cmd: Command) => adminSession(io, cmd, async ({ client }) => printJson(io, await client.getSettings())));
  settings.command('set <key> <value>').description('e.g. `settings set idleCullMinutes 60`, `settings set expiryAction remove`')
    .action((key: string, value: string, _o, cmd: Command) => adminSession(io, cmd, async ({ client }, g) => {
      let v: unknown;
      try {
        v = value === 'null' ? null : JSON.parse(value);
      } catch {
        v = value;
      }
      const s = await client.updateSettings({ body: { [key]: v } });
      show(io, g.json, s, () => `${key} = ${JSON.stringify((s as Record<string, unknown>)[key])}`);
    }));
  return settings;
}

export function cleanupCommand(io: CliIo): Command {
  return new Command('cleanup').description('remove expired workspaces, resources of deleted users, dangling networks')
    .option('--dry-run', 'list what would go, remove nothing')
    .action((o: { dryRun?: boolean }, cmd: Command) => adminSession(io, cmd, async ({ client }, g) => {
      const r = await client.cleanup({ body: { dryRun: o.dryRun ?? false } });
      show(io, g.json, r, () => [
        `${r.dryRun ? 'would remove' : 'removed'} ${r.items.length} resource(s)`,
        ...r.items.map((i) => `  ${i.kind} ${i.name} (${i.user}${i.workspace ? `/${i.workspace}` : ''}): ${i.reason}`),
        ...r.errors.map((e) => `  error: ${e}`),
      ].join('\n'));
      if (r.errors.length) throw new HubdeckError('engine', `cleanup: ${r.errors.length} resource(s) could not be removed`);
    }));
}

/** `<what> remove <name>` (alias rm): one shape for every admin list whose entries go by name. */
function removeCommand(io: CliIo, what: string, remove: (client: HubClient, name: string) => Promise<unknown>): Command {
  return new Command('remove').alias('rm').argument('<name>').action((name: string, _o, cmd: Command) => adminSession(io, cmd, async ({ client }, g) => {
    await remove(client, name);
    show(io, g.json, { name, removed: true }, () => `removed ${what} ${name}`);
  }));
}

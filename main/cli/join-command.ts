/**
 * `hubdeck hub invite USER` (an admin makes an invite: a hubdeck://join link and a one-line command)
 * and `hubdeck hub join INVITE` (a teammate trades it for a token and saves the hub, so
 * `hubdeck --hub NAME …` works without a token on the command line). The join talks to the hub
 * only through the certificate the invite pins.
 */
import { Command } from 'commander';
import { ValidationError } from '../core/errors';
import { decodeInvite, encodeInvite, hubUrlProblem, inviteCommand, inviteLink } from '../core/invite-link';
import { findSavedHub, saveHub, savedHubsFile } from '../client/saved-hubs';
import { defaultHubName, savedHubNameProblem } from '../client/saved-hub-record';
import { formatFingerprint, normalizeFingerprint } from '../client/pinned-agent';
import { remoteHubClient } from '../client/remote-hub-client';
import { localDataDir, printJson, type CliIo, type GlobalOptions } from './cli-context';
import { withSession } from './with-session';

async function join(io: CliIo, g: GlobalOptions, text: string, o: { name?: string }): Promise<void> {
  const inv = decodeInvite(text);
  const name = o.name ?? defaultHubName(inv.hubId);
  const problem = savedHubNameProblem(name);
  if (problem) throw new ValidationError('name', problem);
  const fingerprint = inv.fingerprint ? formatFingerprint(inv.fingerprint) : undefined;
  // Nobody has a token yet: the code is the only credential, and only POST /invites/redeem reads it.
  const anonymous = remoteHubClient({ url: inv.url, token: inv.code, fingerprint });
  const redeemed = await anonymous.redeemInvite({ body: { code: inv.code } }).finally(() => anonymous.close());
  const client = remoteHubClient({ url: inv.url, token: redeemed.token.token, fingerprint });
  const info = await client.info().finally(() => client.close());
  saveHub(savedHubsFile(localDataDir(g, io.env)), {
    name, kind: 'hubdeck', url: inv.url, fingerprint: inv.fingerprint, user: info.user.name, hubId: info.hubId, token: redeemed.token.token, addedAt: new Date().toISOString(),
  });
  if (g.json) return printJson(io, { name, url: inv.url, hubId: info.hubId, user: info.user.name, fingerprint });
  io.out(`Joined hub ${info.hubId} at ${inv.url} as ${info.user.name}${fingerprint ? ` (certificate ${fingerprint})` : ''}.`);
  io.out(`Saved as "${name}": try  hubdeck --hub ${name} workspace list`);
}

/** Where teammates reach the hub: --url, else where it is shared, else the hub this CLI talks to. */
function inviteAddress(io: CliIo, g: GlobalOptions, o: { url?: string }, shared: { url: string; fingerprint: string | null } | null) {
  const pin = g.fingerprint ?? io.env.HUBDECK_HUB_FINGERPRINT;
  const hubArg = g.hub ?? io.env.HUBDECK_HUB;
  const saved = hubArg ? findSavedHub(savedHubsFile(localDataDir(g, io.env)), hubArg) : null;
  const address = o.url ? { url: o.url, fingerprint: pin ?? null }
    : shared ?? (saved ? { url: saved.url, fingerprint: pin ?? saved.fingerprint } : hubArg ? { url: hubArg, fingerprint: pin ?? null } : null);
  if (!address) throw new ValidationError('url', 'this hub is not shared: pass --url https://HOST:PORT (and --fingerprint), or share it from the app');
  const problem = hubUrlProblem(address.url);
  if (problem) throw new ValidationError('url', problem);
  const fp = address.fingerprint === null ? null : normalizeFingerprint(address.fingerprint);
  if (address.fingerprint !== null && !fp) throw new ValidationError('fingerprint', `"${address.fingerprint}" is not a SHA-256 fingerprint (64 hex digits)`);
  return { url: address.url.replace(/\/+$/, ''), fingerprint: fp };
}

export function joinCommands(io: CliIo): Command[] {
  const invite = new Command('invite')
    .description('invite an existing user to this hub: prints a hubdeck:// link and a one-line join command (admins)')
    .argument('<user>', 'the hub user the invite signs in as')
    .option('--hours <n>', 'hours until the invite expires (at most 720)', '24')
    .option('--note <text>', 'a note kept with the invite and the token it becomes')
    .option('--url <url>', 'the address teammates reach the hub at (default: where the app shares it, else --hub)')
    .action((user: string, o: { hours: string; note?: string; url?: string }, cmd: Command) =>
      withSession(io, cmd, async ({ client }, g) => {
        const hours = Number(o.hours);
        if (!(hours > 0)) throw new ValidationError('hours', `"${o.hours}" is not a number of hours`);
        const made = await client.createInvite({ body: { user, expiresInHours: hours, note: o.note } });
        let at: ReturnType<typeof inviteAddress>;
        try {
          at = inviteAddress(io, g, o, made.shared);
        } catch (e) {
          // No address to put in it: the invite must not stay behind, live and unknown.
          await client.revokeInvite({ id: made.id }).catch(() => undefined);
          throw e;
        }
        const text = encodeInvite({ url: at.url, fingerprint: at.fingerprint, code: made.code, user: made.user, hubId: made.hubId, expiresAt: made.expiresAt });
        if (g.json) return printJson(io, { id: made.id, user: made.user, expiresAt: made.expiresAt, invite: text, link: inviteLink(text), command: inviteCommand(text) });
        io.out(`Invite for ${made.user} to ${at.url}, valid once until ${made.expiresAt}:`);
        io.out(`  ${inviteLink(text)}`);
        io.out(`  ${inviteCommand(text)}`);
      }));

  const joinCmd = new Command('join')
    .description('join a hub with an invite (the hubdeck:// link or its text) and save it for --hub NAME')
    .argument('<invite>', 'the invite, as sent')
    .option('--name <name>', 'what to call the hub here (default: its id)')
    .action((text: string, o: { name?: string }, cmd: Command) => join(io, cmd.optsWithGlobals<GlobalOptions>(), text, o));
  return [invite, joinCmd];
}

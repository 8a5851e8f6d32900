/**
 * `hubdeck audit`: the hub's audit log (admins) — who did what to which object, when, and how it
 * ended — filtered by user, workspace, action and time, as a table, one JSON array (`--json`) or
 * CSV (`--csv`). JSON and CSV are streamed from the hub's export, page by page.
 */
import { Command } from 'commander';
import { HubdeckError } from '../core/errors';
import type { AuditEntry, AuditFilter } from '../api/audit-dto';
import { MAX_AUDIT_PAGE } from '../api/audit-dto';
import type { HubClient } from '../api/hub-client';
import type { CliIo } from './cli-context';
import { table } from './table';
import { withSession } from './with-session';

interface AuditOptions {
  user?: string;
  workspace?: string;
  action?: string;
  outcome?: string;
  since?: string;
  until?: string;
  limit: string;
  csv?: boolean;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `--since 24h` (that long ago) or a time (`2026-05-01`, `2026-05-01T12:00:00Z`), as an ISO time. Pure. */
export function timeOption(flag: string, value: string, now: Date): string {
  const ago = /^(\d+)([smhdw])$/.exec(value.trim());
  if (ago) return new Date(now.getTime() - Number(ago[1]) * UNITS[ago[2]!]!).toISOString();
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new HubdeckError('invalid', `${flag}: "${value}" is not a time (use 2026-05-01, 2026-05-01T12:00:00Z, or 30m, 24h, 7d ago)`, flag);
  return new Date(t).toISOString();
}

function filterOf(o: AuditOptions, user: string | undefined, now: Date): AuditFilter {
  const f: AuditFilter = {};
  if (user) f.user = user;
  if (o.workspace) f.workspace = o.workspace;
  if (o.action) f.action = o.action;
  if (o.outcome) f.outcome = o.outcome as AuditFilter['outcome'];
  if (o.since) f.since = timeOption('--since', o.since, now);
  if (o.until) f.until = timeOption('--until', o.until, now);
  return f;
}

function limitOf(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new HubdeckError('invalid', `--limit: "${text}" is not a whole number above 0`, '--limit');
  return n;
}

/** Up to `limit` entries, newest first, a page at a time. */
async function entries(client: HubClient, f: AuditFilter, limit: number): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  let before: number | undefined;
  while (out.length < limit) {
    const page = await client.listAudit({ ...f, before, limit: Math.min(MAX_AUDIT_PAGE, limit - out.length) });
    out.push(...page.entries);
    if (page.next === null) break;
    before = page.next;
  }
  return out;
}

const dash = (v: string | null) => v || '-';

export function auditCommand(io: CliIo): Command {
  return new Command('audit').description('the hub\'s audit log (admins): state changes, sign-ins and refusals, newest first')
    .option('--user <name>', 'only what this user did (for this command --user filters; it does not choose who acts)')
    .option('--workspace <name>', 'only what concerned this workspace (name, or owner/name)')
    .option('--action <action>', 'only this action, e.g. workspace.create, user.update, session.sign-in')
    .option('--outcome <outcome>', 'only ok, refused or failed')
    .option('--since <time>', 'from this time: 2026-05-01, 2026-05-01T12:00:00Z, or 30m, 24h, 7d ago')
    .option('--until <time>', 'before this time (same forms)')
    .option('--limit <n>', 'at most this many entries', '100')
    .option('--csv', 'print CSV (a header line, then one line per entry)')
    .action((o: AuditOptions, cmd: Command) => withSession(io, cmd, async ({ client }, g) => {
      // The program's --user (act as) takes the flag wherever it stands: here it names whose entries.
      const f = filterOf(o, o.user ?? g.user, new Date());
      const limit = limitOf(o.limit);
      if (g.json || o.csv) {
        for await (const chunk of client.exportAudit({ ...f, format: o.csv ? 'csv' : 'json', limit })) io.out(chunk);
        return;
      }
      const list = await entries(client, f, limit);
      io.out(list.length ? table(['TIME', 'USER', 'ADDRESS', 'ACTION', 'OBJECT', 'OUTCOME', 'REASON'], list.map((e) => [
        new Date(e.time).toLocaleString(), dash(e.user), dash(e.address), e.action, `${e.objectType} ${e.objectName}`,
        e.code ? `${e.outcome} (${e.code})` : e.outcome, dash(e.reason),
      ])) : 'no entries');
    }, { ability: 'admin', what: 'audit' }));
}

/** `hubdeck audit` against a real hub server: filters, a table, exactly one JSON document, CSV, refusals. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/program';
import { timeOption } from '../../../main/cli/audit-commands';
import type { AuditEntry } from '../../../main/api/audit-dto';
import { api, startApiHub, usersWithTokens, type ApiHub } from '../../support/api-hub';

let h: ApiHub;
let tokens: Record<string, string>;

async function cli(token: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { out: (t: string) => { out += t.endsWith('\n') ? t : `${t}\n`; }, err: (t: string) => { err += t; }, env: {} };
  const code = await runCli(['--hub', h.url, '--token', token, ...args], io);
  return { code, out, err };
}

beforeAll(async () => {
  h = await startApiHub('audit-cli');
  tokens = await usersWithTokens(h, ['alice', 'bob']);
  await api(h.url, 'POST', '/groups', h.adminToken, { name: 'team' });
  await api(h.url, 'PATCH', '/users/alice', tokens.alice!, { admin: true }); // refused: alice is no admin
});
afterAll(() => h.stop());

describe('hubdeck audit', () => {
  it('prints a table of the filtered entries, --user filtering by who acted', async () => {
    const r = await cli(h.adminToken, 'audit', '--user', 'admin', '--action', 'user.create');
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(/^TIME\s+USER\s+ADDRESS\s+ACTION\s+OBJECT\s+OUTCOME/);
    expect(lines.slice(1).map((l) => /user\.create\s+user (\w+)/.exec(l)?.[1])).toEqual(['bob', 'alice']);
    expect(lines.slice(1).every((l) => /\badmin\b.*127\.0\.0\.1/.test(l))).toBe(true);
  });

  it('--json prints exactly one JSON document: the entries, newest first', async () => {
    const r = await cli(h.adminToken, '--json', 'audit', '--user', 'alice');
    expect(r.code, r.err).toBe(0);
    const list = JSON.parse(r.out) as AuditEntry[];
    expect(list.map((e) => [e.action, e.outcome, e.code, e.objectName])).toEqual([['user.update', 'refused', 'forbidden', 'alice']]);
    const all = JSON.parse((await cli(h.adminToken, 'audit', '--json', '--limit', '3')).out) as AuditEntry[];
    expect(all).toHaveLength(3);
    expect(all[0]!.id).toBeGreaterThan(all[2]!.id);
  });

  it('--csv prints a header and one line per entry; --since and --until bound the time', async () => {
    const r = await cli(h.adminToken, 'audit', '--csv', '--action', 'group.create', '--since', '1h');
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trim().split(/\r?\n/);
    expect(lines[0]).toBe('id,time,user,tokenId,address,action,objectType,objectName,workspace,outcome,code,reason');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/,admin,[^,]+,127\.0\.0\.1,group\.create,group,team,,ok,,$/);
    expect((await cli(h.adminToken, 'audit', '--csv', '--until', '2000-01-01')).out.trim().split(/\r?\n/)).toHaveLength(1);
  });

  it('refuses a member, a time that is none and an outcome that is none', async () => {
    const member = await cli(tokens.bob!, 'audit');
    expect(member.code).toBe(7);
    expect(member.err).toMatch(/only admins may read the audit log/);
    expect((await cli(h.adminToken, 'audit', '--since', 'yesterday-ish')).code).toBe(2);
    const bad = await cli(h.adminToken, 'audit', '--outcome', 'maybe');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/outcome: must be ok, refused or failed/);
  });

  it('reads "24h" as that long ago and a date as itself', () => {
    const now = new Date('2026-05-02T12:00:00Z');
    expect(timeOption('--since', '24h', now)).toBe('2026-05-01T12:00:00.000Z');
    expect(timeOption('--since', '2026-04-01T00:00:00Z', now)).toBe('2026-04-01T00:00:00.000Z');
    expect(() => timeOption('--since', 'soon', now)).toThrow(/not a time/);
  });
});

/**
 * The audit log over a real hub database: newest-first keyset pages (ties within one millisecond
 * included), every filter, exports as CSV and as one JSON array, retention by the maintenance tick
 * in bounded batches, the bound on refusals, and entries surviving a restart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../../main/engine/create-engine';
import { Hub } from '../../../main/hub/hub';
import type { AuditEntry } from '../../../main/api/audit-dto';
import type { Actor } from '../../../main/hub/actor';
import { REFUSALS_PER_CLIENT } from '../../../main/hub/audit-budget';

let dir: string;
let hub: Hub;
let clock = Date.parse('2026-05-01T00:00:00Z');
const alice: Actor = { user: 'alice', admin: false, via: { kind: 'token', id: 'tok1' } };

async function open(): Promise<Hub> {
  const engine = await createEngine({ kind: 'fake', origin: 'audit-log-test' });
  return (await Hub.open({ engine, dataDir: dir, now: () => new Date(clock), reconcile: false })).hub;
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-log-'));
  hub = await open();
});
afterEach(async () => {
  await hub.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const start = (name: string, owner = 'alice', actor: Actor | null = alice) =>
  hub.audit.record({ actor, action: 'workspace.start', object: { type: 'workspace', name: `${owner}/${name}` }, workspace: { user: owner, name }, outcome: 'ok' });

async function all(f = {}): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  let before: number | undefined;
  for (;;) {
    const p = await hub.audit.page(f, before, 3);
    out.push(...p.entries);
    if (p.next === null) return out;
    before = p.next;
  }
}

describe('the audit log', () => {
  it('pages newest first by cursor, entries of one millisecond included, each once', async () => {
    for (let i = 0; i < 10; i++) {
      if (i % 4 === 0) clock += 1000; // several entries share a time
      start(`w${i}`);
    }
    const list = await all();
    expect(list.map((e) => e.objectName)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map((i) => `alice/w${i}`));
    expect(list[0]).toMatchObject({ user: 'alice', tokenId: 'tok1', address: null, action: 'workspace.start', workspace: 'alice/w9', outcome: 'ok', code: null });
  });

  it('filters by user, workspace (name or owner/name), action, outcome and time', async () => {
    const t0 = clock;
    start('nb');
    start('nb', 'bob', { user: 'bob', admin: false });
    clock += 60_000;
    hub.audit.record({ actor: null, action: 'user.update', object: { type: 'user', name: 'alice' }, outcome: 'refused', code: 'unauthorized', reason: 'no credentials' });
    const names = async (f: object) => (await all(f)).map((e) => `${e.user}:${e.action}:${e.objectName}`);
    expect(await names({ user: 'bob' })).toEqual(['bob:workspace.start:bob/nb']);
    expect(await names({ workspace: 'nb' })).toEqual(['bob:workspace.start:bob/nb', 'alice:workspace.start:alice/nb']);
    expect(await names({ workspace: 'alice/nb' })).toEqual(['alice:workspace.start:alice/nb']);
    expect(await names({ action: 'user.update', outcome: 'refused' })).toEqual(['null:user.update:alice']);
    expect(await names({ since: new Date(t0 + 1).toISOString() })).toEqual(['null:user.update:alice']);
    expect(await names({ until: new Date(t0 + 1).toISOString(), user: 'alice' })).toEqual(['alice:workspace.start:alice/nb']);
  });

  it('exports CSV (formula-looking cells defused) and one JSON array, in pages', async () => {
    for (let i = 0; i < 1500; i++) start(`w${i}`);
    hub.audit.record({ actor: alice, action: 'user.update', object: { type: 'user', name: '=HYPERLINK("x")' }, outcome: 'failed', code: 'invalid', reason: 'a, "quoted"\nline' });
    let json = '';
    for await (const c of hub.audit.exportText({}, 'json')) json += c;
    const parsed = JSON.parse(json) as AuditEntry[];
    expect(parsed).toHaveLength(1501);
    expect(new Set(parsed.map((e) => e.id)).size).toBe(1501);
    let csv = '';
    for await (const c of hub.audit.exportText({ action: 'user.update' }, 'csv')) csv += c;
    expect(csv.split('\r\n')[1]).toMatch(/,user\.update,user,"'=HYPERLINK\(""x""\)",,failed,invalid,"a, ""quoted""\nline"$/);
    let limited = '';
    for await (const c of hub.audit.exportText({}, 'json', 2)) limited += c;
    expect(JSON.parse(limited)).toHaveLength(2);
  });

  it('keeps entries for the retention setting: the tick deletes older ones in batches', async () => {
    for (let i = 0; i < 1200; i++) start(`old${i}`);
    clock += 100 * 86_400_000;
    start('new');
    await hub.updateSettings({ user: 'admin', admin: true }, { auditRetentionDays: 30 });
    expect(await hub.audit.purge(new Date(clock - 30 * 86_400_000), 500, 2)).toBe(1000); // bounded: two batches
    expect((await hub.maintenance.tick()).auditPurged).toBe(200); // the rest, on the next tick
    expect((await all()).map((e) => e.objectName)).toEqual(['alice/new']);
    await hub.updateSettings({ user: 'admin', admin: true }, { auditRetentionDays: null });
    clock += 1000 * 86_400_000;
    expect((await hub.maintenance.tick()).auditPurged).toBe(0);
  });

  it('records at most REFUSALS_PER_CLIENT refusals a minute per client, then says how many it left out', async () => {
    const refuse = () => hub.audit.scope.run({ address: '203.0.113.9' }, () => hub.audit.record({ actor: null, action: 'user.create', object: { type: 'user', name: '' }, outcome: 'refused', code: 'unauthorized' }));
    for (let i = 0; i < 500; i++) refuse();
    hub.audit.scope.run({ address: '203.0.113.10' }, () => start('other', 'alice', null));
    expect(await all({ outcome: 'refused' })).toHaveLength(REFUSALS_PER_CLIENT);
    expect(await all({ outcome: 'ok' })).toHaveLength(1); // successes are never held back
    clock += 61_000;
    refuse();
    const [latest] = await all({ outcome: 'refused' });
    expect(latest!.reason).toBe(`refused (and ${500 - REFUSALS_PER_CLIENT} similar refusals before it, not recorded)`);
    expect(latest!.address).toBe('203.0.113.9');
  });

  it('writes what was recorded last before the hub closes, and reads it after a restart', async () => {
    start('last');
    await hub.close();
    hub = await open();
    expect((await all()).map((e) => e.objectName)).toEqual(['alice/last']);
  });
});

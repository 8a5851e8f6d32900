/**
 * `npm run bench:audit`: the audit log at 1,000,000 entries. Fills a hub's database with a year of
 * entries (1,000 users, 5,000 workspaces, 30 actions) in bulk, then measures what the hub does:
 * recording entries as requests make them (one at a time, and in bursts: the log writes a burst in
 * one transaction), a filtered page's latency for each filter (by user, workspace, action, time,
 * two at once, and 1,000 pages deep by cursor), an export's rate, one retention batch, and shows
 * SQLite's plan for each filter (an index, never a sort). Temp directory only; removed after.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '../../main/engine/create-engine';
import { Hub } from '../../main/hub/hub';
import type { AuditFilter } from '../../main/api/audit-dto';
import { auditPageQuery, INSERT_AUDIT, type NewAuditRow } from '../../main/hub/audit-table';

const ENTRIES = Number(process.env.AUDIT_ENTRIES ?? 1_000_000);
const USERS = 1000;
const WORKSPACES = 5000;
const ACTIONS = ['workspace.create', 'workspace.start', 'workspace.stop', 'workspace.restart', 'workspace.delete', 'workspace.extend', 'workspace.sign-in',
  'session.sign-in', 'session.login-code', 'user.create', 'user.update', 'user.delete', 'token.create', 'token.revoke', 'key.add', 'key.remove',
  'image.create', 'image.update', 'image.delete', 'group.create', 'group.update', 'group.delete', 'invite.create', 'invite.revoke', 'invite.redeem',
  'settings.update', 'hub.cleanup', 'workspace.expire', 'workspace.cull', 'workspace.stats'];
const YEAR_MS = 365 * 86_400_000;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const ms = (n: number) => `${n.toFixed(2)} ms`;
const rnd = (n: number) => Math.floor(Math.random() * n);

function entry(i: number, start: number): NewAuditRow {
  const w = rnd(WORKSPACES);
  const owner = `u${w % USERS}`;
  const action = ACTIONS[i % ACTIONS.length]!;
  const onWs = action.startsWith('workspace.');
  const refused = rnd(50) === 0;
  return {
    time: start + Math.floor((i / ENTRIES) * YEAR_MS), user: `u${rnd(USERS)}`, token_id: `t${rnd(10_000)}`, address: `10.0.${rnd(256)}.${rnd(256)}`,
    action, object_type: onWs ? 'workspace' : 'user', object_name: onWs ? `${owner}/w${w}` : owner,
    ws_owner: onWs ? owner : null, ws_name: onWs ? `w${w}` : null, outcome: refused ? 'refused' : 'ok', code: refused ? 'forbidden' : null, reason: null,
  };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-audit-'));
  const engine = await createEngine({ kind: 'fake', origin: 'bench' });
  const { hub } = await Hub.open({ engine, dataDir: dir, reconcile: false });
  const store = (hub as unknown as { ctx: { store: import('../../main/hub/hub-store').HubStore } }).ctx.store;
  const start = Date.now() - YEAR_MS;
  try {
    let t = performance.now();
    for (let done = 0; done < ENTRIES; done += 10_000) {
      await store.writeTables((db) => {
        const ins = db.prepare(INSERT_AUDIT);
        for (let i = done; i < Math.min(ENTRIES, done + 10_000); i++) ins.run(entry(i, start));
      });
    }
    const seedS = (performance.now() - t) / 1000;
    console.log(`seeded ${ENTRIES.toLocaleString()} entries in ${seedS.toFixed(1)} s (${Math.round(ENTRIES / seedS).toLocaleString()}/s, bulk, 10,000 per transaction)`);
    console.log(`database: ${(fs.statSync(path.join(dir, 'hub.db')).size / 1e6).toFixed(0)} MB`);

    const actor = { user: 'u1', admin: true, via: { kind: 'token' as const, id: 't1' } };
    const rec = (i: number) => hub.audit.record({ actor, action: 'workspace.start', object: { type: 'workspace', name: `u1/w${i}` }, workspace: { user: 'u1', name: `w${i}` }, outcome: 'ok' });
    t = performance.now();
    for (let i = 0; i < 300; i++) {
      rec(i);
      await hub.audit.flush();
    }
    const oneS = (performance.now() - t) / 1000;
    console.log(`recording one at a time (a transaction and fsync each, synchronous=FULL): ${Math.round(300 / oneS).toLocaleString()} entries/s`);
    t = performance.now();
    for (let b = 0; b < 100; b++) {
      for (let i = 0; i < 100; i++) rec(i);
      await hub.audit.flush();
    }
    const burstS = (performance.now() - t) / 1000;
    console.log(`recording in bursts of 100 (as concurrent requests are): ${Math.round(10_000 / burstS).toLocaleString()} entries/s`);

    const filters: [string, () => AuditFilter][] = [
      ['newest, no filter', () => ({})],
      ['by user', () => ({ user: `u${rnd(USERS)}` })],
      ['by workspace (owner/name)', () => { const w = rnd(WORKSPACES); return { workspace: `u${w % USERS}/w${w}` }; }],
      ['by action', () => ({ action: ACTIONS[rnd(ACTIONS.length)]! })],
      ['by time (one day)', () => { const d = start + rnd(364) * 86_400_000; return { since: new Date(d).toISOString(), until: new Date(d + 86_400_000).toISOString() }; }],
      ['by user and action', () => ({ user: `u${rnd(USERS)}`, action: ACTIONS[rnd(ACTIONS.length)]! })],
      ['by action, refused only', () => ({ action: ACTIONS[rnd(ACTIONS.length)]!, outcome: 'refused' as const })],
    ];
    console.log('\na page of 50, newest first (200 random queries each):');
    for (const [label, make] of filters) {
      const times: number[] = [];
      for (let i = 0; i < 200; i++) {
        const f = make();
        const t0 = performance.now();
        await hub.audit.page(f, undefined, 50);
        times.push(performance.now() - t0);
      }
      const q = auditPageQuery(make(), null, 50);
      const plan = store.readTables((db) => (db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.params) as { detail: string }[]).map((p) => p.detail).join('; '));
      console.log(`  ${label.padEnd(28)} p50 ${ms(pct(times, 0.5))}  p95 ${ms(pct(times, 0.95))}  max ${ms(Math.max(...times))}   plan: ${plan}`);
    }

    let before: number | undefined;
    const deep: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const t0 = performance.now();
      const p = await hub.audit.page({}, before, 50);
      deep.push(performance.now() - t0);
      before = p.next ?? undefined;
    }
    console.log(`\npaging by cursor: page 1 ${ms(deep[0]!)}, page 1,000 (50,000 entries in) ${ms(deep[999]!)}, p95 over all ${ms(pct(deep, 0.95))}`);

    t = performance.now();
    let bytes = 0;
    for await (const chunk of hub.audit.exportText({}, 'csv', 100_000)) bytes += chunk.length;
    const exS = (performance.now() - t) / 1000;
    console.log(`export: 100,000 entries as CSV (${(bytes / 1e6).toFixed(1)} MB) in ${exS.toFixed(2)} s (${Math.round(100_000 / exS).toLocaleString()} entries/s)`);

    t = performance.now();
    const purged = await hub.audit.purge(new Date(start + 30 * 86_400_000), 500, 1);
    console.log(`retention: one batch of ${purged.toLocaleString()} entries deleted in ${ms(performance.now() - t)} (the tick runs up to 100 such, the event loop free in between)`);
  } finally {
    await hub.close();
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});

/**
 * The store shared by processes (hardening issue, 6 to 8): a writer killed mid-write costs nothing,
 * a live writer is waited for without blocking the event loop, a store damaged at runtime is copied
 * once per distinct damage, and writes cost the rows they change, not the store's size.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HubStore } from '../../../main/hub/hub-store';
import { DEFAULT_SETTINGS, STATE_VERSION, type HubState } from '../../../main/hub/hub-state';
import { damageStore, readStoredState } from '../../support/stored-state';

const dirs: string[] = [];
const stores: HubStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function fresh(): HubState {
  return { version: STATE_VERSION, hubId: 'h', origin: 'h', createdAt: '2030-01-01T00:00:00Z', users: [], groups: [], tokens: [], images: [], settings: { ...DEFAULT_SETTINGS }, expiry: [], deletedUsers: [], invites: [], shared: null };
}

async function store(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-'))): Promise<HubStore> {
  dirs.push(dir);
  const s = new HubStore(dir);
  stores.push(s);
  await s.load(fresh);
  return s;
}

const user = (name: string) => ({ name, admin: false, blocked: false, selfService: true, groups: [], quota: {}, sshKeys: [], createdAt: '2030-01-01T00:00:00Z' });

/**
 * Another process holding the write lock: it begins an IMMEDIATE transaction, inserts a row, says
 * "locked", then commits after `holdMs` — or is killed before it can.
 */
function lockHolder(file: string, holdMs: number): Promise<ChildProcess> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.exec('BEGIN IMMEDIATE');
    db.prepare("INSERT INTO records (kind, key, body) VALUES ('users', 'ghost', ?)").run(JSON.stringify(${JSON.stringify(user('ghost'))}));
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('COMMIT'); process.exit(0); }, Number(process.argv[2]));`;
  const child = spawn(process.execPath, ['-e', script, file, String(holdMs)], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`lock holder exited ${code}`)));
  });
}

describe('store lock', () => {
  it('goes on at once after a writer is killed mid-write, and its half-written change never lands', async () => {
    const s = await store();
    const holder = await lockHolder(s.file, 60_000);
    const exited = new Promise((r) => holder.once('exit', r));
    holder.kill('SIGKILL');
    await exited;
    const t0 = Date.now();
    await s.mutate((st) => { st.hubId = 'after'; });
    expect(Date.now() - t0).toBeLessThan(500);
    expect(readStoredState(path.dirname(s.file)).hubId).toBe('after');
    expect(s.current.users.map((u) => u.name)).not.toContain('ghost');
  });

  it('waits for a live writer without blocking the event loop, then starts from its commit', async () => {
    const s = await store();
    const holder = await lockHolder(s.file, 600);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const t0 = Date.now();
    await s.mutate((st) => { st.users = [...st.users, user('mine')]; });
    clearInterval(ticker);
    expect(Date.now() - t0).toBeGreaterThan(300); // it did wait for the other writer
    expect(ticks).toBeGreaterThan(15); // and the loop kept running while it waited
    expect(s.current.users.map((u) => u.name)).toEqual(['ghost', 'mine']); // nothing of theirs lost
    holder.kill();
  });
});

describe('a store damaged at runtime', () => {
  it('is copied once per distinct damage, however many reads meet it', async () => {
    const s = await store();
    await s.mutate((st) => { st.users = [user('a')]; });
    const dir = path.dirname(s.file);
    damageStore(dir, '{"name": 1}');
    for (let i = 0; i < 200; i++) expect(() => s.current).toThrow(/hub\.db does not match the schema at users\.0\.name/);
    const copies = () => fs.readdirSync(dir).filter((f) => f.startsWith('hub.db.corrupt-'));
    expect(copies()).toHaveLength(1);
    damageStore(dir, '{"name": 2}');
    expect(() => s.current).toThrow(/does not match the schema/);
    expect(copies()).toHaveLength(2);
    damageStore(dir, JSON.stringify(user('a'))); // repaired by its operator: served again
    expect(s.current.users.map((u) => u.name)).toEqual(['a']);
  });
});

describe('writes', () => {
  it('refuse editing stored rows in place, so every change goes through a write', async () => {
    const s = await store();
    await s.mutate((st) => { st.users = [user('a')]; });
    expect(() => { (s.current.users[0] as { admin: boolean }).admin = true; }).toThrow(TypeError);
    await expect(s.mutate((st) => { (st.users[0] as { admin: boolean }).admin = true; })).rejects.toThrow(TypeError);
    expect(readStoredState(path.dirname(s.file)).users[0]!.admin).toBe(false);
  });

  it('write only what changed: appends, replacements and removals land, other rows keep their order', async () => {
    const s = await store();
    await s.mutate((st) => { st.users = ['a', 'b', 'c'].map(user); });
    await s.mutate((st) => { st.users = st.users.map((u) => (u.name === 'b' ? { ...u, admin: true } : u)); });
    await s.mutate((st) => { st.users = st.users.filter((u) => u.name !== 'a'); });
    await s.mutate((st) => { st.users = [...st.users, user('d')]; st.settings = { ...st.settings, maxDays: 30 }; });
    const stored = readStoredState(path.dirname(s.file));
    expect(stored.users.map((u) => `${u.name}:${u.admin}`)).toEqual(['b:true', 'c:false', 'd:false']);
    expect(stored.settings.maxDays).toBe(30);
    expect(s.current).toEqual(stored);
  });

  it('a throw writes nothing', async () => {
    const s = await store();
    await expect(s.mutate((st) => { st.users = [user('x')]; throw new Error('no'); })).rejects.toThrow('no');
    expect(readStoredState(path.dirname(s.file)).users).toEqual([]);
    expect(s.current.users).toEqual([]);
  });

  it('another process sees a write at its next read', async () => {
    const a = await store();
    const b = new HubStore(path.dirname(a.file));
    stores.push(b);
    await b.load(() => { throw new Error('exists already'); });
    await a.mutate((st) => { st.users = [user('seen')]; });
    expect(b.current.users.map((u) => u.name)).toEqual(['seen']);
  });
});

describe('one-time migrations', () => {
  it('migrateOnce applies its change exactly once, however many connections race for it, and records the version', async () => {
    const a = await store();
    const b = await store(a.dir);
    let runs = 0;
    const add = (s: HubState) => { runs++; s.users.push(user(`m${runs}`)); };
    const results = await Promise.all([a.migrateOnce(1, add), b.migrateOnce(1, add)]);
    expect(results.sort()).toEqual([false, true]);
    expect(runs).toBe(1);
    expect(b.current.users.map((u) => u.name)).toEqual(['m1']);
    expect(readStoredState(a.dir).users.map((u) => u.name)).toEqual(['m1']);
    expect(await a.migrateOnce(1, add)).toBe(false);
    // A change that throws is not recorded as done: the next open tries again.
    await expect(a.migrateOnce(2, () => { throw new Error('half way'); })).rejects.toThrow('half way');
    expect(await a.migrateOnce(2, add)).toBe(true);
    expect(a.current.users.map((u) => u.name)).toEqual(['m1', 'm2']);
  });
});

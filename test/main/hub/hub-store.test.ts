/**
 * The store shared by processes: a lock left by a dead writer is taken over at once, a live
 * writer is waited for without blocking the event loop, temp files of dead writers are cleaned,
 * and a file damaged at runtime is copied once per distinct damage (hardening issue, 6 and 8).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HubStore } from '../../../main/hub/hub-store';
import { processStart } from '../../../main/hub/store-lock';
import { DEFAULT_SETTINGS, STATE_VERSION, type HubState } from '../../../main/hub/hub-state';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

function fresh(): HubState {
  return { version: STATE_VERSION, hubId: 'h', origin: 'h', createdAt: '2030-01-01T00:00:00Z', users: [], groups: [], tokens: [], images: [], settings: { ...DEFAULT_SETTINGS }, expiry: [], deletedUsers: [] };
}

async function store(): Promise<HubStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-'));
  dirs.push(dir);
  const s = new HubStore(dir);
  await s.load(fresh);
  return s;
}

/** A real process that has exited: its pid is free (or someone else's), never a live owner. */
async function deadPid(): Promise<number> {
  const p = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => p.once('exit', r));
  return p.pid!;
}

describe('store lock', () => {
  it('takes over at once from a writer killed mid-write, and removes its temp file on load', async () => {
    const s = await store();
    const pid = await deadPid();
    fs.writeFileSync(`${s.file}.lock`, `${pid} 12345`);
    fs.writeFileSync(`${s.file}.tmp-${pid}`, '{"half": ');
    const t0 = Date.now();
    await s.mutate((st) => { st.hubId = 'after'; });
    expect(Date.now() - t0).toBeLessThan(500);
    expect(JSON.parse(fs.readFileSync(s.file, 'utf8')).hubId).toBe('after');
    await new HubStore(path.dirname(s.file)).load(fresh);
    expect(fs.existsSync(`${s.file}.tmp-${pid}`)).toBe(false);
    expect(fs.existsSync(`${s.file}.lock`)).toBe(false);
  });

  it('waits for a live writer without blocking the event loop', async () => {
    const s = await store();
    const owner = spawn('sleep', ['30']);
    try {
      await new Promise((r) => setTimeout(r, 50));
      fs.writeFileSync(`${s.file}.lock`, `${owner.pid} ${processStart(owner.pid!)}`);
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 10);
      const writing = s.mutate((st) => { st.hubId = 'waited'; });
      await new Promise((r) => setTimeout(r, 300));
      expect(JSON.parse(fs.readFileSync(s.file, 'utf8')).hubId).toBe('h'); // still waiting
      fs.rmSync(`${s.file}.lock`); // the owner finishes
      await writing;
      clearInterval(ticker);
      expect(ticks).toBeGreaterThan(15); // the loop kept running while it waited
      expect(JSON.parse(fs.readFileSync(s.file, 'utf8')).hubId).toBe('waited');
    } finally {
      owner.kill();
    }
  });
});

describe('a store damaged at runtime', () => {
  it('is copied once per distinct damage, however many reads meet it', async () => {
    const s = await store();
    fs.writeFileSync(s.file, '{"version": 1, "users": [');
    for (let i = 0; i < 200; i++) expect(() => s.current).toThrow(/is not valid JSON/);
    const copies = () => fs.readdirSync(path.dirname(s.file)).filter((f) => f.startsWith('hub.json.corrupt-'));
    expect(copies()).toHaveLength(1);
    fs.writeFileSync(s.file, '{"version": 1, "users": [1');
    expect(() => s.current).toThrow(/is not valid JSON/);
    expect(copies()).toHaveLength(2);
  });
});

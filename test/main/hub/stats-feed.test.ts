/**
 * One stats stream for a whole list (issue 8): a user sees only their own running workspaces,
 * workspaces join and leave as they start and stop, and however many streams are open each
 * running workspace costs one engine stats call per interval.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeEngine } from '../../../main/engine/fake/fake-engine';
import { Hub } from '../../../main/hub/hub';
import type { Actor } from '../../../main/hub/actor';
import type { StatsBatch } from '../../../main/api/dto';
import { testOrigin } from '../../support/docker-fixture';

const admin: Actor = { user: 'admin', admin: true };
const alice: Actor = { user: 'alice', admin: false };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0)) await c(); });

async function fixture() {
  const engine = new FakeEngine({ kind: 'fake', origin: testOrigin('sf') });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stats-feed-'));
  const { hub } = await Hub.open({ engine, dataDir: dir });
  cleanups.push(async () => { await hub.close(); fs.rmSync(dir, { recursive: true, force: true }); });
  await hub.updateSettings(admin, { allowCustomImages: true });
  for (const name of ['alice', 'bob']) await hub.users.create(admin, { name, selfService: true });
  let statsCalls = 0;
  const stats = engine.stats.bind(engine);
  engine.stats = (ref) => { statsCalls++; return stats(ref); };
  const create = (user: string, name: string) => hub.workspaces.create(admin, { name, user, image: 'img:1' }, { wait: false });
  return { hub, engine, create, calls: () => statsCalls };
}

/** The first `n` batches of a stream, then it is closed. */
async function take(it: AsyncIterable<StatsBatch>, n: number): Promise<StatsBatch[]> {
  const out: StatsBatch[] = [];
  for await (const b of it) {
    out.push(b);
    if (out.length === n) break;
  }
  return out;
}

const names = (b: StatsBatch) => b.samples.map((s) => `${s.user}/${s.name}`).sort();

describe('watchAllStats', () => {
  it("gives a user their running workspaces only, and everyone's to an admin with all", async () => {
    const f = await fixture();
    await f.create('alice', 'a1');
    await f.create('alice', 'a2');
    await f.create('bob', 'b1');
    await f.hub.workspaces.stop(admin, { user: 'alice', name: 'a2' });
    const [mine] = await take(f.hub.workspaces.watchAllStats(alice, { intervalMs: 1000 }), 1);
    expect(names(mine!)).toEqual(['alice/a1']);
    expect(mine!.samples[0]).toMatchObject({ user: 'alice', name: 'a1', cpuPercent: expect.any(Number), memoryLimit: expect.any(Number) });
    const [all] = await take(f.hub.workspaces.watchAllStats(admin, { all: true, intervalMs: 1000 }), 1);
    expect(names(all!)).toEqual(['alice/a1', 'bob/b1']);
    await expect(take(f.hub.workspaces.watchAllStats(alice, { all: true }), 1)).rejects.toThrow(/only admins/);
    await expect(take(f.hub.workspaces.watchAllStats(alice, { user: 'bob' }), 1)).rejects.toThrow(/alice may not see the stats of bob|may not/);
  });

  it('adds a workspace that starts and drops one that stops, batch by batch', async () => {
    const f = await fixture();
    await f.create('alice', 'a1');
    const seen: string[][] = [];
    for await (const b of f.hub.workspaces.watchAllStats(alice, { intervalMs: 1000 })) {
      seen.push(names(b));
      if (seen.length === 1) await f.create('alice', 'a2');
      if (seen.length === 2) await f.hub.workspaces.stop(alice, { user: 'alice', name: 'a1' });
      if (seen.length === 3) break;
    }
    expect(seen).toEqual([['alice/a1'], ['alice/a1', 'alice/a2'], ['alice/a2']]);
  });

  it('shares samples: three streams over three rounds cost one stats call per workspace per round', async () => {
    const f = await fixture();
    for (const n of ['a1', 'a2']) await f.create('alice', n);
    await f.create('bob', 'b1');
    const before = f.calls();
    await Promise.all([
      take(f.hub.workspaces.watchAllStats(alice, { intervalMs: 1000 }), 3),
      take(f.hub.workspaces.watchAllStats(alice, { intervalMs: 1000 }), 3),
      take(f.hub.workspaces.watchAllStats(admin, { all: true, intervalMs: 1000 }), 3),
    ]);
    expect(f.calls() - before).toBe(3 * 3);
  });
});

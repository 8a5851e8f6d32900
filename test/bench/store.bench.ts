/**
 * `npm run bench:store`: the hub's store at 10,000 users × 10 tokens. Builds such a store as an
 * older hub's hub.json, then measures the one-time migration into SQLite, opening the database,
 * authenticating a token, writes (a token created, a user changed, a token revoked), and how long an
 * unauthenticated /health waits while writes run. Temp directory only; bounded.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '../../main/engine/create-engine';
import { Hub } from '../../main/hub/hub';
import { createHubServer } from '../../main/server/hub-server';
import { newToken } from '../../main/core/tokens';
import { rewriteAsLegacy } from '../support/stored-state';

const USERS = 10_000;
const TOKENS = 10;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-store-'));
  const engine = await createEngine({ kind: 'fake', origin: 'bench' });
  const first = (await Hub.open({ engine, dataDir: dir })).hub;
  await first.close();
  // Grow the store to size directly, as an older hub's hub.json: building it through the API would
  // take the bench's whole budget.
  const file = rewriteAsLegacy(dir);
  const state = JSON.parse(fs.readFileSync(file, 'utf8'));
  let sample = '';
  const now = new Date().toISOString();
  for (let u = 0; u < USERS; u++) {
    const name = `u${u}`;
    state.users.push({ name, admin: false, blocked: false, selfService: true, groups: [], quota: {}, sshKeys: [], createdAt: now });
    for (let t = 0; t < TOKENS; t++) {
      const tok = newToken();
      if (u === USERS - 1 && t === TOKENS - 1) sample = tok.secret;
      state.tokens.push({ id: tok.id, user: name, hash: tok.hash, note: 'bench', scope: 'user', expiresAt: null, createdAt: now, lastUsedAt: now });
    }
  }
  fs.writeFileSync(file, JSON.stringify(state, null, 2));
  const size = fs.statSync(file).size;
  let t0 = performance.now();
  await (await Hub.open({ engine, dataDir: dir })).hub.close();
  const migrateMs = performance.now() - t0;
  const dbSize = fs.statSync(path.join(dir, 'hub.db')).size;
  t0 = performance.now();
  const { hub } = await Hub.open({ engine, dataDir: dir });
  const openMs = performance.now() - t0;
  const auth: number[] = [];
  for (let i = 0; i < 200; i++) {
    const a = performance.now();
    if (!hub.tokens.authenticate(sample)) throw new Error('sample token refused');
    auth.push(performance.now() - a);
  }
  const server = createHubServer({ hub });
  const { port } = await server.listen('127.0.0.1', 0);
  const writes: number[] = [];
  const health: number[] = [];
  let writing = true;
  const probe = (async () => {
    while (writing) {
      const a = performance.now();
      await fetch(`http://127.0.0.1:${port}/api/v1/health`).then((r) => r.text());
      health.push(performance.now() - a);
    }
  })();
  const admin = { user: 'admin', admin: true };
  const timed = async (fn: () => Promise<unknown>) => {
    const a = performance.now();
    await fn();
    writes.push(performance.now() - a);
    // Writes come from separate requests: let the server answer between them, as it would.
    await new Promise((r) => setTimeout(r, 5));
  };
  for (let i = 0; i < 10; i++) {
    const made = await (async () => { let t = null as null | { id: string }; await timed(async () => { t = await hub.tokens.create(admin, `u${i}`, { note: 'more' }); }); return t!; })();
    await timed(() => hub.users.update(admin, `u${i}`, { quota: { maxWorkspaces: i } }));
    await timed(() => hub.tokens.revoke(admin, `u${i}`, made.id));
  }
  writing = false;
  await probe;
  console.log(`store: ${USERS} users × ${TOKENS} tokens = ${(size / 1024 ** 2).toFixed(1)} MB as hub.json, ${(dbSize / 1024 ** 2).toFixed(1)} MB as hub.db`);
  console.log(`migration from hub.json ${migrateMs.toFixed(0)} ms (once); open ${openMs.toFixed(0)} ms; authenticate median ${median(auth).toFixed(2)} ms`);
  console.log(`writes (${writes.length}: token created, user changed, token revoked): median ${median(writes).toFixed(2)} ms, max ${Math.max(...writes).toFixed(1)} ms`);
  console.log(`/health while writing: median ${median(health).toFixed(1)} ms, max ${Math.max(...health).toFixed(1)} ms over ${health.length} requests`);
  await server.close();
  await hub.close();
  await engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

void main();

/**
 * `npm run bench:store`: is one JSON file fast enough at 10,000 users × 10 tokens? Measures the
 * hub opening such a store, authenticating a token, a write (one token created), and how long an
 * unauthenticated /health waits while writes run. Temp directory only; bounded.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '../../main/engine/create-engine';
import { Hub } from '../../main/hub/hub';
import { createHubServer } from '../../main/server/hub-server';
import { newToken } from '../../main/core/tokens';

const USERS = 10_000;
const TOKENS = 10;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-store-'));
  const engine = await createEngine({ kind: 'fake', origin: 'bench' });
  (await Hub.open({ engine, dataDir: dir })).hub.close();
  // Grow the store to size directly: building it through the API would take the bench's whole budget.
  const file = path.join(dir, 'hub.json');
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
  const t0 = performance.now();
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
  for (let i = 0; i < 10; i++) {
    const a = performance.now();
    await hub.tokens.create({ user: 'admin', admin: true }, `u${i}`, { note: 'more' });
    writes.push(performance.now() - a);
  }
  writing = false;
  await probe;
  console.log(`store: ${USERS} users × ${TOKENS} tokens = ${(size / 1024 ** 2).toFixed(1)} MB of hub.json`);
  console.log(`open ${openMs.toFixed(0)} ms; authenticate median ${median(auth).toFixed(2)} ms; one write median ${median(writes).toFixed(0)} ms`);
  console.log(`/health while writing: median ${median(health).toFixed(1)} ms, max ${Math.max(...health).toFixed(1)} ms over ${health.length} requests`);
  await server.close();
  await hub.close();
  await engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

void main();

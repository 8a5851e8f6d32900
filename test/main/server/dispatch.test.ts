/**
 * A streamed answer waits for a client that reads slowly: an audit export of 60,000 entries to a
 * client that has stopped reading is read from the database only as far as the socket takes it,
 * not into the server's memory; once the client reads again, all of it arrives.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSERT_AUDIT } from '../../../main/hub/audit-table';
import type { HubStore } from '../../../main/hub/hub-store';
import { startApiHub, type ApiHub } from '../../support/api-hub';

let h: ApiHub;
let store: HubStore;
const ENTRIES = 60_000;

beforeAll(async () => {
  h = await startApiHub('dispatch');
  store = (h.hub as unknown as { ctx: { store: HubStore } }).ctx.store;
  await store.writeTables((db) => {
    const ins = db.prepare(INSERT_AUDIT);
    for (let i = 0; i < ENTRIES; i++) {
      ins.run({ time: Date.now(), user: 'alice', token_id: null, address: null, action: 'workspace.start', object_type: 'workspace', object_name: `alice/w${i}`, ws_owner: 'alice', ws_name: `w${i}`, outcome: 'ok', code: null, reason: 'x'.repeat(100) });
    }
  });
});
afterAll(() => h.stop());

describe('a streamed answer to a slow reader', () => {
  it('reads the source only as fast as the client takes it', async () => {
    let reads = 0;
    const read = store.readTables.bind(store);
    store.readTables = (fn) => { reads++; return read(fn); };
    const port = Number(new URL(h.url).port);
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.setNoDelay(true);
    socket.write(`GET /api/v1/audit/export?format=csv HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${h.adminToken}\r\nConnection: close\r\n\r\n`);
    socket.pause(); // a client that does not read
    await new Promise((r) => setTimeout(r, 1500));
    const whilePaused = reads;
    // 60 pages of 1,000 in all; a paused client's socket holds a few of them at most.
    expect(whilePaused).toBeLessThan(30);
    let bytes = 0;
    socket.on('data', (b: Buffer) => { bytes += b.length; });
    socket.resume();
    await new Promise((r) => socket.on('end', r));
    expect(reads).toBeGreaterThanOrEqual(ENTRIES / 1000);
    expect(bytes).toBeGreaterThan(ENTRIES * 100);
  }, 60_000);
});

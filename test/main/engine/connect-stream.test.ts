/**
 * The streams connect() hands out, on the in-memory engine's real exec sessions: the exec relay's
 * stream ends its process and emits no error when destroyed (a dropped proxy request, a tunnel
 * closed at once), carries bytes both ways, and an unheard error never reaches the process.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWorkspaceRequest } from '../../../main/core/workspace-spec';
import { connectByExec, connectLoopback, unfatal } from '../../../main/engine/connect-stream';
import { connectDirect } from '../../../main/engine/docker/docker-connect';
import type { ExecSession } from '../../../main/engine/engine';
import { FakeEngine } from '../../../main/engine/fake/fake-engine';
import { TEST_IMAGES } from '../../support/test-images';

const ref = { user: 'alice', name: 'relay' };
let engine: FakeEngine;
/** The fake image has no socat or nc: `cat` stands in for the relay (an echo of what it is sent). */
const sessions: ExecSession[] = [];
const echo = async () => {
  const s = await engine.exec(ref, { cmd: ['cat'], stdin: true });
  sessions.push(s);
  return s;
};

beforeAll(async () => {
  engine = new FakeEngine({ kind: 'fake', origin: `cs-${randomBytes(3).toString('hex')}` });
  await engine.create(parseWorkspaceRequest({ image: TEST_IMAGES.busybox, ...ref, volume: false }, { now: new Date() }));
});
afterAll(() => engine.close());

/** Errors the process would have died of: an 'error' event with no listener throws from emit(). */
function uncaught(): { errors: unknown[]; stop: () => void } {
  const errors: unknown[] = [];
  const record = (e: unknown) => errors.push(e);
  process.on('uncaughtException', record);
  return { errors, stop: () => process.off('uncaughtException', record) };
}

const tick = () => new Promise((r) => setTimeout(r, 50));

describe('connectByExec', () => {
  it('carries bytes both ways', async () => {
    const d = await connectByExec(echo, 9);
    d.end('ping');
    let got = '';
    for await (const chunk of d) got += String(chunk);
    expect(got).toBe('ping');
  });

  it('is destroyed without an error event and ends its process', async () => {
    const watch = uncaught();
    try {
      const d = await connectByExec(echo, 9);
      const closed = new Promise((r) => d.once('close', r));
      d.destroy();
      await closed;
      await tick();
      // Had an AbortError been emitted, the stream would keep it.
      expect(d.errored).toBeNull();
      expect(await sessions.at(-1)!.exitCode()).not.toBe(0);
    } finally {
      watch.stop();
    }
    expect(watch.errors).toEqual([]);
  });

  it('survives being destroyed mid-write with nobody listening', async () => {
    const watch = uncaught();
    try {
      for (let i = 0; i < 20; i++) {
        const d = await connectByExec(echo, 9);
        d.write(Buffer.alloc(64 * 1024));
        if (i % 2) setImmediate(() => d.destroy());
        else d.destroy();
      }
      await tick();
    } finally {
      watch.stop();
    }
    expect(watch.errors).toEqual([]);
  });
});

describe('unfatal', () => {
  it('keeps an unheard error from the process, and a listener still hears it', async () => {
    const s = unfatal(new Duplex({ read() {}, write(_c, _e, cb) { cb(); } }));
    const heard: string[] = [];
    s.destroy(new Error('reset by peer'));
    await tick();
    s.on('error', (e) => heard.push(e.message));
    const t = unfatal(new Duplex({ read() {}, write(_c, _e, cb) { cb(); } }));
    t.on('error', (e) => heard.push(e.message));
    t.destroy(new Error('heard'));
    await tick();
    expect(s.destroyed).toBe(true);
    expect(heard).toEqual(['heard']);
  });
});

describe('connectLoopback', () => {
  it('takes the address when something answers there, and the relay only when nothing does', async () => {
    const server = net.createServer((c) => c.end('from the address'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    let relayed = 0;
    const relay = async () => { relayed++; return connectByExec(echo, port); };
    try {
      const d = await connectLoopback(() => connectDirect('127.0.0.1', port), relay);
      let got = '';
      for await (const chunk of d) got += String(chunk);
      expect(got).toBe('from the address');
      expect(relayed).toBe(0);
    } finally {
      await new Promise((r) => server.close(r));
    }
    // Nothing listens there now: refused, so the relay goes inside.
    const d = await connectLoopback(() => connectDirect('127.0.0.1', port), relay);
    expect(relayed).toBe(1);
    d.destroy();
  });
});

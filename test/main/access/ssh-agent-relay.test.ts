/**
 * The agent relay's pure parts: frames cut from any chunking, oversized frames refused, and the
 * workspace-side listener run for real with the local python3 (socket in a 0700 dir, relayed
 * connections, cleaned up when its input ends).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentRelayCommand, encodeFrame, FRAME, FrameReader, MAX_FRAME, type Frame } from '../../../main/access/ssh-agent-relay';

describe('agent relay frames', () => {
  it('reads frames back however the bytes are cut', () => {
    const bytes = Buffer.concat([encodeFrame(FRAME.open, 7), encodeFrame(FRAME.data, 7, Buffer.from('hello')), encodeFrame(FRAME.close, 7)]);
    const r = new FrameReader();
    const got: Frame[] = [];
    for (let i = 0; i < bytes.length; i += 3) got.push(...r.push(bytes.subarray(i, i + 3)));
    expect(got.map((f) => [f.kind, f.id, f.payload.toString()])).toEqual([[FRAME.open, 7, ''], [FRAME.data, 7, 'hello'], [FRAME.close, 7, '']]);
  });
  it('refuses a frame bigger than an agent message can be', () => {
    const head = Buffer.alloc(9);
    head.writeUInt32BE(MAX_FRAME + 1, 5);
    expect(() => new FrameReader().push(head)).toThrow(/a frame of/);
  });
});

describe('the listener, run by /bin/sh with python3', () => {
  it('listens in a private directory, relays a connection both ways, and removes the socket at EOF', async () => {
    const [cmd, ...args] = agentRelayCommand();
    const child = spawn(cmd!, args, { env: { ...process.env, PATH: `/usr/bin:/bin` }, stdio: ['pipe', 'pipe', 'inherit'] });
    const reader = new FrameReader();
    const frames: Frame[] = [];
    const next = (kind: number) => new Promise<Frame>((resolve) => {
      const look = () => { const i = frames.findIndex((f) => f.kind === kind); if (i >= 0) resolve(frames.splice(i, 1)[0]!); else setTimeout(look, 20); };
      look();
    });
    child.stdout.on('data', (d: Buffer) => frames.push(...reader.push(d)));
    const sock = (await next(FRAME.path)).payload.toString();
    expect(fs.statSync(path.dirname(sock)).mode & 0o777).toBe(0o700);
    const c = net.connect(sock);
    const opened = await next(FRAME.open);
    c.write('ping');
    expect((await next(FRAME.data)).payload.toString()).toBe('ping');
    const answer = new Promise<string>((resolve) => c.once('data', (d) => resolve(d.toString())));
    child.stdin.write(encodeFrame(FRAME.data, opened.id, Buffer.from('pong')));
    expect(await answer).toBe('pong');
    c.end();
    expect((await next(FRAME.close)).id).toBe(opened.id);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.stdin.end();
    expect(await exited).toBe(0);
    expect(fs.existsSync(path.dirname(sock))).toBe(false);
  }, 30_000);

  it('cleans up when ended by HUP and TERM at once, as the engine ends an exec', async () => {
    const [cmd, ...args] = agentRelayCommand();
    const child = spawn(cmd!, args, { env: { ...process.env, PATH: `/usr/bin:/bin` }, stdio: ['pipe', 'pipe', 'inherit'] });
    const reader = new FrameReader();
    const sock = await new Promise<string>((resolve) => child.stdout.on('data', (d: Buffer) => {
      const f = reader.push(d).find((x) => x.kind === FRAME.path);
      if (f) resolve(f.payload.toString());
    }));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGHUP');
    child.kill('SIGTERM');
    await exited;
    expect(fs.existsSync(path.dirname(sock))).toBe(false);
  }, 30_000);
});

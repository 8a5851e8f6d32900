/**
 * The relay script on this machine's own /bin/sh, with PATH narrowed to what an image might have:
 * the bash fallback carries a request and ends when the server closes, and an image with none of
 * the tools says so with exit 127.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayCommand } from '../../../main/engine/relay';

let server: http.Server;
let port = 0;
const dirs: string[] = [];

/** A bin directory holding only these host programs. */
function binWith(programs: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-bin-'));
  dirs.push(dir);
  for (const p of programs) fs.symlinkSync(fs.realpathSync(`/bin/${p}`), path.join(dir, p));
  return dir;
}

function relay(bin: string, input: string): Promise<{ code: number | null; out: string; err: string }> {
  const [cmd, ...args] = relayCommand(port);
  const child = spawn(cmd!, args, { env: { PATH: bin } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  // The relay may exit before reading (no tool): its stdin is then a broken pipe.
  child.stdin.on('error', () => undefined);
  child.stdin.write(input);
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, out, err })));
}

beforeAll(async () => {
  // Answers and closes, as busybox httpd does; the client never closes its side first.
  server = http.createServer((_req, res) => res.writeHead(200, { connection: 'close' }).end('through the relay'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('relayCommand', () => {
  it('falls back to bash /dev/tcp, and ends when the server closes', async () => {
    const r = await relay(binWith(['bash', 'cat', 'kill']), 'GET / HTTP/1.1\r\nhost: x\r\n\r\n');
    expect(r.out).toMatch(/^HTTP\/1\.1 200/);
    expect(r.out).toContain('through the relay');
    expect(r.code).toBe(0);
  }, 20_000);

  it('says what is missing when the image has no relay tool', async () => {
    const r = await relay(binWith([]), '');
    expect(r).toMatchObject({ code: 127, err: expect.stringMatching(/no socat, nc, python3 or bash to relay port/) });
  });

  it('refuses what is not a port', () => {
    expect(() => relayCommand(0)).toThrow(/not a port/);
    expect(() => relayCommand(65536)).toThrow(/not a port/);
  });
});

/**
 * Low-severity HTTP findings of issue 17 (defect 9), against a real hub server: malformed
 * percent-encodings and NUL are client errors everywhere (never a 500, never a stack trace in the
 * log), HSTS under TLS, and the sign-in throttle counts one client once however its address is
 * spelled (IPv4-mapped IPv6, ::1) and IPv6 clients by their /64.
 */
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { api, startApiHub, type ApiHub } from '../../support/api-hub';
import { selfSignedTls } from '../../../main/server/tls-cert';

let h: ApiHub | undefined;
const tmp: string[] = [];
afterEach(async () => {
  await h?.stop();
  h = undefined;
  for (const d of tmp.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tmp.push(d);
  return d;
}

/** The raw answer to raw request text (for paths and headers fetch would clean up). */
function rawAnswer(url: string, text: string): Promise<string> {
  return new Promise((resolve) => {
    const sock = net.connect(Number(new URL(url).port), '127.0.0.1', () => sock.write(text));
    let out = '';
    sock.on('data', (d: Buffer) => {
      out += d.toString();
      if (/\r\n\r\n/.test(out)) sock.end();
    });
    sock.on('error', () => undefined);
    sock.on('close', () => resolve(out));
    setTimeout(() => sock.destroy(), 3000);
  });
}

describe('malformed paths and cookies', () => {
  it('answers NUL and broken percent-encodings with 400/404, never 500, and logs no internal error', async () => {
    const site = tempDir('hd-static-');
    fs.writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>app</title>');
    const log: string[] = [];
    h = await startApiHub('hard', { server: { staticDir: site, log: (m) => log.push(m) } });
    for (const p of ['/user/x/y%00/', '/a%00b', '/a%ZZ', '/user/x/%E0/', '/assets/%00.js', '/%2e%2e%2f%00']) {
      const r = await fetch(`${h.url}${p}`, { redirect: 'manual' });
      expect([400, 404], `${p} answered ${r.status}`).toContain(r.status);
    }
    const cookie = await fetch(`${h.url}/api/v1/info`, { headers: { cookie: 'hubdeck-session=%E0%A4' } });
    expect([400, 401]).toContain(cookie.status);
    const upgrade = await rawAnswer(h.url, 'GET /api/v1/workspaces/%E0/x/terminal HTTP/1.1\r\nHost: hub\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
    expect(upgrade).toMatch(/^HTTP\/1\.1 400 /);
    const port = await rawAnswer(h.url, 'GET /api/v1/workspaces/a/%E0/ports/80/stream HTTP/1.1\r\nHost: hub\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
    expect(port).toMatch(/^HTTP\/1\.1 400 /);
    const badCookie = await rawAnswer(h.url, 'GET /api/v1/workspaces/a/b/ports/80/stream HTTP/1.1\r\nHost: hub\r\nCookie: hubdeck-session=%E0%A4\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
    expect(badCookie).toMatch(/^HTTP\/1\.1 401 /);
    expect(log.filter((m) => /internal error|\n\s+at /.test(m))).toEqual([]);
  });
});

describe('TLS', () => {
  it('sends Strict-Transport-Security on every answer when the hub serves TLS', async () => {
    const identity = await selfSignedTls(tempDir('hd-tls-'), ['127.0.0.1']);
    h = await startApiHub('hsts', { server: { tls: { cert: identity.cert, key: identity.key } } });
    for (const p of ['/api/v1/health', '/hub/login', '/nowhere', '/api/v1/info']) {
      const hsts = await new Promise<string | undefined>((resolve, reject) => {
        https.get(`${h!.url}${p}`, { ca: identity.cert, agent: false }, (res) => {
          res.resume();
          resolve(res.headers['strict-transport-security'] as string | undefined);
        }).on('error', reject);
      });
      expect(hsts, p).toMatch(/^max-age=\d{7,}/);
    }
  });

  it('sends no HSTS over plain HTTP (a browser would pin a hub that has no TLS)', async () => {
    h = await startApiHub('nohsts');
    expect((await api(h.url, 'GET', '/health', null)).headers.get('strict-transport-security')).toBeNull();
  });
});

describe('the sign-in throttle counts one client once', () => {
  it('puts 127.0.0.1, ::ffff:127.0.0.1 and ::1 in one bucket', async () => {
    // Listening on '::': IPv4 clients arrive as ::ffff:127.0.0.1, IPv6 ones as ::1, and the
    // trusted proxy on ::1 forwards for plain 127.0.0.1.
    h = await startApiHub('throttle', { host: '::', server: { trustedProxies: ['::1'], sleep: async () => undefined } });
    const port = new URL(h.url).port;
    const bad = (base: string, headers: Record<string, string> = {}) => api(base, 'GET', '/info', 'not-a-token', undefined, headers);
    for (let i = 0; i < 5; i++) {
      expect((await bad(`http://127.0.0.1:${port}`)).status).toBe(401);
      expect((await bad(`http://[::1]:${port}`)).status).toBe(401);
      expect((await bad(`http://[::1]:${port}`, { 'x-forwarded-for': '127.0.0.1' })).status).toBe(401);
    }
    // 15 failures from one client: the 16th attempt, in any spelling, is refused.
    expect((await bad(`http://127.0.0.1:${port}`)).status).toBe(429);
    expect((await bad(`http://[::1]:${port}`, { 'x-forwarded-for': '::ffff:127.0.0.1' })).status).toBe(429);
  });

  it('counts IPv6 clients behind a trusted proxy by their /64', async () => {
    h = await startApiHub('throttle6', { server: { trustedProxies: ['127.0.0.1'], sleep: async () => undefined } });
    const from = (a: string) => api(h!.url, 'GET', '/info', 'not-a-token', undefined, { 'x-forwarded-for': a });
    for (let i = 0; i < 15; i++) expect((await from(`2001:db8:1:2::${(i + 1).toString(16)}`)).status).toBe(401);
    expect((await from('2001:db8:1:2:ffff::9')).status).toBe(429);
    expect((await from('2001:db8:1:3::1')).status).toBe(401);
  });

});

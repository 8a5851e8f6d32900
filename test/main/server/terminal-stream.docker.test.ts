/**
 * The terminal WebSocket (the UI's terminal tab) on a real workspace (busybox on Docker): a shell
 * answers `echo $((6*7))` with 42 and sees a resize; another user, no credentials and a foreign
 * Origin are refused before any upgrade; closing the socket ends the shell in the container.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { api, until, type ApiHub } from '../../support/api-hub';
import { startTerminalHub } from '../../support/terminal-hub';
import { parseControl, terminalTarget } from '../../../main/server/terminal-stream';
import { fromOwnOrigin } from '../../../main/server/same-origin';

let h: ApiHub;
let bob: string;

beforeAll(async () => {
  ({ hub: h, bob } = await startTerminalHub('term'));
}, 240_000);
afterAll(() => h?.stop());

const wsUrl = (q = '') => `${h.url.replace('http', 'ws')}/api/v1/workspaces/admin/sh/terminal${q}`;

/** The HTTP status a refused upgrade answers with (fails if the socket opens). */
function refusal(headers: Record<string, string>, q = ''): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const ws = new WebSocket(wsUrl(q), { headers });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('open', () => { ws.close(); reject(new Error('the terminal opened')); });
    ws.once('error', () => undefined);
  });
}

/** Processes in the workspace running `sleep 9137` (the marker a terminal session starts). */
async function shells(): Promise<number> {
  const s = await h.hub.access.exec({ user: 'admin', admin: true }, { user: 'admin', name: 'sh' }, { cmd: ['sh', '-c', 'ps | grep -c "[s]leep 9137" || true'] });
  let out = '';
  s.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await s.exitCode();
  return Number(out.trim());
}

describe('terminal stream', () => {
  it('runs a shell with a tty: echo $((6*7)) shows 42, resize reaches stty, closing ends the shell', async () => {
    const ws = new WebSocket(wsUrl('?cols=100&rows=30'), { headers: { authorization: `Bearer ${h.adminToken}`, origin: h.url } });
    let out = '';
    ws.on('message', (d: Buffer) => (out += d.toString()));
    await new Promise((r, j) => { ws.once('open', r); ws.once('error', j); });
    ws.send(Buffer.from('echo $((6*7))\r'), { binary: true });
    await until(() => /\r?\n42\r?\n/.test(out), 15_000, '42 in the terminal');
    ws.send(Buffer.from('stty size\r'), { binary: true });
    await until(() => out.includes('30 100'), 10_000, 'initial size');
    ws.send(JSON.stringify({ type: 'resize', cols: 132, rows: 43 }));
    await until(async () => {
      ws.send(Buffer.from('stty size\r'), { binary: true });
      await new Promise((r) => setTimeout(r, 200));
      return out.includes('43 132');
    }, 10_000, 'resized');
    ws.send(Buffer.from('sleep 9137 & echo started\r'), { binary: true });
    await until(() => out.includes('started\r\n'), 10_000, 'marker started');
    expect(await shells()).toBe(1);
    ws.close();
    await until(async () => (await shells()) === 0, 15_000, 'the shell and what it started ended with its socket');
  }, 60_000);

  it('closes the socket with the exit code when the shell exits', async () => {
    const ws = new WebSocket(wsUrl(), { headers: { authorization: `Bearer ${h.adminToken}` } });
    await new Promise((r, j) => { ws.once('open', r); ws.once('error', j); });
    const closed = new Promise<[number, string]>((r) => ws.once('close', (code, reason) => r([code, reason.toString()])));
    ws.send(Buffer.from('exit 3\r'), { binary: true });
    expect(await closed).toEqual([1000, 'exit 3']);
  }, 30_000);

  it('refuses no credentials, another user and a foreign Origin before any upgrade', async () => {
    expect(await refusal({})).toBe(401);
    expect(await refusal({ authorization: `Bearer ${bob}` })).toBe(403);
    expect(await refusal({ authorization: `Bearer ${h.adminToken}`, origin: 'https://evil.example' })).toBe(403);
    expect(await shells()).toBe(0);
  }, 30_000);

  it("opens with a one-time login code from the app's page (Origin null), once; a code never opens another user's", async () => {
    const code = async (token: string) => ((await api(h.url, 'POST', '/login-codes', token)).body as { code: string }).code;
    const mine = await code(h.adminToken);
    const ws = new WebSocket(wsUrl(`?code=${mine}`), { headers: { origin: 'null' } });
    let out = '';
    ws.on('message', (d: Buffer) => (out += d.toString()));
    await new Promise((r, j) => { ws.once('open', r); ws.once('error', j); });
    ws.send(Buffer.from('echo $((6*7))\r'), { binary: true });
    await until(() => /\r?\n42\r?\n/.test(out), 15_000, '42 in the terminal');
    ws.close();
    expect(await refusal({ origin: 'null' }, `?code=${mine}`)).toBe(401); // used once
    expect(await refusal({ origin: 'null' }, `?code=${await code(bob)}`)).toBe(403); // bob's code, admin's workspace
    expect(await refusal({ origin: 'null' }, '?code=made-up')).toBe(401);
  }, 30_000);
});

describe('terminal stream parsing', () => {
  it('reads the target and size, refusing bad names and sizes', () => {
    expect(terminalTarget(new URL('http://h/api/v1/workspaces/ann/box/terminal?cols=120&rows=40'))).toEqual({ user: 'ann', name: 'box', cols: 120, rows: 40 });
    expect(terminalTarget(new URL('http://h/api/v1/workspaces/ann/box/terminal'))).toEqual({ user: 'ann', name: 'box', cols: 80, rows: 24 });
    expect(terminalTarget(new URL('http://h/api/v1/workspaces/ann/box/logs'))).toBeNull();
    expect(() => terminalTarget(new URL('http://h/api/v1/workspaces/ann/box/terminal?cols=0'))).toThrow(/cols and rows/);
    expect(() => terminalTarget(new URL('http://h/api/v1/workspaces/ann/box/terminal?rows=1e3'))).toThrow(/cols and rows/);
    expect(() => terminalTarget(new URL('http://h/api/v1/workspaces/Bad%20Name/box/terminal'))).toThrow(/not a workspace name/);
  });

  it('accepts only resize messages with sane sizes', () => {
    expect(parseControl('{"type":"resize","cols":80,"rows":24}')).toEqual({ cols: 80, rows: 24 });
    expect(parseControl('{"type":"resize","cols":0,"rows":24}')).toBeNull();
    expect(parseControl('{"type":"resize","cols":1.5,"rows":24}')).toBeNull();
    expect(parseControl('{"type":"other"}')).toBeNull();
    expect(parseControl('not json')).toBeNull();
  });

  it('allows no Origin or the hub\'s own, and refuses any other', () => {
    const req = (origin: string | undefined, host = 'hub.example:8443') => ({ headers: { origin, host } }) as never;
    expect(fromOwnOrigin(req(undefined), null)).toBe(true);
    expect(fromOwnOrigin(req('https://hub.example:8443'), null)).toBe(true);
    expect(fromOwnOrigin(req('https://evil.example'), null)).toBe(false);
    expect(fromOwnOrigin(req('https://hub.example:8443.evil.example'), null)).toBe(false);
    expect(fromOwnOrigin(req('null'), null)).toBe(false);
  });
});

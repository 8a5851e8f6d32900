/**
 * The desktop's tunnels: the CLI's definitions, run in the app's process from the tray, stopped on
 * quit; one run elsewhere is shown as running and left alone; a hub the app cannot reach is said.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TunnelStore } from '../../../main/client/tunnel-store';
import { DesktopTunnels } from '../../../main/shell/desktop-tunnels';

let echo: net.Server;
let echoPort = 0;
beforeAll(async () => {
  echo = net.createServer((s) => s.pipe(s));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
  echoPort = (echo.address() as net.AddressInfo).port;
});
afterAll(() => echo.close());

async function freePort(): Promise<number> {
  const s = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => s.once('listening', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

const say = (port: number, text: string) => new Promise<string>((resolve, reject) => {
  const s = net.connect(port, '127.0.0.1', () => s.end(text));
  let got = '';
  s.on('data', (d: Buffer) => (got += d.toString()));
  s.once('close', () => resolve(got));
  s.once('error', reject);
});

describe('desktop tunnels', () => {
  it('starts and stops the local hub tunnels in process, and says which it cannot run', async () => {
    const store = new TunnelStore(fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-desk-tun-')));
    const base = { workspace: 'nb', user: 'me', fingerprint: null, remote: 6006, createdAt: new Date().toISOString() };
    const local = await freePort();
    store.add({ ...base, name: 'tb', hub: null, local });
    store.add({ ...base, name: 'far', hub: 'https://team.example:8585', local: await freePort() });
    const dialer = { dial: () => new Promise<net.Socket>((r) => { const s = net.connect(echoPort, '127.0.0.1', () => r(s)); }), close: () => undefined };
    const t = new DesktopTunnels(store, (x) => (x.hub === null ? dialer : null), () => undefined);
    expect(t.list()).toEqual([{ name: 'tb', running: false }, { name: 'far', running: false }]);
    await t.toggle('tb', true);
    expect(t.list()[0]).toEqual({ name: 'tb', running: true });
    expect(await say(local, 'ping')).toBe('ping');
    await expect(t.start('far')).rejects.toThrow(/not connected to; start it with hubdeck tunnel start far/);
    await t.stopAll();
    expect(t.list()[0]).toEqual({ name: 'tb', running: false });
    await expect(say(local, 'x')).rejects.toThrow(/ECONNREFUSED/);
    // A tunnel another process runs (a `… tunnel run tb` process) shows as running, and is not stopped from here.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', 'tunnel', 'run', 'tb']);
    try {
      fs.mkdirSync(store.runDir, { recursive: true });
      fs.writeFileSync(store.pidFile('tb'), `${other.pid}\n`);
      expect(t.list()[0]).toEqual({ name: 'tb', running: true });
      await expect(t.stop('tb')).rejects.toThrow(/runs in another process/);
    } finally {
      other.kill();
    }
  });
});

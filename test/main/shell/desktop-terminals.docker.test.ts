/**
 * The app's terminal tab, relayed by the main process (no Electron needed for this part): a real
 * hub on Docker, a one-time login code, the relay's IPC events as the page gets them. 42 comes
 * back, a resize reaches stty, `exit 3` ends it with its code, another user's code is refused in
 * the hub's words, and a window that goes away closes its terminal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP_TERMINAL, type TerminalEvent } from '../../../preload/desktop-contract';
import { DesktopTerminals } from '../../../main/shell/desktop-terminals';
import { api, until, type ApiHub } from '../../support/api-hub';
import { startTerminalHub } from '../../support/terminal-hub';

let h: ApiHub;
let bob: string;

beforeAll(async () => {
  ({ hub: h, bob } = await startTerminalHub('dterm'));
}, 240_000);
afterAll(() => h?.stop());

const code = async (token: string) => ((await api(h.url, 'POST', '/login-codes', token)).body as { code: string }).code;

/** A window as the relay sees it: what it was sent, and its 'destroyed' event. */
function fakeWindow() {
  const events: TerminalEvent[] = [];
  let destroyed = () => undefined as void;
  return {
    sender: { id: 7, send: (ch: string, e: unknown) => { if (ch === DESKTOP_TERMINAL) events.push(e as TerminalEvent); }, once: (_: 'destroyed', fn: () => void) => { destroyed = fn; } },
    events,
    text: () => events.map((e) => (e.kind === 'data' ? Buffer.from(e.data).toString() : '')).join(''),
    destroy: () => destroyed(),
  };
}

describe('the desktop terminal relay', () => {
  it('runs a shell: 42, a resize, and exit 3 as the end', async () => {
    const terminals = new DesktopTerminals();
    const win = fakeWindow();
    const id = await terminals.start({ hubUrl: h.url, fingerprint: null, code: await code(h.adminToken), user: 'admin', name: 'sh', cols: 100, rows: 30 }, win.sender);
    expect(id).toMatch(/^t[0-9a-f]{16}$/);
    terminals.input(id, Buffer.from('echo $((6*7))\r'));
    await until(() => /\r?\n42\r?\n/.test(win.text()), 15_000, '42');
    terminals.resize(id, 132, 43);
    await until(async () => {
      terminals.input(id, Buffer.from('stty size\r'));
      await new Promise((r) => setTimeout(r, 200));
      return win.text().includes('43 132');
    }, 10_000, 'resized');
    terminals.input(id, Buffer.from('exit 3\r'));
    await until(() => win.events.some((e) => e.kind === 'end'), 10_000, 'the end');
    expect(win.events.at(-1)).toEqual({ id, kind: 'end', normal: true, reason: 'exit 3' });
    expect(terminals.size).toBe(0);
    expect(() => terminals.input(id, Buffer.from('x'))).toThrow(/has ended/);
  }, 60_000);

  it("refuses another user's workspace in the hub's words, and closes a terminal whose window went away", async () => {
    const terminals = new DesktopTerminals();
    const win = fakeWindow();
    await expect(terminals.start({ hubUrl: h.url, fingerprint: null, code: await code(bob), user: 'admin', name: 'sh', cols: 80, rows: 24 }, win.sender)).rejects.toThrow(/bob may not/);
    const id = await terminals.start({ hubUrl: h.url, fingerprint: null, code: await code(h.adminToken), user: 'admin', name: 'sh', cols: 80, rows: 24 }, win.sender);
    expect(terminals.size).toBe(1);
    win.destroy();
    await until(() => terminals.size === 0, 10_000, 'the terminal to close');
    expect(win.events.at(-1)).toMatchObject({ id, kind: 'end' });
  }, 60_000);
});

// main/shell/tray-menu.ts: the tray's menu, a pure function of the hubs and workspaces.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { trayIconFile, trayTemplate, type TrayAction, type TrayHub, type TrayWorkspace } from '../../../main/shell/tray-menu';

describe('tray menu', () => {
  type Item = { label?: string; enabled?: boolean; click?: () => void; submenu?: Item[]; type?: string; checked?: boolean };
  const ws = (name: string, state: TrayWorkspace['state']): TrayWorkspace => ({ name, state, user: 'me' });
  const hub = (key: string, o: Partial<TrayHub> = {}): TrayHub => ({ key, label: key === 'local' ? 'This computer' : key, error: null, admin: key === 'local', user: 'me', workspaces: [], ...o });
  const labels = (items: Item[]) => items.map((i) => i.label ?? `--${i.type}`);
  const find = (items: Item[], text: string) => items.find((i) => i.label?.includes(text))!;

  it('lists a hub\'s workspaces with state, and Start/Stop/Open/Copy SSH command enabled by state', () => {
    const acts: TrayAction[] = [];
    const t = trayTemplate({ hubs: [hub('local', { workspaces: [ws('two', 'stopped'), ws('one', 'running'), ws('three', 'starting')] })], sharing: null, tunnels: [] }, (a) => acts.push(a)) as Item[];
    expect(labels(t)).toEqual([
      'Hubdeck — This computer', '● one — running', '◐ three — starting', '○ two — stopped', 'New workspace…', 'Open Admin',
      '--separator', 'Tunnels', 'Share this hub…', '--separator', 'Open Hubdeck', 'Settings…', 'Quit Hubdeck',
    ]);
    const sub = (name: string) => find(t, name).submenu!.filter((i) => i.label).map((i) => [i.label, i.enabled ?? true]);
    expect(sub('one')).toEqual([['Open', true], ['Start', false], ['Stop', true], ['Copy SSH command', true]]);
    expect(sub('two')).toEqual([['Open', false], ['Start', true], ['Stop', false], ['Copy SSH command', true]]);
    expect(sub('three')).toEqual([['Open', false], ['Start', false], ['Stop', true], ['Copy SSH command', true]]);
    for (const l of ['Stop', 'Open', 'Copy SSH command']) find(t, 'one').submenu!.find((i) => i.label === l)!.click!();
    find(t, 'New workspace').click!();
    find(t, 'Open Admin').click!();
    find(t, 'Share this hub').click!();
    find(t, 'Quit').click!();
    expect(acts).toEqual([
      { kind: 'stop', hub: 'local', name: 'one' }, { kind: 'open', hub: 'local', name: 'one' }, { kind: 'copy-ssh', hub: 'local', name: 'one' },
      { kind: 'new-workspace', hub: 'local' }, { kind: 'open-admin', hub: 'local' }, { kind: 'share' }, { kind: 'quit' },
    ]);
  });

  it('groups workspaces under each connected hub; Open Admin only where the user is an admin; errors in place', () => {
    const acts: TrayAction[] = [];
    const t = trayTemplate({
      hubs: [hub('local', { workspaces: [ws('a', 'running')] }), hub('team', { user: 'bob', workspaces: [ws('gpu1', 'running')] }), hub('lab', { error: 'cannot reach https://lab:8585' })],
      sharing: null, tunnels: [],
    }, (a) => acts.push(a)) as Item[];
    expect(labels(t).slice(0, 14)).toEqual([
      'This computer', '● a — running', 'New workspace…', 'Open Admin', '--separator',
      'team', '● gpu1 — running', 'New workspace…', '--separator',
      'lab', '⚠ cannot reach https://lab:8585', 'New workspace…', '--separator', 'Tunnels',
    ]);
    expect(t.filter((i) => i.label === 'New workspace…').map((i) => i.enabled)).toEqual([true, true, false]);
    find(t, 'gpu1').submenu!.find((i) => i.label === 'Stop')!.click!();
    expect(acts).toEqual([{ kind: 'stop', hub: 'team', name: 'gpu1' }]);
  });

  it('shows sharing and tunnels, and offers no sharing to a non-admin', () => {
    const acts: TrayAction[] = [];
    const t = trayTemplate({ hubs: [hub('local')], sharing: 'https://192.168.1.20:8585', tunnels: [{ name: 'tensorboard', running: true }, { name: 'mlflow', running: false }] }, (a) => acts.push(a)) as Item[];
    find(t, 'Sharing on https://192.168.1.20:8585').click!();
    const tunnels = find(t, 'Tunnels').submenu!;
    expect(tunnels.map((i) => [i.label ?? '--', i.checked])).toEqual([['tensorboard', true], ['mlflow', false], ['--', undefined], ['Manage tunnels…', undefined]]);
    tunnels[0]!.click!();
    tunnels[1]!.click!();
    expect(acts).toEqual([{ kind: 'stop-sharing' }, { kind: 'tunnel', name: 'tensorboard', run: false }, { kind: 'tunnel', name: 'mlflow', run: true }]);
    const member = trayTemplate({ hubs: [hub('local', { admin: false })], sharing: null, tunnels: [] }, () => undefined) as Item[];
    expect(labels(member)).not.toContain('Share this hub…');
    expect(labels(member)).not.toContain('Open Admin');
  });

  it('uses template icons on macOS and coloured ones elsewhere, and they exist as real PNGs at 1x and 2x', () => {
    expect(trayIconFile('darwin')).toBe('tray-icon-16Template.png');
    expect(trayIconFile('win32')).toBe('tray-icon-16.png');
    expect(trayIconFile('linux')).toBe('tray-icon-32.png');
    for (const [file, size] of [['tray-icon-16Template.png', 16], ['tray-icon-16Template@2x.png', 32], ['tray-icon-16.png', 16], ['tray-icon-16@2x.png', 32], ['tray-icon-32.png', 32], ['tray-icon-32@2x.png', 64], ['tray-icon-32Template@2x.png', 64]] as const) {
      const png = readFileSync(`${__dirname}/../../../assets/${file}`);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
    }
  });
});


/**
 * The tray menu as a pure function of the state of every connected hub (Podman Desktop habit):
 * rebuilt on every hub event, tested without Electron. Items carry an action; tray-actions.ts maps
 * actions to effects.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { WorkspaceView } from '../api/dto';

/** What the tray shows of a workspace. */
export type TrayWorkspace = Pick<WorkspaceView, 'name' | 'state'> & { user: string };

export interface TrayHub {
  /** The hub's key in the shell ("local", or a saved remote hub's id). */
  key: string;
  label: string;
  /** Connected and listing, or why not. */
  error: string | null;
  admin: boolean;
  /** The user this app acts as there: only their workspaces are listed. */
  user: string;
  workspaces: TrayWorkspace[];
  /** False where the hub has no SSH gateway (its capabilities say): no Copy SSH command. */
  ssh?: boolean;
}

export interface TrayState {
  hubs: TrayHub[];
  /** The local hub's LAN address while it is shared. */
  sharing: string | null;
  tunnels: { name: string; running: boolean }[];
}

export type TrayAction =
  | { kind: 'start' | 'stop' | 'open' | 'copy-ssh'; hub: string; name: string }
  | { kind: 'new-workspace' | 'open-admin'; hub: string }
  | { kind: 'tunnel'; name: string; run: boolean }
  | { kind: 'share' | 'stop-sharing' | 'tunnels' | 'settings' | 'show' | 'quit' };

const STATE_ICON: Record<string, string> = { running: '●', creating: '◐', starting: '◐', restarting: '◐', stopping: '◑', removing: '◑', stopped: '○', paused: '○', failed: '✕' };
/** States in which Start or Stop makes sense (the others are on their way somewhere). */
const STARTABLE = new Set(['stopped', 'failed', 'paused']);
const STOPPABLE = new Set(['running', 'starting', 'restarting', 'paused']);

function workspaceItem(h: TrayHub, w: TrayWorkspace, act: (a: TrayAction) => void): MenuItemConstructorOptions {
  const running = w.state === 'running';
  const ref = { hub: h.key, name: w.name };
  return {
    label: `${STATE_ICON[w.state] ?? '◌'} ${w.name} — ${w.state}`,
    submenu: [
      { label: 'Open', enabled: running, click: () => act({ kind: 'open', ...ref }) },
      { label: 'Start', enabled: STARTABLE.has(w.state), click: () => act({ kind: 'start', ...ref }) },
      { label: 'Stop', enabled: STOPPABLE.has(w.state), click: () => act({ kind: 'stop', ...ref }) },
      ...(h.ssh === false ? [] : [{ type: 'separator' as const }, { label: 'Copy SSH command', click: () => act({ kind: 'copy-ssh', ...ref }) }]),
    ],
  };
}

function hubItems(h: TrayHub, grouped: boolean, act: (a: TrayAction) => void): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = [];
  if (grouped) items.push({ label: h.label, enabled: false });
  if (h.error) items.push({ label: `⚠ ${h.error}`, enabled: false });
  else if (h.workspaces.length === 0) items.push({ label: 'No workspaces yet', enabled: false });
  const sorted = [...h.workspaces].sort((a, b) => a.name.localeCompare(b.name));
  for (const w of sorted) items.push(workspaceItem(h, w, act));
  items.push({ label: 'New workspace…', enabled: !h.error, click: () => act({ kind: 'new-workspace', hub: h.key }) });
  if (h.admin) items.push({ label: 'Open Admin', enabled: !h.error, click: () => act({ kind: 'open-admin', hub: h.key }) });
  return items;
}

function tunnelsItem(s: TrayState, act: (a: TrayAction) => void): MenuItemConstructorOptions {
  const submenu: MenuItemConstructorOptions[] = s.tunnels.map((t) => ({
    label: t.name, type: 'checkbox', checked: t.running, click: () => act({ kind: 'tunnel', name: t.name, run: !t.running }),
  }));
  if (submenu.length) submenu.push({ type: 'separator' });
  submenu.push({ label: 'Manage tunnels…', click: () => act({ kind: 'tunnels' }) });
  return { label: 'Tunnels', submenu };
}

export function trayTemplate(s: TrayState, act: (a: TrayAction) => void): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = [];
  // With one hub its name is the title; with several each gets a heading.
  const grouped = s.hubs.length > 1;
  if (!grouped) items.push({ label: `Hubdeck — ${s.hubs[0]?.label ?? 'no hub'}`, enabled: false });
  s.hubs.forEach((h, i) => {
    if (i > 0) items.push({ type: 'separator' });
    items.push(...hubItems(h, grouped, act));
  });
  items.push({ type: 'separator' }, tunnelsItem(s, act));
  const local = s.hubs.find((h) => h.key === 'local');
  if (local?.admin) {
    items.push(s.sharing
      ? { label: `Sharing on ${s.sharing} — Stop sharing`, click: () => act({ kind: 'stop-sharing' }) }
      : { label: 'Share this hub…', enabled: !local.error, click: () => act({ kind: 'share' }) });
  }
  items.push(
    { type: 'separator' },
    { label: 'Open Hubdeck', click: () => act({ kind: 'show' }) },
    { label: 'Settings…', click: () => act({ kind: 'settings' }) },
    { label: 'Quit Hubdeck', click: () => act({ kind: 'quit' }) },
  );
  return items;
}

/** The icon file for the platform's tray: template images on macOS (the system tints them). */
export function trayIconFile(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'tray-icon-16Template.png';
  // Windows draws tray icons at 16 px (its @2x at 200 %); Linux panels are 22-32 px.
  return platform === 'win32' ? 'tray-icon-16.png' : 'tray-icon-32.png';
}

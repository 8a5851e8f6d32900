/**
 * The tray menu as a pure function of state (Podman Desktop habit): rebuilt on every change, tested
 * without Electron. Items carry an action id; index.ts maps ids to handlers.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { WorkspaceView } from '../api/dto';

/** What the tray shows of a workspace. */
export type TrayWorkspace = Pick<WorkspaceView, 'name' | 'state'>;

export type TrayAction =
  | { kind: 'start'; name: string }
  | { kind: 'stop'; name: string }
  | { kind: 'open'; name: string }
  | { kind: 'show' }
  | { kind: 'quit' };

export interface TrayState {
  engine: string;
  workspaces: TrayWorkspace[];
  error: string | null;
}

const STATE_ICON: Record<string, string> = { running: '●', stopped: '○', failed: '✕' };

export function trayTemplate(s: TrayState, act: (a: TrayAction) => void): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = [{ label: `Hubdeck — ${s.engine}`, enabled: false }];
  if (s.error) items.push({ label: s.error, enabled: false });
  else if (s.workspaces.length === 0) items.push({ label: 'No workspaces yet', enabled: false });
  for (const w of s.workspaces) {
    const running = w.state === 'running';
    items.push({
      label: `${STATE_ICON[w.state] ?? '◌'} ${w.name} (${w.state})`,
      submenu: [
        { label: 'Open', enabled: running, click: () => act({ kind: 'open', name: w.name }) },
        { label: 'Start', enabled: !running, click: () => act({ kind: 'start', name: w.name }) },
        { label: 'Stop', enabled: running, click: () => act({ kind: 'stop', name: w.name }) },
      ],
    });
  }
  items.push({ type: 'separator' }, { label: 'Open Hubdeck', click: () => act({ kind: 'show' }) }, { label: 'Quit', click: () => act({ kind: 'quit' }) });
  return items;
}

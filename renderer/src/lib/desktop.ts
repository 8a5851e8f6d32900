/**
 * What only the desktop app can do, as an optional interface the pages check for: the shell's
 * preload exposes it as `window.hubdeckDesktop` (preload/desktop-contract.ts). In a plain browser it is absent and every page falls back to the web
 * platform (a new tab for Open, the Clipboard API for copying).
 */
import type { WorkspaceRef } from '../../../main/api/dto';
import type { HubdeckDesktop } from '../../../preload/desktop-contract';
import type { TerminalConnector } from '../components/terminal-view';

declare global {
  interface Window {
    hubdeckDesktop?: HubdeckDesktop;
  }
}

/**
 * The one answer to "are we in the desktop app?": its API, or null in a browser tab. (Which
 * transport the hub client uses is hub.ts's own question.)
 */
export const desktop: HubdeckDesktop | null = typeof window !== 'undefined' ? window.hubdeckDesktop ?? null : null;

/** Copies text the best available way; false when nothing could (the caller shows the text to select). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Opens a workspace: an embedded window in the app; in a browser, a new tab on the workspace's own
 * origin (`url`), which signs the tab in through the hub by itself.
 */
export async function openWorkspace(ref: WorkspaceRef, url: string | null = null): Promise<void> {
  if (desktop) {
    const r = await desktop.openWorkspace(ref.user, ref.name);
    if (!r.ok) throw new Error(r.error.message);
    return;
  }
  window.open(url ?? proxyPath(ref), '_blank', 'noopener');
}

/**
 * The app's terminal transport: the main process opens the hub's terminal socket and relays it
 * over IPC (the page has no session with the hub, and its CSP allows no other host).
 */
export function desktopTerminal(d: HubdeckDesktop, ref: WorkspaceRef): TerminalConnector {
  return (cols, rows, on) => {
    let id: string | null = null;
    let closed = false;
    const off = d.onTerminal((e) => {
      if (e.id !== id) return;
      if (e.kind === 'data') on.data(e.data);
      else {
        off();
        on.end(e.normal, e.reason);
      }
    });
    void (async () => {
      const r = await d.openTerminal(ref.user, ref.name, cols, rows);
      if (!r.ok) {
        off();
        return on.end(false, r.error.message);
      }
      id = r.value;
      if (closed) void d.closeTerminal(id);
      else on.open();
    })();
    return {
      send: (data) => { if (id) void d.terminalInput(id, data); },
      resize: (c, rw) => { if (id) void d.terminalResize(id, c, rw); },
      close: () => {
        closed = true;
        if (id) void d.closeTerminal(id);
      },
    };
  };
}

/** The workspace's path on the hub, which sends a browser on to the workspace's own origin. */
export function proxyPath(ref: WorkspaceRef): string {
  return `/user/${encodeURIComponent(ref.user)}/${encodeURIComponent(ref.name)}/`;
}

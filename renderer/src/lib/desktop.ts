/**
 * What only the desktop app can do, as an optional interface the pages check for: the shell's
 * preload exposes it as `window.hubdeckDesktop` (every member optional, so the shell can grow it
 * one capability at a time). In a plain browser it is absent and every page falls back to the web
 * platform (a new tab for Open, the Clipboard API for copying).
 */
import type { WorkspaceRef } from '../../../main/api/dto';

export interface DesktopCapabilities {
  /** Opens the workspace in its own embedded window, signed in by the main process. */
  openWorkspace?(ref: WorkspaceRef): Promise<void>;
  /** Writes text to the system clipboard (works where navigator.clipboard is refused). */
  copyText?(text: string): Promise<void>;
  /** The host alias `hubdeck ssh-config` writes for this workspace on the current hub (e.g. demo.hubdeck). */
  sshAlias?(ref: WorkspaceRef): Promise<string>;
  /** Writes the managed block into ~/.ssh/config (what `hubdeck ssh-config` does); returns the aliases. */
  writeSshConfig?(): Promise<{ file: string; aliases: string[] }>;
}

declare global {
  interface Window {
    hubdeckDesktop?: DesktopCapabilities;
  }
}

export const desktop: DesktopCapabilities | null = typeof window !== 'undefined' ? window.hubdeckDesktop ?? null : null;

/** Copies text the best available way; false when nothing could (the caller shows the text to select). */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (desktop?.copyText) await desktop.copyText(text);
    else await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** Opens a workspace: an embedded window in the app, a new tab through the hub's proxy in a browser. */
export async function openWorkspace(ref: WorkspaceRef): Promise<void> {
  if (desktop?.openWorkspace) return desktop.openWorkspace(ref);
  window.open(proxyPath(ref), '_blank', 'noopener');
}

/** The workspace's address on the hub's proxy (the session cookie signs the tab in). */
export function proxyPath(ref: WorkspaceRef): string {
  return `/user/${encodeURIComponent(ref.user)}/${encodeURIComponent(ref.name)}/`;
}

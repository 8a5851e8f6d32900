/**
 * The desktop-only extra interface (`window.hubdeckDesktop`): what exists only in the Electron app —
 * the hubs this app knows, joining by invite, embedded workspace windows, the ssh command, sharing
 * the local hub, preferences. The UI checks for it (`'hubdeckDesktop' in window`) and works without
 * it in a browser. Every call answers with an Envelope (errors cross contextBridge as data) and
 * the main process validates every argument (zod) and the sending frame.
 */
import type { Envelope } from '../main/api/ipc-bridge';

export interface HubSummary {
  /** "local" or a joined hub's id. */
  key: string;
  label: string;
  /** Its base URL (the local hub's loopback address). */
  url: string | null;
  user: string;
  admin: boolean;
  /** Pinned certificate (AB:CD:…), for hubs with a self-signed one. */
  fingerprint: string | null;
  /** Why it is not reachable now, or null. */
  error: string | null;
  /** The one the main window's `window.hubdeck` talks to. */
  active: boolean;
  /** A Hubdeck hub (this computer's or a team's) or a connected JupyterHub. */
  kind: 'hubdeck' | 'jupyterhub';
}

export interface HubRequest {
  url: string;
  token: string;
  /** SHA-256 of the hub's certificate (AB:CD:… or plain hex), for a self-signed one. */
  fingerprint?: string | null;
  /** Default "hubdeck"; "jupyterhub" connects an existing JupyterHub 3+ with a JupyterHub API token. */
  kind?: 'hubdeck' | 'jupyterhub';
  /** The name the app shows it under (lower-case, digits, . _ -); default: the hub's id, or a JupyterHub's host name. */
  name?: string;
  /** JupyterHub only: how the New-workspace form becomes user_options (default json), and options sent with every create. */
  optionsForm?: 'json' | 'mlhub' | 'profile';
  defaultOptions?: Record<string, unknown>;
}

export interface ShareStatus {
  sharing: boolean;
  url: string | null;
  fingerprint: string | null;
  sshAddress: string | null;
}

export interface TeammateRequest {
  user: string;
  /** Create the user first, with these limits; absent: invite an existing user. */
  create?: { selfService?: boolean; quota?: { maxWorkspaces?: number | null; cpus?: number | null; memory?: number | null; gpus?: number | null } };
  /** Hours until the invite expires (default 24). */
  hours?: number;
}

export interface TeammateInvite {
  user: string;
  expiresAt: string;
  invite: string;
  /** hubdeck://join?invite=… */
  link: string;
  /** hubdeck hub join … */
  command: string;
}

export interface DesktopPreferences {
  startAtLogin: boolean;
  notifications: boolean;
  theme: 'system' | 'light' | 'dark';
  shareListen: string | null;
}

/** A tunnel of the data directory (the CLI's too), with whether it carries traffic now. */
export interface TunnelInfo {
  name: string;
  workspace: string;
  user: string;
  /** The remote hub's URL, or null for this computer's hub. */
  hub: string | null;
  local: number;
  remote: number;
  running: boolean;
}

/** A new tunnel of the local hub: localhost:<local> → <workspace>:<remote>. */
export interface TunnelRequest {
  name: string;
  workspace: string;
  local: number;
  remote: number;
}

export interface HubdeckDesktop {
  hubs(): Promise<Envelope<HubSummary[]>>;
  /** Makes `key` the hub the main window talks to; the window reloads. */
  selectHub(key: string): Promise<Envelope<null>>;
  joinHub(invite: string): Promise<Envelope<HubSummary>>;
  /** Adds a remote hub by address and token (the token goes to the keychain); fingerprint pins a self-signed certificate. */
  addHub(request: HubRequest): Promise<Envelope<HubSummary>>;
  removeHub(key: string): Promise<Envelope<null>>;
  openWorkspace(hub: string, user: string, name: string): Promise<Envelope<null>>;
  /** Copies `ssh <alias>` to the clipboard and answers it. */
  copySshCommand(hub: string, name: string): Promise<Envelope<string>>;
  /**
   * Opens a shell in a workspace, relayed by the main process (the page has no session with the
   * hub, and its CSP allows no other host): answers the terminal's id; output comes to onTerminal.
   */
  openTerminal(hub: string, user: string, name: string, cols: number, rows: number): Promise<Envelope<string>>;
  terminalInput(id: string, data: Uint8Array): Promise<Envelope<null>>;
  terminalResize(id: string, cols: number, rows: number): Promise<Envelope<null>>;
  closeTerminal(id: string): Promise<Envelope<null>>;
  shareStatus(): Promise<Envelope<ShareStatus>>;
  startSharing(): Promise<Envelope<ShareStatus>>;
  stopSharing(): Promise<Envelope<ShareStatus>>;
  inviteTeammate(request: TeammateRequest): Promise<Envelope<TeammateInvite>>;
  preferences(): Promise<Envelope<DesktopPreferences>>;
  setPreferences(patch: Partial<DesktopPreferences>): Promise<Envelope<DesktopPreferences>>;
  tunnels(): Promise<Envelope<TunnelInfo[]>>;
  addTunnel(request: TunnelRequest): Promise<Envelope<TunnelInfo[]>>;
  removeTunnel(name: string): Promise<Envelope<TunnelInfo[]>>;
  setTunnelRunning(name: string, running: boolean): Promise<Envelope<TunnelInfo[]>>;
  /** Hubs, sharing or preferences changed (in the tray or another window); returns the unsubscribe. */
  onChange(listener: () => void): () => void;
  /** The tray asks for a page (New workspace…, Open Admin, Settings, Tunnels, Share); returns the unsubscribe. */
  onShow(listener: (request: ShowRequest) => void): () => void;
  /** Output and the end of open terminals; returns the unsubscribe. */
  onTerminal(listener: (event: TerminalEvent) => void): () => void;
}

/** A terminal's output, or its end (`reason`: "exit 3", or why it was refused or lost). */
export type TerminalEvent = { id: string; kind: 'data'; data: Uint8Array } | { id: string; kind: 'end'; normal: boolean; reason: string };

/** A page the tray opens the main window on; `hub` is the hub it is about, when it is about one. */
export interface ShowRequest {
  page: 'workspaces' | 'new-workspace' | 'admin' | 'settings' | 'tunnels' | 'share';
  hub: string | null;
}

/** Exactly what window.hubdeckDesktop has; a test checks the preload against it. */
export const DESKTOP_KEYS = [
  'hubs', 'selectHub', 'joinHub', 'addHub', 'removeHub', 'openWorkspace', 'copySshCommand', 'openTerminal', 'terminalInput', 'terminalResize', 'closeTerminal', 'shareStatus', 'startSharing', 'stopSharing', 'inviteTeammate',
  'preferences', 'setPreferences', 'tunnels', 'addTunnel', 'removeTunnel', 'setTunnelRunning', 'onChange', 'onShow', 'onTerminal',
] as const satisfies readonly (keyof HubdeckDesktop)[];

/** Invoke channels, one per call (`desktop:<call>`), and the change notice main → renderer. */
export const DESKTOP_CHANNEL_PREFIX = 'desktop:';
export const DESKTOP_CHANGED = 'desktop:changed';
export const DESKTOP_SHOW = 'desktop:show';
export const DESKTOP_TERMINAL = 'desktop:terminal';
export type DesktopCall = Exclude<(typeof DESKTOP_KEYS)[number], 'onChange' | 'onShow' | 'onTerminal'>;
export const desktopChannel = (call: DesktopCall): string => `${DESKTOP_CHANNEL_PREFIX}${call}`;

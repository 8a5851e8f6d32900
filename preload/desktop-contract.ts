/**
 * The desktop-only extra interface (`window.hubdeckDesktop`): what exists only in the Electron app —
 * the hubs this app knows, joining by invite, embedded workspace windows, the ssh command, sharing
 * the local hub, preferences, tunnels. One table (DESKTOP_API, as main/api/endpoints.ts is for the
 * hub API) drives all of it: the type the renderer sees (HubdeckDesktop), the keys the preload
 * exposes (preload/desktop-bridge.ts), the arguments the main process validates before any handler
 * runs and the handlers' types (main/shell/desktop-api-ipc.ts). A new call is one entry here and
 * its handler beside the service it calls. Every call answers with an Envelope (errors cross
 * contextBridge as data). In a browser the object is absent and the pages fall back or explain.
 */
import { z } from 'zod';
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

export interface ShareStatus {
  sharing: boolean;
  url: string | null;
  fingerprint: string | null;
  sshAddress: string | null;
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

/** A terminal's output, or its end (`reason`: "exit 3", or why it was refused or lost). */
export type TerminalEvent = { id: string; kind: 'data'; data: Uint8Array } | { id: string; kind: 'end'; normal: boolean; reason: string };

/** A page the tray opens the main window on; `hub` is the hub it is about, when it is about one. */
export interface ShowRequest {
  page: 'workspaces' | 'new-workspace' | 'admin' | 'settings' | 'tunnels' | 'share';
  hub: string | null;
}

const key = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,39}$/, 'must be a hub key');
const name = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/, 'must be a workspace or user name');
const dimension = z.number().int().min(1, 'must be 1-1000').max(1000, 'must be 1-1000');
const terminalId = z.string().regex(/^t[0-9a-f]{16}$/, 'must be a terminal id');
/** Any Uint8Array (zod's own type would narrow it to one over an ArrayBuffer). */
const bytes: z.ZodType<Uint8Array> = z.instanceof(Uint8Array);
const quota = z.object({
  maxWorkspaces: z.number().int().min(0).nullable(), cpus: z.number().positive().nullable(), memory: z.number().int().positive().nullable(), gpus: z.number().int().min(0).nullable(),
}).partial().strict();

/** Adds a remote hub by address and token (the token goes to the keychain). */
export const hubRequestSchema = z.object({
  url: z.string().url().max(2048).refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL'),
  token: z.string().min(1).max(4096),
  /** SHA-256 of the hub's certificate (AB:CD:… or plain hex), for a self-signed one. */
  fingerprint: z.string().regex(/^([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/, 'must be a SHA-256 fingerprint (64 hex digits, colons optional)').nullable().optional(),
  /** Default "hubdeck"; "jupyterhub" connects an existing JupyterHub 3+ with a JupyterHub API token. */
  kind: z.enum(['hubdeck', 'jupyterhub']).optional(),
  /** The name the app shows it under (lower-case, digits, . _ -); default: the hub's id, or a JupyterHub's host name. */
  name: key.refine((k) => k !== 'local', 'is reserved for the local hub').optional(),
  /** JupyterHub only: how the New-workspace form becomes user_options (default json), and options sent with every create. */
  optionsForm: z.enum(['json', 'mlhub', 'profile']).optional(),
  defaultOptions: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/, 'must be an option key (letters, digits, _ . -)'), z.unknown())
    .refine((o) => JSON.stringify(o).length <= 16_384, 'must be at most 16 KiB of JSON').optional(),
}).strict();
export type HubRequest = z.input<typeof hubRequestSchema>;

/** A teammate to invite to the shared local hub. */
export const teammateRequestSchema = z.object({
  user: name,
  /** Create the user first, with these limits; absent: invite an existing user. */
  create: z.object({ selfService: z.boolean().optional(), quota: quota.optional() }).strict().optional(),
  /** Hours until the invite expires (default 24). */
  hours: z.number().positive().max(720).optional(),
}).strict();
export type TeammateRequest = z.infer<typeof teammateRequestSchema>;

/** The app's preferences (the settings file keeps them, with defaults: main/shell/settings-schema.ts). */
export const preferenceFields = {
  startAtLogin: z.boolean(),
  notifications: z.boolean(),
  theme: z.enum(['system', 'light', 'dark']),
  /** Where "Share this hub" listens (host:port); null: every LAN address, port 8585. */
  shareListen: z.string().regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]*):\d{1,5}$/, 'must be HOST:PORT').nullable(),
};
/** A change to some preferences: no defaults, so what is not named stays as it is. */
export const preferencesPatchSchema = z.object(preferenceFields).partial().strict();
export type DesktopPreferences = z.infer<z.ZodObject<typeof preferenceFields>>;

/** A new tunnel of the local hub: localhost:<local> → <workspace>:<remote>; the tunnel store's rules, a port ≥ 1024 here. */
export const tunnelRequestSchema = z.object({
  name, workspace: name,
  local: z.number().int().min(1024, 'must be 1024-65535 (no privileges needed)').max(65535, 'must be 1024-65535'),
  remote: z.number().int().min(1, 'must be a port (1-65535)').max(65535, 'must be a port (1-65535)'),
}).strict();
export type TunnelRequest = z.infer<typeof tunnelRequestSchema>;

/** What a call answers: a type only, nothing of it exists at run time. */
type Answer<R> = { readonly answer?: R };
const answers = <R>(): Answer<R> => ({});

/** A call: its argument tuple (validated in main) and what it answers; `withSender`: its handler gets the asking window too. */
export interface CallDef<A extends z.ZodTuple = z.ZodTuple, R = unknown, S extends boolean = boolean> extends Answer<R> {
  kind: 'call';
  args: A;
  withSender: S;
}
/** An event main sends the page on `channel`, with its payload's type. */
export interface EventDef<P = unknown> {
  kind: 'event';
  channel: string;
  readonly payload?: P;
}
const call = <A extends z.ZodTuple, R>(args: A, _: Answer<R>): CallDef<A, R, false> => ({ kind: 'call', args, withSender: false });
const senderCall = <A extends z.ZodTuple, R>(args: A, _: Answer<R>): CallDef<A, R, true> => ({ kind: 'call', args, withSender: true });
const event = <P>(channel: string): EventDef<P> => ({ kind: 'event', channel });

/** The one table of window.hubdeckDesktop: every call and event, in the order the preload exposes them. */
export const DESKTOP_API = {
  hubs: call(z.tuple([]), answers<HubSummary[]>()),
  /** Makes `key` the hub the main window talks to; the window reloads. */
  selectHub: call(z.tuple([key]), answers<null>()),
  joinHub: call(z.tuple([z.string().min(1).max(4096)]), answers<HubSummary>()),
  /** Adds a remote hub by address and token; fingerprint pins a self-signed certificate. */
  addHub: call(z.tuple([hubRequestSchema]), answers<HubSummary>()),
  removeHub: call(z.tuple([key]), answers<null>()),
  /** Opens a workspace of the hub the main window talks to, in its own window. */
  openWorkspace: call(z.tuple([name, name]), answers<null>()),
  /** Copies `ssh <alias>` to the clipboard and answers it. */
  copySshCommand: call(z.tuple([key, name]), answers<string>()),
  /**
   * Opens a shell in a workspace of the hub the main window talks to, relayed by the main process
   * (the page has no session with the hub, and its CSP allows no other host): answers the
   * terminal's id; output comes to onTerminal, to the window that asked.
   */
  openTerminal: senderCall(z.tuple([name, name, dimension, dimension]), answers<string>()),
  terminalInput: call(z.tuple([terminalId, bytes.refine((d) => d.length <= 1024 * 1024, 'must be at most 1 MiB')]), answers<null>()),
  terminalResize: call(z.tuple([terminalId, dimension, dimension]), answers<null>()),
  closeTerminal: call(z.tuple([terminalId]), answers<null>()),
  shareStatus: call(z.tuple([]), answers<ShareStatus>()),
  startSharing: call(z.tuple([]), answers<ShareStatus>()),
  stopSharing: call(z.tuple([]), answers<ShareStatus>()),
  inviteTeammate: call(z.tuple([teammateRequestSchema]), answers<TeammateInvite>()),
  preferences: call(z.tuple([]), answers<DesktopPreferences>()),
  setPreferences: call(z.tuple([preferencesPatchSchema]), answers<DesktopPreferences>()),
  /** The data directory's tunnels (the CLI's too); the app adds local-hub ones. */
  tunnels: call(z.tuple([]), answers<TunnelInfo[]>()),
  addTunnel: call(z.tuple([tunnelRequestSchema]), answers<TunnelInfo[]>()),
  removeTunnel: call(z.tuple([name]), answers<TunnelInfo[]>()),
  setTunnelRunning: call(z.tuple([name, z.boolean()]), answers<TunnelInfo[]>()),
  /** Hubs, sharing or preferences changed (in the tray or another window). */
  onChange: event<void>('desktop:changed'),
  /** The tray asks for a page (New workspace…, Open Admin, Settings, Tunnels, Share). */
  onShow: event<ShowRequest>('desktop:show'),
  /** Output and the end of open terminals. */
  onTerminal: event<TerminalEvent>('desktop:terminal'),
};

type Api = typeof DESKTOP_API;
export type DesktopKey = keyof Api;
export type DesktopCall = { [K in DesktopKey]: Api[K] extends CallDef ? K : never }[DesktopKey];
export type DesktopEvent = Exclude<DesktopKey, DesktopCall>;
/** What the page passes to a call, and what the handler gets after validation. */
export type DesktopArgs<K extends DesktopCall> = z.input<Api[K]['args']>;
export type DesktopParsedArgs<K extends DesktopCall> = z.output<Api[K]['args']>;
export type DesktopAnswer<K extends DesktopCall> = Api[K] extends Answer<infer R> ? R : never;
type Payload<K extends DesktopEvent> = Api[K] extends EventDef<infer P> ? P : never;

/** window.hubdeckDesktop: each call answers an envelope; each event `onX(listener)` returns its unsubscribe. */
export type HubdeckDesktop = { [K in DesktopCall]: (...args: DesktopArgs<K>) => Promise<Envelope<DesktopAnswer<K>>> }
  & { [K in DesktopEvent]: (listener: (payload: Payload<K>) => void) => () => void };

/** Exactly what window.hubdeckDesktop has: the table's keys. */
export const DESKTOP_KEYS = Object.keys(DESKTOP_API) as DesktopKey[];
export const isDesktopCall = (k: DesktopKey): k is DesktopCall => DESKTOP_API[k].kind === 'call';
export const DESKTOP_CALLS = DESKTOP_KEYS.filter(isDesktopCall);
export const DESKTOP_EVENTS = DESKTOP_KEYS.filter((k): k is DesktopEvent => !isDesktopCall(k));

/** Invoke channels, one per call (`desktop:<call>`), and the events main → renderer. */
export const DESKTOP_CHANNEL_PREFIX = 'desktop:';
export const desktopChannel = (c: DesktopCall): string => `${DESKTOP_CHANNEL_PREFIX}${c}`;
export const DESKTOP_CHANGED = DESKTOP_API.onChange.channel;
export const DESKTOP_SHOW = DESKTOP_API.onShow.channel;
export const DESKTOP_TERMINAL = DESKTOP_API.onTerminal.channel;

/**
 * The main-process side of window.hubdeckDesktop: one handler per call, every argument validated
 * with zod, the sender checked, answers and errors as envelopes. No electron import (ipcMain is
 * passed in), so tests drive it with an in-memory stand-in.
 */
import { z } from 'zod';
import { HubdeckError } from '../core/errors';
import { toWireError } from '../api/error-codes';
import type { Envelope } from '../api/ipc-bridge';
import type {
  DesktopCall, DesktopPreferences, HubRequest, HubSummary, ShareStatus, TeammateInvite, TeammateRequest, TunnelInfo, TunnelRequest,
} from '../../preload/desktop-contract';
import { desktopChannel } from '../../preload/desktop-contract';
import type { IpcMainLike, IpcSender } from './hub-api-ipc';
import { preferencesPatchSchema } from './settings-schema';

export interface DesktopHandlers {
  hubs(): Promise<HubSummary[]>;
  selectHub(key: string, sender: IpcSender): Promise<null>;
  joinHub(invite: string): Promise<HubSummary>;
  addHub(r: HubRequest): Promise<HubSummary>;
  removeHub(key: string): Promise<null>;
  openWorkspace(hub: string, user: string, name: string): Promise<null>;
  copySshCommand(hub: string, name: string): Promise<string>;
  openTerminal(hub: string, user: string, name: string, cols: number, rows: number, sender: IpcSender): Promise<string>;
  terminalInput(id: string, data: Uint8Array): Promise<null>;
  terminalResize(id: string, cols: number, rows: number): Promise<null>;
  closeTerminal(id: string): Promise<null>;
  shareStatus(): Promise<ShareStatus>;
  startSharing(): Promise<ShareStatus>;
  stopSharing(): Promise<ShareStatus>;
  inviteTeammate(r: TeammateRequest): Promise<TeammateInvite>;
  preferences(): Promise<DesktopPreferences>;
  setPreferences(patch: Partial<DesktopPreferences>): Promise<DesktopPreferences>;
  tunnels(): Promise<TunnelInfo[]>;
  addTunnel(r: TunnelRequest): Promise<TunnelInfo[]>;
  removeTunnel(name: string): Promise<TunnelInfo[]>;
  setTunnelRunning(name: string, running: boolean): Promise<TunnelInfo[]>;
}

const key = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,39}$/, 'must be a hub key');
const name = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/, 'must be a workspace or user name');
const dimension = z.number().int().min(1, 'must be 1-1000').max(1000, 'must be 1-1000');
const terminalId = z.string().regex(/^t[0-9a-f]{16}$/, 'must be a terminal id');
const quota = z.object({
  maxWorkspaces: z.number().int().min(0).nullable(), cpus: z.number().positive().nullable(), memory: z.number().int().positive().nullable(), gpus: z.number().int().min(0).nullable(),
}).partial().strict();

/** The argument tuple of each call. */
export const DESKTOP_ARGS = {
  hubs: z.tuple([]),
  selectHub: z.tuple([key]),
  joinHub: z.tuple([z.string().min(1).max(4096)]),
  addHub: z.tuple([z.object({
    url: z.string().url().max(2048).refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL'),
    token: z.string().min(1).max(4096),
    fingerprint: z.string().regex(/^([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/, 'must be a SHA-256 fingerprint (64 hex digits, colons optional)').nullable().optional(),
    kind: z.enum(['hubdeck', 'jupyterhub']).optional(),
    name: key.refine((k) => k !== 'local', 'is reserved for the local hub').optional(),
    optionsForm: z.enum(['json', 'mlhub', 'profile']).optional(),
    defaultOptions: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/, 'must be an option key (letters, digits, _ . -)'), z.unknown())
      .refine((o) => JSON.stringify(o).length <= 16_384, 'must be at most 16 KiB of JSON').optional(),
  }).strict()]),
  removeHub: z.tuple([key]),
  openWorkspace: z.tuple([key, name, name]),
  copySshCommand: z.tuple([key, name]),
  openTerminal: z.tuple([key, name, name, dimension, dimension]),
  terminalInput: z.tuple([terminalId, z.instanceof(Uint8Array).refine((d) => d.length <= 1024 * 1024, 'must be at most 1 MiB')]),
  terminalResize: z.tuple([terminalId, dimension, dimension]),
  closeTerminal: z.tuple([terminalId]),
  shareStatus: z.tuple([]),
  startSharing: z.tuple([]),
  stopSharing: z.tuple([]),
  inviteTeammate: z.tuple([z.object({
    user: name,
    create: z.object({ selfService: z.boolean().optional(), quota: quota.optional() }).strict().optional(),
    hours: z.number().positive().max(720).optional(),
  }).strict()]),
  preferences: z.tuple([]),
  setPreferences: z.tuple([preferencesPatchSchema]),
  tunnels: z.tuple([]),
  // The same rules as the tunnel store (and `hubdeck tunnel add`): a name, a port ≥ 1024 here.
  addTunnel: z.tuple([z.object({
    name, workspace: name,
    local: z.number().int().min(1024, 'must be 1024-65535 (no privileges needed)').max(65535, 'must be 1024-65535'),
    remote: z.number().int().min(1, 'must be a port (1-65535)').max(65535, 'must be a port (1-65535)'),
  }).strict()]),
  removeTunnel: z.tuple([name]),
  setTunnelRunning: z.tuple([name, z.boolean()]),
} satisfies Record<DesktopCall, z.ZodType>;

function parsed(call: DesktopCall, args: unknown[]): unknown[] {
  const r = DESKTOP_ARGS[call].safeParse(args);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new HubdeckError('invalid', `invalid arguments to ${call}: ${i.path.join('.') || 'arguments'}: ${i.message}`);
  }
  return r.data as unknown[];
}

/**
 * Registers every call. `allowed(sender)` refuses frames that are not the app's own window (a
 * workspace window has no preload, but a check costs nothing and survives mistakes).
 */
export function registerDesktopApi(ipc: IpcMainLike, allowed: (sender: IpcSender) => boolean, h: DesktopHandlers): void {
  for (const call of Object.keys(DESKTOP_ARGS) as DesktopCall[]) {
    ipc.handle(desktopChannel(call), async (e, ...args): Promise<Envelope<unknown>> => {
      try {
        if (!allowed(e.sender)) throw new HubdeckError('forbidden', 'this window may not use the desktop API');
        const a = parsed(call, args);
        const fn = h[call] as (...x: unknown[]) => Promise<unknown>;
        // Calls that answer to the window that asked get its sender too.
        const value = await fn.apply(h, call === 'selectHub' || call === 'openTerminal' ? [...a, e.sender] : a);
        return { ok: true, value };
      } catch (err) {
        return { ok: false, error: toWireError(err) };
      }
    });
  }
}

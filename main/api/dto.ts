/**
 * The shapes that cross the API (REST JSON, IPC, the in-process client alike): this file's own
 * (what a hub is, a workspace sign-in) and, re-exported, those of each concept's file. The API
 * owns them all: nothing here comes from the hub, whose stored rows are mapped onto these by
 * main/hub/to-wire.ts. Engine shapes are imported as types only (erased at build time), so this
 * module stays environment-neutral.
 */
import type { HubCapabilities } from './capabilities';
import type { Capacity, EngineCapabilities, EngineNode, EngineKind, ProgressEvent, WorkspaceRef, WorkspaceStats } from '../engine/engine';

export type { Capacity, EngineCapabilities, ProgressEvent, WorkspaceRef, WorkspaceStats };
export type { CreatedToken, DirectoryLink, GroupRecord, Quota, SshKeyRecord, TokenView, UserView } from './user-dto';
export type { ImageAvailability, ImageDefaults, ImageRecord, Settings } from './image-dto';
export type { CleanupReason, CleanupReport, StatsBatch, StatsSample, UsagePoint, UsageSeries, WorkspaceView } from './workspace-dto';
export type { CreatedInvite, HubAddress, InviteView, RedeemedInvite } from './invite-dto';

export interface HubInfo {
  hubId: string;
  version: string;
  /** The hub's engine; null on a connected JupyterHub (its spawner is its own business). */
  engine: {
    kind: EngineKind; description: string; capabilities: EngineCapabilities;
    /** The nodes that take workspaces now, with what each has (absent from hubs before 0.1). */
    nodes?: EngineNode[];
  } | null;
  /** Who the client acts as. */
  user: { name: string; admin: boolean };
  /** What the hub can do (main/api/capabilities.ts): what every UI asks before offering something. */
  capabilities: HubCapabilities;
  /**
   * The hub's SSH gateway: its host key (the same for every process serving this hub) and where it
   * listens — null when no process serves it on a port (then `hubdeck ssh-proxy` runs it on demand).
   */
  ssh: {
    hostKey: string; fingerprint: string; listen: string | null;
    /**
     * Every host key the gateway may show ("type AAAA…" and its SHA256 fingerprint), ed25519 first:
     * all go into known_hosts, so whichever the client negotiates is known. Absent from older hubs.
     */
    hostKeys?: { key: string; fingerprint: string }[];
    /** The hub part of ssh host aliases (`<workspace>.<alias>`): "hubdeck" for the local hub, else the hub id. */
    alias: string;
  } | null;
  /**
   * Set only on a connected JupyterHub: what the UI needs to offer just what that hub allows. It has
   * no event stream, so its state is polled every `pollSeconds` (longer while it does not answer).
   */
  jupyterhub?: JupyterHubInfo;
  /**
   * Where the hub's pages and its workspaces' pages are, when a process serves them (null: none
   * does — the CLI's local hub without the app). `workspaceHost` is the wildcard each workspace's
   * own origin is under (`*.localhost`, `*.ws.example.org`); null in path mode, where every
   * workspace shares the hub's origin (unsafe, `--workspace-paths`). Absent on a connected JupyterHub.
   */
  web?: { hub: string; workspaceHost: string | null } | null;
}

/** A one-time sign-in to one workspace's own origin (Open, `hubdeck workspace open`). */
export interface WorkspaceSignIn {
  /** The workspace's address (its origin and base path); what a browser shows once signed in. */
  url: string;
  /** A link that signs a browser in to the workspace once, within `expiresAt`, and lands on `url`. */
  signInUrl: string;
  /** The code alone, for a program that redeems it itself (POST to the workspace origin's sign-in path). */
  code: string;
  expiresAt: string;
}

export interface JupyterHubInfo {
  version: string;
  pollSeconds: number;
  /** How the New-workspace form maps to user_options (json, mlhub, profile), and what every create sends. */
  optionsForm: 'json' | 'mlhub' | 'profile';
  defaultOptions: Record<string, unknown>;
  /** Scopes the token lacks for what the connector does ("servers", "tokens"): empty when it has all. */
  missingScopes: string[];
}

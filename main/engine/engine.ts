/**
 * The one interface every backend (Docker, Swarm, Kubernetes) implements. The hub and the access
 * layer depend on this file only. Workspaces are addressed by (user, name); the engine finds its
 * objects by labels, never by remembered ids, so a fresh instance sees what another created.
 */
import type { Duplex, Readable, Writable } from 'node:stream';
import type { WorkspaceSpec } from '../core/workspace-spec';

export type EngineKind = 'docker' | 'swarm' | 'kubernetes';

export type WorkspaceState =
  | 'creating'
  | 'starting'
  | 'running'
  | 'stopping'
  | 'stopped'
  | 'restarting'
  | 'paused'
  | 'failed'
  | 'removing'
  | 'unknown';

export interface WorkspaceRef {
  user: string;
  name: string;
}

export interface Workspace {
  /** The engine's own id (container id, service id, pod uid). */
  id: string;
  origin: string;
  user: string;
  name: string;
  state: WorkspaceState;
  /** Why the state is what it is, when the engine says (exit code, OOM, pull error). */
  status: string;
  /** The normalized spec read back from labels; null when the labels were damaged. */
  spec: WorkspaceSpec | null;
  image: string;
  createdAt: string;
  startedAt: string | null;
  expiresAt: string | null;
  baseUrl: string;
  network: string | null;
  volume: string | null;
}

/** Progress while a workspace is being created, for a UI's progress bar (JupyterHub-style). */
export type ProgressEvent =
  | { phase: 'pull'; image: string; percent: number; message: string; layers: LayerProgress[] }
  | { phase: 'create' | 'start' | 'ready'; percent: number; message: string };

export interface LayerProgress {
  id: string;
  status: string;
  current: number;
  total: number;
}

export interface CreateOptions {
  onProgress?: (e: ProgressEvent) => void;
  /** Start the workspace after creating it (default true). */
  start?: boolean;
  signal?: AbortSignal;
}

export interface WorkspaceStats {
  cpuPercent: number;
  /** Number of CPUs the percentage is relative to (100% = one CPU fully used). */
  onlineCpus: number;
  memoryUsed: number;
  memoryLimit: number;
  at: string;
}

export interface LogOptions {
  tail?: number;
  follow?: boolean;
  timestamps?: boolean;
  signal?: AbortSignal;
}

export interface ExecOptions {
  cmd: string[];
  tty?: boolean;
  env?: Record<string, string>;
  user?: string;
  workdir?: string;
  /** Attach stdin (interactive sessions). */
  stdin?: boolean;
  cols?: number;
  rows?: number;
}

export interface ExecSession {
  /** Present when `stdin` was asked for. */
  stdin: Writable | null;
  stdout: Readable;
  /** With a TTY, stderr is merged into stdout and this stream stays empty. */
  stderr: Readable;
  resize(cols: number, rows: number): Promise<void>;
  /** Resolves with the exit code once the process has ended. */
  exitCode(): Promise<number>;
}

export interface Capacity {
  cpus: number;
  memory: number;
  gpus: number;
  /** Human description of the engine (version, host) for UIs and `hub info`. */
  description: string;
}

export interface StopOptions {
  /** Seconds to wait after SIGTERM before killing (default 10). */
  timeoutSeconds?: number;
}

export interface RemoveOptions {
  /** Also delete the persistent data volume (default: keep it). */
  deleteData?: boolean;
}

export interface WaitReadyOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Anything the engine created for this hub, for cleanup: workspaces, data volumes, networks. */
export interface EngineResource {
  kind: 'workspace' | 'volume' | 'network';
  /** Engine id or name, enough for removeResource(). */
  id: string;
  name: string;
  user: string;
  /** The workspace it belongs to (workspaces and volumes). */
  workspace: string | null;
  /** Networks: whether any container uses it; volumes: whether its workspace exists. */
  inUse: boolean;
}

export interface WorkspaceEngine {
  readonly kind: EngineKind;
  /** The hub id whose objects this engine manages (label hubdeck.io/origin). */
  readonly origin: string;

  create(spec: WorkspaceSpec, opts?: CreateOptions): Promise<Workspace>;
  start(ref: WorkspaceRef): Promise<Workspace>;
  stop(ref: WorkspaceRef, opts?: StopOptions): Promise<Workspace>;
  restart(ref: WorkspaceRef, opts?: StopOptions): Promise<Workspace>;
  remove(ref: WorkspaceRef, opts?: RemoveOptions): Promise<void>;
  get(ref: WorkspaceRef): Promise<Workspace | null>;
  list(filter?: { user?: string }): Promise<Workspace[]>;

  stats(ref: WorkspaceRef): Promise<WorkspaceStats>;
  streamStats(ref: WorkspaceRef, signal?: AbortSignal): AsyncIterable<WorkspaceStats>;
  logs(ref: WorkspaceRef, opts?: LogOptions): AsyncIterable<string>;
  exec(ref: WorkspaceRef, opts: ExecOptions): Promise<ExecSession>;
  capacity(): Promise<Capacity>;

  /** Everything carrying this hub's origin label. */
  resources(): Promise<EngineResource[]>;
  /** Removes one resource found by resources() (a workspace is removed with force). */
  removeResource(r: EngineResource): Promise<void>;

  /** A byte stream to `port` inside the workspace, however far away the engine is. */
  connect(ref: WorkspaceRef, port: number): Promise<Duplex>;
  /** Resolves once the web port answers HTTP; rejects with the last log lines otherwise. */
  waitReady(ref: WorkspaceRef, opts?: WaitReadyOptions): Promise<void>;
  /** The secret the workspace's web app expects (Jupyter token); used by the proxy and probes. */
  webToken(ref: WorkspaceRef): Promise<string | null>;

  close(): Promise<void>;
}

/**
 * The one interface every backend (Docker, Swarm, Kubernetes, and the in-memory fake) implements,
 * version 2. The hub and the access layer depend on this file only. Workspaces are addressed by
 * (user, name); the engine finds its objects by labels, never by remembered ids, so a fresh
 * instance sees what another created — including expiry changes, which live on the engine too.
 */
import type { Duplex, Readable, Writable } from 'node:stream';
import type { GpuRequest } from '../core/gpus';
import type { ResourceKind } from '../core/labels';
import type { WorkspaceSpec } from '../core/workspace-spec';

export type EngineKind = 'docker' | 'swarm' | 'kubernetes' | 'fake';

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

/** Limits as the engine enforces them, read from its own objects (not from our labels). */
export interface EngineLimits {
  cpus: number | null;
  memory: number | null;
  gpus: GpuRequest | null;
}

export interface Workspace {
  /** Stable for the workspace's life, across stop/start (container id, service id, pod-owner uid). */
  id: string;
  origin: string;
  user: string;
  name: string;
  state: WorkspaceState;
  /** Why the state is what it is, when the engine says (exit code, OOM, pull error). */
  status: string;
  /** The normalized spec read back from labels (older versions upgraded); null when unreadable. */
  spec: WorkspaceSpec | null;
  /** Why `spec` is null (damaged labels, a newer Hubdeck's spec); null when it is not. */
  specIssue: string | null;
  /**
   * The enforced limits, where the engine reports them on this read (`get` does; `list` may give
   * null to stay one cheap call). The hub falls back to them when `spec` is null.
   */
  limits: EngineLimits | null;
  image: string;
  createdAt: string;
  startedAt: string | null;
  /** The current expiry: setExpiry's value, else the one given at creation. */
  expiresAt: string | null;
  baseUrl: string;
  network: string | null;
  volume: string | null;
  /** The node it runs on (or last ran on), where the engine has nodes. */
  node: string | null;
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
  /** Extra environment; engines without native support emulate it (engine/exec-wrap.ts). */
  env?: Record<string, string>;
  /** Working directory; emulated likewise where the engine lacks it. */
  workdir?: string;
  /** Attach stdin (interactive sessions). */
  stdin?: boolean;
  cols?: number;
  rows?: number;
  /**
   * The caller gave up (its client left): engines that can check it between creating and starting
   * the exec never start the process. Whatever did start is still the caller's to close().
   */
  signal?: AbortSignal;
}

export interface ExecSession {
  /** Present when `stdin` was asked for. */
  stdin: Writable | null;
  stdout: Readable;
  /** With a TTY, stderr is merged into stdout and this stream stays empty. */
  stderr: Readable;
  resize(cols: number, rows: number): Promise<void>;
  /** Resolves with the exit code once the process has ended (-1 when it cannot be told). */
  exitCode(): Promise<number>;
  /**
   * Ends the process and everything it started (SIGTERM, then SIGKILL after a grace period) and
   * the streams. Idempotent. Gateways and terminals call it when their client goes, so no process
   * outlives its session.
   */
  close(): Promise<void>;
  /**
   * Sends a signal (a name from SIGNALS in exec-wrap.ts, e.g. "INT") to the process and all it
   * started, as an SSH client's `signal` request asks. Engines that cannot leave it out.
   */
  signal?(name: string): Promise<void>;
}

/**
 * Which of the workspace's addresses connect() dials. 'address' (the default) is its own network
 * address, where its web app listens for the proxy: the cheapest path. 'loopback' is its
 * 127.0.0.1, as a process inside it would dial: what `ssh -L P:localhost:X`, tunnels and port
 * streams mean, so that services bound to loopback only (TensorBoard, VS Code's server) answer.
 */
export type ConnectTarget = 'address' | 'loopback';

export interface ConnectOptions {
  to?: ConnectTarget;
}

/** One machine workspaces can run on; single-host engines have exactly one. */
export interface EngineNode {
  name: string;
  cpus: number;
  memory: number;
  gpus: number;
  labels: Record<string, string>;
}

export interface Capacity {
  nodes: EngineNode[];
  /** Human description of the engine (version, host) for UIs and `hub info`. */
  description: string;
}

/** What an engine can honour, so the hub refuses a spec it cannot before creating anything. */
export interface EngineCapabilities {
  /** GPU request forms: all, a count, device ids. Empty: no GPUs at all. */
  gpuRequests: GpuRequest['kind'][];
  /** Native exec env and working directory (others are emulated through a shell). */
  execEnv: boolean;
  execWorkdir: boolean;
  /** Placement constraints on node labels. */
  placement: boolean;
  /** Reservations (guaranteed resources) per resource. */
  reservations: { cpus: boolean; memory: boolean };
  /** setExpiry keeps the new expiry on the engine's objects. */
  mutableExpiry: boolean;
  /** Host-path bind mounts (the hub still requires the admin allow-list). */
  bindMounts: boolean;
}

/** Everything an engine can honour; each backend's table says only where it falls short of this. */
export const ALL_CAPABILITIES: EngineCapabilities = {
  gpuRequests: ['all', 'count', 'devices'],
  execEnv: true,
  execWorkdir: true,
  placement: true,
  reservations: { cpus: true, memory: true },
  mutableExpiry: true,
  bindMounts: true,
};

/** What an image reference resolves to on the engine, for access checks that ids cannot dodge. */
export interface ImageInfo {
  id: string;
  /** repo:tag names of the image. */
  tags: string[];
  /** repo@sha256:… names of the image. */
  digests: string[];
}

/**
 * Whether an image can run on this engine, checked without pulling: `present` (the engine has it),
 * `pullable` (its registry answers for that name and tag), `missing` (the registry answers, but not
 * for it), `unreachable` (the registry cannot be reached from the engine), or `unknown` (this engine
 * cannot ask without pulling: Kubernetes' nodes pull, not the hub).
 */
export type ImageAvailabilityState = 'present' | 'pullable' | 'missing' | 'unreachable' | 'unknown';

export interface ImageAvailability {
  state: ImageAvailabilityState;
  /** Why, in the engine's words, for anything but `present` (null when there is nothing to say). */
  detail: string | null;
}

export interface StopOptions {
  /** Seconds to wait after SIGTERM before killing (default 10). */
  timeoutSeconds?: number;
}

export interface RemoveOptions {
  /** Also delete the persistent data volume (default: keep it). */
  deleteData?: boolean;
}

/**
 * Anything the engine created for this hub, for cleanup: workspaces, data volumes, user volumes,
 * networks, and engine-specific objects (services, claims, secrets).
 */
export interface EngineResource {
  kind: ResourceKind;
  /** Engine id or name, enough for removeResource(). */
  id: string;
  name: string;
  user: string;
  /** The workspace it belongs to, for per-workspace objects. */
  workspace: string | null;
  /** Networks: whether anything uses them; data volumes: whether their workspace exists. */
  inUse: boolean;
  /** The node it lives on, for node-local objects (Docker volumes on a Swarm node); else null. */
  location: string | null;
  /** Removal order: lower first (a workspace before its volume, a volume before its network). */
  order: number;
}

export interface WorkspaceEngine {
  readonly kind: EngineKind;
  /** The hub id whose objects this engine manages (label hubdeck.io/origin). */
  readonly origin: string;
  readonly capabilities: EngineCapabilities;

  create(spec: WorkspaceSpec, opts?: CreateOptions): Promise<Workspace>;
  start(ref: WorkspaceRef): Promise<Workspace>;
  stop(ref: WorkspaceRef, opts?: StopOptions): Promise<Workspace>;
  restart(ref: WorkspaceRef, opts?: StopOptions): Promise<Workspace>;
  remove(ref: WorkspaceRef, opts?: RemoveOptions): Promise<void>;
  get(ref: WorkspaceRef): Promise<Workspace | null>;
  list(filter?: { user?: string }): Promise<Workspace[]>;
  /** Records a new expiry (null: never) on the workspace's own objects; needs mutableExpiry. */
  setExpiry(ref: WorkspaceRef, expiresAt: string | null): Promise<Workspace>;

  /** One sample; the hub samples repeatedly for a live view. */
  stats(ref: WorkspaceRef): Promise<WorkspaceStats>;
  logs(ref: WorkspaceRef, opts?: LogOptions): AsyncIterable<string>;
  exec(ref: WorkspaceRef, opts: ExecOptions): Promise<ExecSession>;
  capacity(): Promise<Capacity>;

  /** Everything carrying this hub's origin label. */
  resources(): Promise<EngineResource[]>;
  /** Removes one resource found by resources() (a workspace is removed with force). */
  removeResource(r: EngineResource): Promise<void>;

  /**
   * A byte stream to `port` inside the workspace, however far away the engine is. It never emits
   * 'error' for a plain destroy(), and an error nobody listens for is not fatal (connect-stream.ts).
   */
  connect(ref: WorkspaceRef, port: number, opts?: ConnectOptions): Promise<Duplex>;
  /** The secret the workspace's web app expects (Jupyter token); used by the proxy and probes. */
  webToken(ref: WorkspaceRef): Promise<string | null>;
  /**
   * The image a reference (tag, digest, id or short id) names on this engine, with all its names;
   * null when the engine does not have it (a create would pull it by that reference).
   */
  imageInfo(ref: string): Promise<ImageInfo | null>;
  /** Whether `ref` can run here, asked without pulling it (see ImageAvailability; a few seconds at most). */
  imageAvailability(ref: string): Promise<ImageAvailability>;
  /** The repo:tag names of the images the engine already has, sorted: what runs without a registry. */
  presentImages(): Promise<string[]>;

  close(): Promise<void>;
}

/** Engine configuration as `hub serve`, the local hub and tests give it to createEngine(). */
export type EngineConfig =
  | { kind: 'docker'; origin: string; host?: string; env?: Record<string, string | undefined>; connectMode?: 'auto' | 'direct' | 'ssh' | 'exec' }
  | { kind: 'fake'; origin: string; nodes?: EngineNode[] }
  | {
    kind: 'swarm'; origin: string; host?: string; env?: Record<string, string | undefined>; connectMode?: 'auto' | 'direct' | 'ssh' | 'exec';
    /** Swarm constraints/spread preferences for every workspace, and per image as `IMAGE=RULE`. */
    placement?: { constraints?: string[]; preferences?: string[]; imageConstraints?: string[]; imagePreferences?: string[] };
    /** `NODE=DOCKER_HOST` lines: how to reach other nodes' engines (exec, logs, connect there). */
    nodeHosts?: string[];
    gpuKind?: string;
    volumeDriver?: string;
  }
  | {
    kind: 'kubernetes'; origin: string;
    /** A kubeconfig file (default: KUBECONFIG, ~/.kube/config, or the pod's service account), a context in it, a namespace. */
    kubeconfig?: string; context?: string; namespace?: string; env?: Record<string, string | undefined>;
    /** StorageClass and size of data volumes (default: the cluster's default class, 10Gi). */
    storageClass?: string; volumeSize?: string;
    connectMode?: 'auto' | 'port-forward' | 'pod-ip';
    startTimeoutMs?: number;
  };

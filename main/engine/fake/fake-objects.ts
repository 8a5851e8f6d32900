/**
 * What a FakeWorld holds, shaped like a container daemon's objects: containers (workspaces),
 * volumes and networks, each carrying its labels. Labels are the truth an engine reads back, as on
 * Docker; the other fields are what a daemon knows about its own objects (config, state, logs).
 */
import type { EngineLimits, WorkspaceState } from '../engine';
import type { FileStore } from './fake-fs';

export interface LogLine {
  at: string;
  stream: 'stdout' | 'stderr';
  /** One line, without its newline. */
  text: string;
}

/** How the fake "image" behaves once started, like the busybox test image's FAIL_WITH and HANG. */
export type Behaviour = { kind: 'web' } | { kind: 'hang' } | { kind: 'fail'; message: string; exitCode: number };

export interface KernelInfo {
  id: string;
  name: string;
  last_activity: string;
  execution_state: 'idle' | 'busy' | 'starting';
  connections: number;
}

/** The workspace's web app, as Jupyter reports it through /api/status and /api/kernels. */
export interface AppActivityState {
  lastActivity: string;
  kernels: KernelInfo[];
}

export interface ContainerMount {
  target: string;
  readOnly: boolean;
  /** A world volume by name, or a host path (bind mount) in world.host. */
  volume?: string;
  hostPath?: string;
}

export interface FakeContainer {
  id: string;
  name: string;
  labels: Record<string, string>;
  image: string;
  createdAt: string;
  startedAt: string | null;
  /** The last start, kept while stopped, so a restart's start time is always later. */
  lastStartedAt: string | null;
  state: WorkspaceState;
  status: string;
  node: string;
  network: string | null;
  /** The data volume, mounted at `workdir`. */
  volume: string | null;
  /** setExpiry's value (null: never); undefined until set, then the labels' expiry applies. */
  expiryOverride?: string | null;
  /** Limits as the "daemon" enforces them; null when unknown. */
  limits: EngineLimits | null;
  env: Record<string, string>;
  webPort: number;
  /** The image's working directory (the data volume's path, as in the test image). */
  workdir: string;
  /** JUPYTER_TOKEN; null when the web app asks for none. */
  token: string | null;
  mounts: ContainerMount[];
  /** The container's own writable layer: kept across stop/start, gone on remove. */
  files: FileStore;
  logs: LogLine[];
  behaviour: Behaviour;
  app: AppActivityState;
  load: { cpuPercent: number; memoryUsed: number };
}

export interface FakeVolume {
  name: string;
  labels: Record<string, string>;
  createdAt: string;
  files: FileStore;
}

export interface FakeNetwork {
  id: string;
  name: string;
  labels: Record<string, string>;
}

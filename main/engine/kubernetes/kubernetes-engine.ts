/**
 * The Kubernetes backend of WorkspaceEngine, on @kubernetes/client-node 1.4 (docs/architecture.md "Workspaces and labels",
 * KubeSpawner). A workspace is a root Service (spec and expiry in its annotations) owning a Secret
 * (web token), a data PVC and — while running — a Pod; a NetworkPolicy per user keeps users apart.
 * Stop deletes the pod and keeps the rest; remove keeps the data unless asked (the PVC is
 * released from the root first). State and readiness come from Watches; exec, logs and
 * port-forward go over the API server. Everything is found by labels or by names derived from
 * them, so a fresh engine sees what another created. Claims: kube-workspace-claims.ts.
 */
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { PatchStrategy, setHeaderOptions, type V1Node, type V1Pod, type V1Service } from '@kubernetes/client-node';
import { HubdeckError } from '../../core/errors';
import { decodeWorkspaceLabels, LABELS, NEVER } from '../../core/labels';
import { formatPlacement, placementMatches } from '../../core/placement';
import type { WorkspaceSpec } from '../../core/workspace-spec';
import type {
  ConnectOptions, Capacity, CreateOptions, EngineCapabilities, EngineNode, EngineResource, ExecOptions, ExecSession, ImageAvailability, ImageInfo, LogOptions, RemoveOptions, StopOptions,
  Workspace, WorkspaceEngine, WorkspaceRef, WorkspaceStats,
} from '../engine';
import { ALL_CAPABILITIES } from '../engine';
import { openKubeClient, type KubeClient, type KubeClientOptions } from './kube-client';
import { connectPod, type KubeConnectMode, type PodRoute } from './kube-connect';
import { kubeCalls } from './kube-errors';
import { kubeExec } from './kube-exec';
import { imageGroups, resolveImage } from './kube-images';
import { encodeLabelValue, selector } from './kube-labels';
import { podLogs } from './kube-logs';
import { kubeNames } from './kube-names';
import { checkGpus, GPU_RESOURCE, planNetworkPolicy, planPod, planRoot, planSecret, planUserClaims, tokenFromSecret, type StorageSettings } from './kube-plan';
import { deletePod, startPod, type PodContext } from './kube-pod';
import { cpusFrom, parseQuantity } from './kube-quantity';
import { listResources } from './kube-resources';
import { metaOf, podState, toWorkspace } from './kube-state';
import { podStats } from './kube-stats';
import { WorkspaceClaims, type Undo } from './kube-workspace-claims';

export interface KubernetesEngineOptions extends KubeClientOptions {
  /** Hub id stamped on everything created (label hubdeck.io/origin). */
  origin: string;
  /** StorageClass of data volumes; default: the cluster's default class. */
  storageClass?: string;
  /** Size requested for each data volume and named volume (default 10Gi). */
  volumeSize?: string;
  /** auto: pod IP when the hub runs in the cluster, else port-forward through the API server. */
  connectMode?: KubeConnectMode | 'auto';
  /** How long a pod may take to run (scheduling, pulling) before the start fails (default 5 min). */
  startTimeoutMs?: number;
}

export const KUBERNETES_CAPABILITIES: EngineCapabilities = {
  ...ALL_CAPABILITIES,
  // nvidia.com/gpu is a countable resource: no device ids, no "all of the node's".
  gpuRequests: ['count'],
  // Kubernetes exec takes neither: emulated through exec-wrap.ts.
  execEnv: false,
  execWorkdir: false,
  bindMounts: false,
};

const notFound = (ref: WorkspaceRef) => new HubdeckError('not_found', `workspace "${ref.name}" of ${ref.user} does not exist`);
const notRunning = (ref: WorkspaceRef) => new HubdeckError('conflict', `workspace "${ref.name}" of ${ref.user} is not running`);
/** How long connect() trusts where it last found a running pod. */
const LOCATED_TTL_MS = 5_000;
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export class KubernetesEngine implements WorkspaceEngine {
  readonly kind = 'kubernetes' as const;
  readonly capabilities = KUBERNETES_CAPABILITIES;
  readonly origin: string;
  readonly client: KubeClient;
  private readonly calls: ReturnType<typeof kubeCalls>;
  private readonly storage: StorageSettings;
  private readonly connectMode: KubeConnectMode;
  private readonly pods: PodContext;
  private readonly claims: WorkspaceClaims;
  private readonly located = new Map<string, { pod: { name: string; ip: string | null }; until: number }>();

  constructor(opts: KubernetesEngineOptions) {
    this.origin = opts.origin;
    this.client = openKubeClient(opts);
    this.calls = kubeCalls(this.client.where);
    this.storage = { storageClass: opts.storageClass, volumeSize: opts.volumeSize ?? '10Gi' };
    this.connectMode = opts.connectMode && opts.connectMode !== 'auto' ? opts.connectMode : this.client.inCluster ? 'pod-ip' : 'port-forward';
    this.pods = { client: this.client, calls: this.calls, startTimeoutMs: opts.startTimeoutMs ?? 300_000 };
    this.claims = new WorkspaceClaims(this.pods, this.origin, this.storage);
  }

  private get ns(): string {
    return this.client.namespace;
  }

  private forget(ref: WorkspaceRef): void {
    this.located.delete(`${ref.user}/${ref.name}`);
  }

  private key(ref: WorkspaceRef) {
    return { origin: this.origin, user: ref.user, name: ref.name };
  }

  /** The root Service, when it is ours and this workspace's (a same-named stranger is not). */
  private async findRoot(ref: WorkspaceRef): Promise<V1Service | null> {
    const svc = await this.calls.ignoring([404], () => this.client.core.readNamespacedService({ name: kubeNames.root(this.key(ref)), namespace: this.ns }));
    const d = svc && decodeWorkspaceLabels(metaOf(svc));
    return d && d.origin === this.origin && d.user === ref.user && d.name === ref.name ? svc : null;
  }

  private async mustRoot(ref: WorkspaceRef): Promise<V1Service> {
    const root = await this.findRoot(ref);
    if (!root) throw notFound(ref);
    return root;
  }

  private readPod(ref: WorkspaceRef): Promise<V1Pod | null> {
    return this.calls.ignoring([404], () => this.client.core.readNamespacedPod({ name: kubeNames.pod(this.key(ref)), namespace: this.ns }));
  }

  /** The running pod of an existing workspace, or not_found / conflict. */
  private async runningPod(ref: WorkspaceRef): Promise<V1Pod> {
    const [root, pod] = await Promise.all([this.findRoot(ref), this.readPod(ref)]);
    if (!root) throw notFound(ref);
    if (!pod || podState(pod).state !== 'running') throw notRunning(ref);
    return pod;
  }

  async get(ref: WorkspaceRef): Promise<Workspace | null> {
    const [root, pod] = await Promise.all([this.findRoot(ref), this.readPod(ref)]);
    return root ? toWorkspace(root, pod, true) : null;
  }

  private async mustGet(ref: WorkspaceRef): Promise<Workspace> {
    const w = await this.get(ref);
    if (!w) throw notFound(ref);
    return w;
  }

  async list(filter: { user?: string } = {}): Promise<Workspace[]> {
    const labelSelector = selector({ [LABELS.origin]: this.origin, [LABELS.kind]: 'workspace', ...(filter.user ? { [LABELS.user]: filter.user } : {}) });
    const [roots, pods] = await Promise.all([
      this.calls.call(() => this.client.core.listNamespacedService({ namespace: this.ns, labelSelector })),
      this.calls.call(() => this.client.core.listNamespacedPod({ namespace: this.ns, labelSelector })),
    ]);
    const byName = new Map(pods.items.map((p) => [p.metadata?.name, p]));
    return roots.items
      .map((r) => toWorkspace(r, byName.get(r.metadata?.name) ?? null, false))
      .filter((w): w is Workspace => w !== null)
      .sort((a, b) => a.user.localeCompare(b.user) || a.name.localeCompare(b.name));
  }

  async create(spec: WorkspaceSpec, opts: CreateOptions = {}): Promise<Workspace> {
    const ref = { user: spec.user, name: spec.name };
    checkGpus(spec);
    const rootBody = planRoot(spec, this.origin); // refuses label values Kubernetes cannot hold, before anything exists
    if (await this.findRoot(ref)) throw new HubdeckError('conflict', `workspace "${spec.name}" of ${spec.user} already exists`, 'name');
    await this.checkPlacement(spec);
    opts.onProgress?.({ phase: 'create', percent: 5, message: `creating ${rootBody.metadata!.name}` });
    await this.ensureNetworkPolicy(spec.user);
    const created = await this.calls.call(() => this.client.core.createNamespacedService({ namespace: this.ns, body: rootBody })).catch((e: unknown) => {
      // The first write into the namespace is where a missing one shows: say that, not "not found".
      if (e instanceof HubdeckError && e.code === 'not_found') throw new HubdeckError('unavailable', `Kubernetes namespace "${this.ns}" does not exist (${this.client.where})`);
      throw e;
    });
    const root = { name: created.metadata!.name!, uid: created.metadata!.uid! };
    const undo: Undo = [];
    try {
      await this.calls.call(() => this.client.core.createNamespacedSecret({ namespace: this.ns, body: planSecret(spec, this.origin, root, randomBytes(24).toString('hex')) }));
      if (spec.volume) await this.claims.ensureData(spec, root, undo);
      for (const c of planUserClaims(spec, this.origin, this.storage)) await this.claims.ensureUser(c, spec.user, undo);
      opts.onProgress?.({ phase: 'create', percent: 100, message: 'objects created' });
      if (opts.start !== false) {
        opts.onProgress?.({ phase: 'create', percent: 100, message: 'waiting for the volume claims to be bound' });
        await this.claims.waitUsable(spec);
      }
      if (opts.start !== false) await startPod(this.pods, planPod(spec, this.origin, root), opts.onProgress, opts.signal);
    } catch (e) {
      for (const u of undo.reverse()) await u().catch(() => undefined);
      await this.deleteRoot(ref).catch(() => undefined);
      throw e;
    }
    const w = await this.mustGet(ref);
    if (w.state === 'running') opts.onProgress?.({ phase: 'ready', percent: 100, message: 'running' });
    return w;
  }

  private async nodes(): Promise<V1Node[]> {
    return (await this.calls.call(() => this.client.core.listNode({}))).items;
  }

  private async checkPlacement(spec: WorkspaceSpec): Promise<void> {
    if (Object.keys(spec.placement).length === 0) return;
    const nodes = await this.nodes();
    if (nodes.some((n) => placementMatches(spec.placement, n.metadata?.labels ?? {}))) return;
    throw new HubdeckError('invalid', `placement: no node of this cluster has the labels ${formatPlacement(spec.placement)}`, 'placement');
  }

  private async ensureNetworkPolicy(user: string): Promise<void> {
    await this.calls.ignoring([404, 409], () => this.client.net.createNamespacedNetworkPolicy({ namespace: this.ns, body: planNetworkPolicy(this.origin, user) }));
  }

  async start(ref: WorkspaceRef): Promise<Workspace> {
    this.forget(ref);
    const [root, pod] = await Promise.all([this.mustRoot(ref), this.readPod(ref)]);
    if (pod && podState(pod).state === 'running') return this.mustGet(ref);
    const d = decodeWorkspaceLabels(metaOf(root))!;
    if (!d.spec) throw new HubdeckError('conflict', `workspace "${ref.name}" of ${ref.user} cannot be started: ${d.specIssue ?? 'its spec is unreadable'}`);
    // An ended pod (crashed, or exited) is replaced, as `docker start` reruns an exited container.
    if (pod) await deletePod(this.pods, pod.metadata!.name!, 0);
    await this.claims.waitUsable(d.spec);
    await startPod(this.pods, planPod(d.spec, this.origin, { name: root.metadata!.name!, uid: root.metadata!.uid! }));
    return this.mustGet(ref);
  }

  async stop(ref: WorkspaceRef, opts: StopOptions = {}): Promise<Workspace> {
    this.forget(ref);
    await this.mustRoot(ref);
    await deletePod(this.pods, kubeNames.pod(this.key(ref)), opts.timeoutSeconds ?? 10);
    return this.mustGet(ref);
  }

  async restart(ref: WorkspaceRef, opts: StopOptions = {}): Promise<Workspace> {
    await this.stop(ref, opts);
    return this.start(ref);
  }

  /** The new expiry on the root: RFC 3339 annotation plus the selectable Unix-seconds label. */
  async setExpiry(ref: WorkspaceRef, expiresAt: string | null): Promise<Workspace> {
    await this.mustRoot(ref);
    const secs = expiresAt === null ? NEVER : String(Math.floor(Date.parse(expiresAt) / 1000));
    const body = {
      metadata: {
        labels: { [LABELS.expires]: encodeLabelValue(LABELS.expires, secs) },
        annotations: { [LABELS.expiresAt]: expiresAt === null ? NEVER : new Date(Date.parse(expiresAt)).toISOString() },
      },
    };
    await this.calls.call(() => this.client.core.patchNamespacedService({ name: kubeNames.root(this.key(ref)), namespace: this.ns, body }, merge));
    return this.mustGet(ref);
  }

  async remove(ref: WorkspaceRef, opts: RemoveOptions = {}): Promise<void> {
    this.forget(ref);
    const root = await this.findRoot(ref);
    const claim = kubeNames.claim(this.key(ref));
    const kept = opts.deleteData ? await this.claims.own(ref, claim) : null;
    if (!root && !kept) throw notFound(ref);
    if (root) {
      await deletePod(this.pods, kubeNames.pod(this.key(ref)), 0);
      if (!opts.deleteData) await this.claims.release(claim);
      await this.deleteRoot(ref);
    }
    if (kept) await this.claims.delete(claim);
  }

  private async deleteRoot(ref: WorkspaceRef): Promise<void> {
    const k = this.key(ref);
    await this.calls.ignoring([404], () => this.client.core.deleteNamespacedSecret({ name: kubeNames.secret(k), namespace: this.ns }));
    // Background propagation: the garbage collector removes anything else the root still owns.
    await this.calls.ignoring([404], () => this.client.core.deleteNamespacedService({ name: kubeNames.root(k), namespace: this.ns, propagationPolicy: 'Background' }));
  }

  async stats(ref: WorkspaceRef): Promise<WorkspaceStats> {
    const pod = await this.runningPod(ref);
    const node = await this.calls.call(() => this.client.core.readNode({ name: pod.spec!.nodeName! }));
    const size = nodeOf(node);
    return this.calls.call(() => podStats(this.client, pod, { cpus: size.cpus, memory: size.memory }));
  }

  async *logs(ref: WorkspaceRef, opts: LogOptions = {}): AsyncIterable<string> {
    const [root, pod] = await Promise.all([this.findRoot(ref), this.readPod(ref)]);
    if (!root) throw notFound(ref);
    if (!pod || !pod.status?.containerStatuses?.some((c) => c.state?.running || c.state?.terminated)) return;
    yield* podLogs(this.client, pod.metadata!.name!, opts, this.calls.call);
  }

  async exec(ref: WorkspaceRef, opts: ExecOptions): Promise<ExecSession> {
    const pod = await this.runningPod(ref);
    return this.calls.call(() => kubeExec(this.client, pod.metadata!.name!, opts));
  }

  /**
   * A proxy opens a connection per request, and the two lookups cost a fifth of a port-forwarded
   * request: where a running pod was found is kept for a few seconds, forgotten when this engine
   * changes the workspace or a connection fails (then looked up again, once).
   */
  async connect(ref: WorkspaceRef, port: number, opts: ConnectOptions = {}): Promise<Duplex> {
    const key = `${ref.user}/${ref.name}`;
    const route = (pod: string): PodRoute => ({ mode: this.connectMode, to: opts.to ?? 'address', exec: (cmd) => kubeExec(this.client, pod, { cmd, stdin: true }) });
    const cached = this.located.get(key);
    if (cached && cached.until > Date.now()) {
      try {
        return await connectPod(this.client, cached.pod, port, route(cached.pod.name));
      } catch {
        this.located.delete(key);
      }
    }
    const found = await this.runningPod(ref);
    const pod = { name: found.metadata!.name!, ip: found.status?.podIP ?? null };
    const stream = await this.calls.call(() => connectPod(this.client, pod, port, route(pod.name)));
    // By name only: a pod IP can belong to another pod moments later; a pod name is this workspace's.
    if (this.connectMode === 'port-forward') this.located.set(key, { pod, until: Date.now() + LOCATED_TTL_MS });
    return stream;
  }

  async webToken(ref: WorkspaceRef): Promise<string | null> {
    await this.mustRoot(ref);
    const s = await this.calls.ignoring([404], () => this.client.core.readNamespacedSecret({ name: kubeNames.secret(this.key(ref)), namespace: this.ns }));
    return s ? tokenFromSecret(s) : null;
  }

  async capacity(): Promise<Capacity> {
    const [nodes, version] = await Promise.all([this.nodes(), this.calls.call(() => this.client.version.getCode())]);
    return { nodes: nodes.map(nodeOf), description: `Kubernetes ${version.gitVersion} (${this.client.where})` };
  }

  async resources(): Promise<EngineResource[]> {
    return this.calls.call(() => listResources(this.client, this.origin));
  }

  async removeResource(r: EngineResource): Promise<void> {
    switch (r.kind) {
      case 'workspace':
        await this.remove({ user: r.user, name: r.workspace ?? r.name }).catch((e: unknown) => {
          if (!(e instanceof HubdeckError && e.code === 'not_found')) throw e;
        });
        return;
      case 'volume':
      case 'user-volume':
      case 'claim':
        await this.claims.delete(r.id);
        return;
      case 'network':
        await this.calls.ignoring([404], () => this.client.net.deleteNamespacedNetworkPolicy({ name: r.id, namespace: this.ns }));
        return;
      case 'service':
        await this.calls.ignoring([404], () => this.client.core.deleteNamespacedService({ name: r.id, namespace: this.ns }));
        return;
      case 'secret':
        await this.calls.ignoring([404], () => this.client.core.deleteNamespacedSecret({ name: r.id, namespace: this.ns }));
        return;
    }
  }

  async imageInfo(ref: string): Promise<ImageInfo | null> {
    const [nodes, pods] = await Promise.all([
      this.nodes(),
      this.calls.call(() => this.client.core.listNamespacedPod({ namespace: this.ns, labelSelector: selector({ [LABELS.origin]: this.origin }) })),
    ]);
    return resolveImage(imageGroups(nodes, pods.items), ref);
  }

  /**
   * Present when a node reports holding it. Otherwise unknown: the nodes pull, with their own
   * network and credentials, and the API has no way to ask their registry without pulling.
   */
  async imageAvailability(ref: string): Promise<ImageAvailability> {
    if (await this.imageInfo(ref)) return { state: 'present', detail: null };
    return { state: 'unknown', detail: 'no node holds it; the nodes pull it on start, which the hub cannot test without pulling' };
  }

  async presentImages(): Promise<string[]> {
    const groups = imageGroups(await this.nodes(), []);
    return [...new Set(groups.flatMap((g) => g.tags))].sort();
  }

  async close(): Promise<void> {
    // The client keeps no connections between calls; watches and streams end with their callers.
  }
}

/** A node as the hub sees it: what it can give pods (allocatable), not its raw capacity. */
export function nodeOf(n: V1Node): EngineNode {
  const a = n.status?.allocatable ?? n.status?.capacity ?? {};
  return {
    name: n.metadata?.name ?? '',
    cpus: cpusFrom(a.cpu) ?? 0,
    memory: parseQuantity(a.memory) ?? 0,
    gpus: parseQuantity(a[GPU_RESOURCE]) ?? 0,
    labels: n.metadata?.labels ?? {},
  };
}

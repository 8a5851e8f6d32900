/**
 * Creating a workspace on one Docker engine: image (pulled with progress), the user's network, the
 * data volume and the user's named volumes, then the container. A create that fails leaves
 * nothing behind but what existed before it.
 */
import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { HubdeckError } from '../../core/errors';
import { LABELS } from '../../core/labels';
import { formatPlacement, placementMatches } from '../../core/placement';
import type { WorkspaceSpec } from '../../core/workspace-spec';
import type { CreateOptions, EngineNode } from '../engine';
import { planContainer, type NamedVolume } from './container-plan';
import { explainEngineText } from '../engine-errors';
import { dockerMessage, engineError, statusOf, type DockerCalls } from './docker-errors';
import { ensureImage, presentImages } from './docker-images';

export interface CreateContext {
  docker: Docker;
  origin: string;
  /** Names the engine in errors. */
  where: string;
  calls: DockerCalls;
  sshRefusal: () => string | null;
  node: () => Promise<EngineNode>;
}

export async function createContainer(c: CreateContext, spec: WorkspaceSpec, opts: CreateOptions): Promise<void> {
  // An empty placement holds on any node: only a placement costs an /info (~10 ms in dockerd).
  const node = Object.keys(spec.placement).length ? await c.node() : null;
  if (node && !placementMatches(spec.placement, node.labels)) {
    throw new HubdeckError('invalid', `placement: this engine's node ${node.name} does not have the labels ${formatPlacement(spec.placement)}`, 'placement');
  }
  const plan = planContainer(spec, c.origin, randomBytes(24).toString('hex'));
  await ensureImage(c.docker, spec.image, opts, c.where, c.sshRefusal());
  opts.onProgress?.({ phase: 'create', percent: 100, message: `creating ${plan.containerName}` });
  await ensureNetwork(c, plan.network);
  const made: string[] = [];
  let container: Docker.Container | null = null;
  try {
    for (const v of [plan.volume, ...plan.userVolumes]) if (v && (await ensureVolume(c, v))) made.push(v.name);
    container = await c.calls.call(() => c.docker.createContainer(plan.create));
    if (opts.start !== false) {
      opts.onProgress?.({ phase: 'start', percent: 100, message: 'starting' });
      await c.calls.call(() => container!.start());
    }
  } catch (e) {
    await container?.remove({ force: true }).catch(() => undefined);
    for (const name of made) await c.docker.getVolume(name).remove().catch(() => undefined);
    throw await explainStartFailure(c.docker, e, spec, c.where);
  }
}

async function explainStartFailure(docker: Docker, e: unknown, spec: WorkspaceSpec, where: string): Promise<HubdeckError> {
  const err = engineError(e, where);
  const raw = dockerMessage(e);
  if (/no command specified|minimum memory limit/i.test(raw)) {
    return explainEngineText(raw, { image: spec.image, engine: 'Docker', present: await presentImages(docker) }) ?? err;
  }
  if (spec.gpus && /device driver|capabilities: \[\[gpu\]\]|nvidia/i.test(err.message)) {
    return new HubdeckError('invalid', `gpus: this Docker engine cannot provide GPUs (${err.message})`, 'gpus');
  }
  // The hub checks the allow-list, but only the engine's host knows whether the path is there.
  if (/bind source path does not exist/i.test(err.message)) {
    return new HubdeckError('invalid', `mounts: ${err.message.replace(/^Docker engine \([^)]*\): /, '')}`, 'mounts');
  }
  return err;
}

async function ensureNetwork(c: CreateContext, n: NamedVolume): Promise<void> {
  const existing = await c.calls.call(() => c.docker.listNetworks({ filters: { name: [n.name] } }));
  const same = existing.find((x) => x.Name === n.name);
  if (same) {
    if (same.Labels?.[LABELS.origin] !== c.origin) throw new HubdeckError('conflict', `network ${n.name} exists but was not created by this hub`);
    return;
  }
  try {
    await c.docker.createNetwork({ Name: n.name, Driver: 'bridge', Labels: n.labels, CheckDuplicate: true });
  } catch (e) {
    // Two creates for one user race here; the loser finds the network made by the winner.
    if (statusOf(e) !== 409) throw engineError(e, c.where);
  }
}

/** Creates a volume unless it exists (kept data is reused); true when it is new. */
async function ensureVolume(c: CreateContext, v: NamedVolume): Promise<boolean> {
  const found = await c.docker.getVolume(v.name).inspect().then((i) => i, () => null);
  if (found) {
    // A volume of that name that is not ours (another hub, a person) is never mounted into a workspace.
    if (found.Labels?.[LABELS.origin] !== c.origin || found.Labels?.[LABELS.user] !== v.labels[LABELS.user]) {
      throw new HubdeckError('conflict', `volume ${v.name} exists but does not belong to this user on this hub`, 'mounts');
    }
    return false;
  }
  await c.calls.call(() => c.docker.createVolume({ Name: v.name, Labels: v.labels }));
  return true;
}

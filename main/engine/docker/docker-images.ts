/** Images: present, or pulled with per-layer and overall progress (reused per node by Swarm). */
import type Docker from 'dockerode';
import { HubdeckError } from '../../core/errors';
import { withDefaultTag } from '../../core/image-ref';
import type { CreateOptions, ImageInfo } from '../engine';
import { explainEngineText } from '../engine-errors';
import { engineError, statusOf } from './docker-errors';
import { PullProgress, type DockerPullMessage } from './pull-progress';

/** Pulls the image when the engine lacks it. `where` names the engine in errors. */
export async function ensureImage(docker: Docker, image: string, opts: CreateOptions, where: string, sshRefusal: string | null = null): Promise<void> {
  try {
    await docker.getImage(image).inspect();
    return;
  } catch (e) {
    if (statusOf(e) !== 404) throw engineError(e, where, sshRefusal);
  }
  const progress = new PullProgress(image);
  opts.onProgress?.({ phase: 'pull', image, percent: 0, message: `pulling ${image}`, layers: [] });
  try {
    const stream = await docker.pull(withDefaultTag(image), { abortSignal: opts.signal });
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (err: Error | null, out: DockerPullMessage[]) => {
          const failed = err?.message ?? out.find((m) => m.error)?.error;
          if (failed) reject(new Error(failed));
          else resolve();
        },
        (m: DockerPullMessage) => {
          const ev = progress.update(m);
          if (ev) opts.onProgress?.(ev);
        },
      );
    });
  } catch (e) {
    throw await pullRefusal(docker, image, engineError(e, where).message);
  }
  opts.onProgress?.({ phase: 'pull', image, percent: 100, message: `pulled ${image}`, layers: [] });
}

/** The image a reference (tag, digest, id, short id) names, with all its names; null when absent. */
export async function imageInfo(docker: Docker, ref: string): Promise<ImageInfo | null> {
  const i = await inspectImage(docker, ref);
  if (!i) return null;
  return { id: i.Id, tags: await withLocalAliases(docker, i.Id, i.RepoTags ?? []), digests: await withLocalAliases(docker, i.Id, i.RepoDigests ?? []) };
}

async function inspectImage(docker: Docker, ref: string): Promise<Docker.ImageInspectInfo | null> {
  try {
    return await docker.getImage(ref).inspect();
  } catch (e) {
    if (statusOf(e) === 404) return null;
    throw e;
  }
}

/**
 * Podman names an image built or loaded locally `localhost/<name>` and finds it by plain `<name>`
 * too, which is how Docker users and the hub's allowed-images list call it. Without the plain name,
 * asking for the image by its id would not match a restricted entry (an access check dodged). Each
 * alias is added only when this engine resolves it to the same image, so on Docker (where
 * `localhost/…` names a registry) nothing changes.
 */
async function withLocalAliases(docker: Docker, id: string, names: string[]): Promise<string[]> {
  const out = [...names];
  for (const n of names) {
    const plain = n.startsWith('localhost/') ? n.slice('localhost/'.length) : null;
    if (plain && !out.includes(plain) && (await inspectImage(docker, plain))?.Id === id) out.push(plain);
  }
  return out;
}

/** The repo:tag names of the images this engine holds, sorted (for "images present here: …"). */
export async function presentImages(docker: Docker): Promise<string[]> {
  const list = await docker.listImages().catch(() => []);
  return list.flatMap((i) => i.RepoTags ?? []).filter((t) => !t.startsWith('<none>')).sort();
}

/**
 * A failed pull as a sentence: an unreachable registry is `unavailable` (exit 5) and names the images
 * the engine has instead; the engine's own words stay on the error for the log.
 */
export async function pullRefusal(docker: Docker, image: string, raw: string, engine = 'Docker'): Promise<HubdeckError> {
  return explainEngineText(raw, { image, engine, present: await presentImages(docker) })
    ?? new HubdeckError('invalid', `image: cannot pull "${image}": ${raw}`, 'image');
}

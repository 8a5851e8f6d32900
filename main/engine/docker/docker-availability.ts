/**
 * Image availability on a Docker engine without pulling (used by Swarm on its manager too): the
 * image inspect says present; Docker's distribution inspect (`GET /distribution/{name}/json`) asks
 * the registry for the manifest — the engine, not the hub, asks, so the answer holds for the
 * place the image would be pulled — and tells pullable, missing and unreachable apart.
 */
import type Docker from 'dockerode';
import type { ImageAvailability } from '../engine';
import { withDefaultTag } from '../../core/image-ref';
import { dockerMessage, statusOf } from './docker-errors';
import { imageInfo } from './docker-images';

/** A registry that does not answer within this is as good as unreachable for a form's preselection. */
export const DISTRIBUTION_TIMEOUT_MS = 4_000;

const UNREACHABLE = /no such host|dial tcp|i\/o timeout|server misbehaving|name resolution|network is unreachable|connection refused|tls handshake timeout|context deadline exceeded|timeout/i;

export async function dockerImageAvailability(docker: Docker, ref: string, timeoutMs = DISTRIBUTION_TIMEOUT_MS): Promise<ImageAvailability> {
  if (await imageInfo(docker, ref).catch(() => null)) return { state: 'present', detail: null };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`the registry did not answer within ${timeoutMs / 1000} s`), { statusCode: 504 })), timeoutMs);
  });
  try {
    await Promise.race([docker.getImage(withDefaultTag(ref)).distribution({}), timeout]);
    return { state: 'pullable', detail: null };
  } catch (e) {
    const detail = dockerMessage(e);
    // Docker answers 500 with the dial error when the registry is unreachable, 401/403/404 when it
    // answered but has no such name or tag (or wants a login).
    if (UNREACHABLE.test(detail) || statusOf(e) === 504) return { state: 'unreachable', detail };
    return { state: 'missing', detail };
  } finally {
    clearTimeout(timer);
  }
}

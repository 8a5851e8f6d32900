/**
 * The Podman endpoint for tests: Podman's Docker-compatible API that scripts/start-podman.sh
 * serves on its own socket, beside dockerd. Podman tests never skip: without it they fail here,
 * loudly, with what to do.
 */
import Docker from 'dockerode';

export const PODMAN_SOCKET = process.env.HUBDECK_PODMAN_SOCKET ?? '/run/hubdeck-podman/podman.sock';
export const PODMAN_HOST = `unix://${PODMAN_SOCKET}`;
export const podman = new Docker({ socketPath: PODMAN_SOCKET });

/** Fails unless the socket answers as Podman (not a Docker engine by mistake). */
export async function requirePodman(): Promise<void> {
  let version: Docker.DockerVersion;
  try {
    version = await podman.version();
  } catch (e) {
    throw new Error(`Podman's API does not answer on ${PODMAN_SOCKET}: run scripts/start-podman.sh before the tests (${String(e)})`);
  }
  const isPodman = (version.Components ?? []).some((c) => /podman/i.test(c.Name));
  if (!isPodman) throw new Error(`${PODMAN_SOCKET} answers, but not as Podman (${JSON.stringify(version.Components)})`);
}

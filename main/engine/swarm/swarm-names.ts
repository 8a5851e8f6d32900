/**
 * Swarm object names. Service names are DNS labels (≤ 63 characters), shorter than the names the
 * Docker engine gives containers, so the readable part is cut and the hash of (origin, user, name)
 * keeps them unique. Workspaces are found by labels, never by these names.
 */
import { resourceNames, shortHash, type WorkspaceKey } from '../../core/names';

const MAX_SERVICE_NAME = 63;

export function serviceName(k: WorkspaceKey): string {
  const hash = shortHash(`${k.origin}/${k.user}/${k.name}`);
  const readable = `hubdeck-${k.user}-${k.name}`.slice(0, MAX_SERVICE_NAME - hash.length - 1).replace(/-+$/, '');
  return `${readable}-${hash}`;
}

/** Volumes and the user's network keep the Docker engine's names: same data, same scoping. */
export const swarmNames = { service: serviceName, volume: resourceNames.volume, network: resourceNames.network, userVolume: resourceNames.userVolume };

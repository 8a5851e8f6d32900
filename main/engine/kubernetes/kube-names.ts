/**
 * Kubernetes object names for a workspace. Services need DNS-1035 labels (≤ 63, starting with a
 * letter), so the readable part (user-name) is cut to fit and a hash of (origin, user, name) keeps
 * it unique across hubs sharing a namespace. Objects are found by labels; names only must not clash.
 */
import { shortHash, type WorkspaceKey } from '../../core/names';

const READABLE = 44;

function readable(parts: string[], max = READABLE): string {
  return parts.join('-').slice(0, max).replace(/-+$/, '');
}

export function workspaceBase(k: WorkspaceKey): string {
  return `hd-${readable([k.user, k.name])}-${shortHash(`${k.origin}/${k.user}/${k.name}`)}`;
}

export const kubeNames = {
  /** The Service: the workspace's root object, which owns the rest. */
  root: (k: WorkspaceKey) => workspaceBase(k),
  pod: (k: WorkspaceKey) => workspaceBase(k),
  secret: (k: WorkspaceKey) => `${workspaceBase(k)}-token`,
  claim: (k: WorkspaceKey) => `${workspaceBase(k)}-data`,
  userClaim: (origin: string, user: string, source: string) => `hd-${readable([user, source], 40)}-${shortHash(`${origin}/${user}/vol/${source}`)}-vol`,
  networkPolicy: (origin: string, user: string) => `hd-${readable([user], 40)}-${shortHash(`${origin}/${user}`)}-net`,
};

export const CONTAINER = 'workspace';

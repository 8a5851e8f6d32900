/**
 * Container image references, checked against the distribution reference grammar
 * ([registry[:port]/]path[:tag][@digest]) so a typo fails before anything is pulled.
 */
const COMPONENT = '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*';
const DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]{1,5})?';
const REFERENCE = new RegExp(
  `^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`,
);

export function checkImageRef(ref: string): string | null {
  if (ref.length === 0) return 'an image is required';
  if (ref.length > 255) return `"${ref.slice(0, 40)}…" is too long for an image reference`;
  if (!REFERENCE.test(ref)) return `"${ref}" is not an image reference (like quay.io/jupyter/base-notebook:latest)`;
  return null;
}

/** The reference with an explicit tag, as the engine stores it ("debian" → "debian:latest"). */
export function withDefaultTag(ref: string): string {
  if (ref.includes('@')) return ref;
  const lastSlash = ref.lastIndexOf('/');
  return ref.slice(lastSlash + 1).includes(':') ? ref : `${ref}:latest`;
}

const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/**
 * The canonical form Docker itself resolves a reference to (registry/path:tag[@digest]), so that
 * "x", "docker.io/library/x:latest" and "index.docker.io/x" compare equal in access checks.
 */
export function normalizeImageRef(ref: string): string {
  const [nameTag, digest] = ref.split('@') as [string, string | undefined];
  const slash = nameTag.indexOf('/');
  const first = slash < 0 ? '' : nameTag.slice(0, slash);
  const hasDomain = first.includes('.') || first.includes(':') || first === 'localhost';
  let domain = hasDomain ? first.toLowerCase() : 'docker.io';
  let rest = hasDomain ? nameTag.slice(slash + 1) : nameTag;
  if (DOCKER_HUB_ALIASES.has(domain)) domain = 'docker.io';
  const colon = rest.lastIndexOf(':');
  let tag = colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : '';
  if (tag) rest = rest.slice(0, colon);
  if (domain === 'docker.io' && !rest.includes('/')) rest = `library/${rest}`;
  if (!tag && !digest) tag = 'latest';
  return `${domain}/${rest}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
}

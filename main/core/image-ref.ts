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

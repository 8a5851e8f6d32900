/**
 * Label values under Kubernetes rules (≤ 63 characters of [A-Za-z0-9._-], alphanumeric at both
 * ends). Our identity values already fit (names are DNS labels); any other value is encoded
 * reversibly as `b64.<base64url>.e` — never truncated: a value too long even encoded is refused
 * with an error that names it. Annotations carry everything free-form (spec, RFC 3339 expiry).
 */
import { HubdeckError } from '../../core/errors';

const MAX = 63;
const VALID = /^([A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?)?$/;
const PREFIX = 'b64.';
const SUFFIX = '.e';

export function encodeLabelValue(key: string, value: string): string {
  if (value.length <= MAX && VALID.test(value) && !value.startsWith(PREFIX)) return value;
  const encoded = `${PREFIX}${Buffer.from(value, 'utf8').toString('base64url')}${SUFFIX}`;
  if (encoded.length > MAX) {
    throw new HubdeckError('invalid', `the value of label ${key} is too long for Kubernetes (${value.length} characters; at most ${MAX} fit, encoded ${encoded.length})`);
  }
  return encoded;
}

export function decodeLabelValue(value: string): string {
  if (!value.startsWith(PREFIX) || !value.endsWith(SUFFIX)) return value;
  return Buffer.from(value.slice(PREFIX.length, -SUFFIX.length), 'base64url').toString('utf8');
}

export function encodeLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, encodeLabelValue(k, v)]));
}

export function decodeLabels(labels: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(labels ?? {}).map(([k, v]) => [k, decodeLabelValue(v)]));
}

/** A label selector ("k=v,k2=v2") with the values encoded as they were written. */
export function selector(labels: Record<string, string>): string {
  return Object.entries(encodeLabels(labels)).map(([k, v]) => `${k}=${v}`).join(',');
}

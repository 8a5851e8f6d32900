import { describe, expect, it } from 'vitest';
import { formatSize, parseSize } from '../../../main/core/sizes';
import { checkUserName, resourceNames, shortHash, userNameFromOsUser, workspaceBaseUrl } from '../../../main/core/names';
import { checkImageRef, withDefaultTag } from '../../../main/core/image-ref';
import { expiresAtFromDays, isExpired, msUntilExpiry } from '../../../main/core/expiry';
import { envFromList, envToList, parseEnv } from '../../../main/core/env-vars';
import { formatGpus, gpuCount, parseGpus } from '../../../main/core/gpus';

describe('sizes', () => {
  it('parses docker-style binary sizes', () => {
    expect(parseSize('512m')).toBe(512 * 1024 ** 2);
    expect(parseSize('2g')).toBe(2 * 1024 ** 3);
    expect(parseSize('2GiB')).toBe(2 * 1024 ** 3);
    expect(parseSize('128')).toBe(128);
    expect(parseSize(' 1.5 g ')).toBe(1.5 * 1024 ** 3);
    expect(parseSize('12x')).toBeNull();
    expect(parseSize('-1m')).toBeNull();
    expect(parseSize('')).toBeNull();
    expect(parseSize(1.5)).toBeNull();
  });
  it('formats back to the short form', () => {
    expect(formatSize(536870912)).toBe('512m');
    expect(formatSize(1.5 * 1024 ** 3)).toBe('1.5g');
    expect(formatSize(1000)).toBe('1000');
  });
});

describe('names', () => {
  it('derives a user name from an OS account', () => {
    expect(userNameFromOsUser('John.Doe')).toBe('john-doe');
    expect(userNameFromOsUser('root')).toBe('root');
    expect(userNameFromOsUser('123')).toBeNull();
    expect(checkUserName('alice')).toBeNull();
  });
  it('keeps resource names unique where dashes are ambiguous', () => {
    const a = resourceNames.container({ origin: 'local', user: 'a-b', name: 'c' });
    const b = resourceNames.container({ origin: 'local', user: 'a', name: 'b-c' });
    expect(a).not.toBe(b);
    expect(resourceNames.container({ origin: 'x', user: 'a', name: 'b' })).not.toBe(resourceNames.container({ origin: 'y', user: 'a', name: 'b' }));
    expect(resourceNames.network('local', 'alice')).toBe('hubdeck-local-alice');
    expect(shortHash('x')).toMatch(/^[0-9a-z]{7}$/);
    expect(workspaceBaseUrl('alice', 'gpu1')).toBe('/user/alice/gpu1/');
  });
});

describe('image references', () => {
  it.each(['debian', 'debian:bookworm', 'quay.io/jupyter/base-notebook:latest', '127.0.0.1:5000/a/b:1', `x@sha256:${'a'.repeat(64)}`])('accepts %s', (r) => {
    expect(checkImageRef(r)).toBeNull();
  });
  it.each(['', 'Upper', 'a b', 'a:', 'a//b', ':tag', 'a:tag:tag'])('refuses %j', (r) => {
    expect(checkImageRef(r)).not.toBeNull();
  });
  it('adds the default tag', () => {
    expect(withDefaultTag('debian')).toBe('debian:latest');
    expect(withDefaultTag('127.0.0.1:5000/a')).toBe('127.0.0.1:5000/a:latest');
    expect(withDefaultTag('a:1')).toBe('a:1');
  });
});

describe('expiry', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  it('computes and checks expiry', () => {
    const at = expiresAtFromDays(1.5, now);
    expect(at).toBe('2026-03-03T00:00:00.000Z');
    expect(isExpired(at, now)).toBe(false);
    expect(isExpired(at, new Date('2026-03-03T00:00:00Z'))).toBe(true);
    expect(isExpired(null, now)).toBe(false);
    expect(msUntilExpiry(at, now)).toBe(36 * 3600 * 1000);
    expect(msUntilExpiry(null, now)).toBeNull();
  });
});

describe('env and gpus', () => {
  it('round-trips env lists', () => {
    const env = parseEnv(['A=1', 'B=', 'C=a=b']);
    expect(env).toEqual({ A: '1', B: '', C: 'a=b' });
    expect(envFromList(envToList(env as Record<string, string>))).toEqual(env);
  });
  it('counts and formats GPUs', () => {
    expect(gpuCount(parseGpus('all') as never, 4)).toBe(4);
    expect(gpuCount(parseGpus('0,2') as never, 4)).toBe(2);
    expect(gpuCount(null, 4)).toBe(0);
    expect(formatGpus(parseGpus('3') as never)).toBe('3');
  });
});

describe('normalizeImageRef', () => {
  it('resolves references as Docker does', async () => {
    const { normalizeImageRef: n } = await import('../../../main/core/image-ref');
    expect(n('debian')).toBe('docker.io/library/debian:latest');
    expect(n('docker.io/debian')).toBe(n('debian'));
    expect(n('index.docker.io/library/debian:latest')).toBe(n('debian'));
    expect(n('hubdeck-test/busybox-web:3')).toBe('docker.io/hubdeck-test/busybox-web:3');
    expect(n('127.0.0.1:5000/a/b')).toBe('127.0.0.1:5000/a/b:latest');
    expect(n('quay.io/jupyter/base-notebook')).toBe('quay.io/jupyter/base-notebook:latest');
    expect(n(`x@sha256:${'a'.repeat(64)}`)).toBe(`docker.io/library/x@sha256:${'a'.repeat(64)}`);
    expect(n('localhost/x:1')).toBe('localhost/x:1');
  });
});

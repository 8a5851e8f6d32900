// main/core/image-ref.ts: image references checked, tagged and normalized as Docker does.
import { describe, expect, it } from 'vitest';
import { checkImageRef, normalizeImageRef, withDefaultTag } from '../../../main/core/image-ref';

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

describe('normalizeImageRef', () => {
  it('resolves references as Docker does', () => {
    const n = normalizeImageRef;
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

// main/core/sizes.ts: Docker-style size strings parsed and formatted back.
import { describe, expect, it } from 'vitest';
import { formatSize, parseSize } from '../../../main/core/sizes';

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

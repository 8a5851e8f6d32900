// main/access/url-token.ts: reading `?token=`, taking it out of a URL byte for byte, and telling a
// browser's page view from a program's request.
import { describe, expect, it } from 'vitest';
import { isPageView, urlTokenOf, withoutUrlToken } from '../../../main/access/url-token';

describe('?token= in a URL', () => {
  it('is read when there is exactly one, non-empty', () => {
    expect(urlTokenOf(new URLSearchParams('a=1&token=abc'))).toBe('abc');
    expect(urlTokenOf(new URLSearchParams('%74oken=abc'))).toBe('abc');
    for (const q of ['', 'token=', 'token=a&token=b', 'tokens=a']) expect(urlTokenOf(new URLSearchParams(q))).toBeNull();
  });

  it('is taken out of a request target, every spelling of it, the rest left byte for byte', () => {
    expect(withoutUrlToken('/user/a/nb/tree?token=abc')).toBe('/user/a/nb/tree');
    expect(withoutUrlToken('/p?x=a%20b+c&token=abc&y=%2F&token=d')).toBe('/p?x=a%20b+c&y=%2F');
    expect(withoutUrlToken('/p?%74oken=abc&tok%65n&x')).toBe('/p?x');
    expect(withoutUrlToken('/p?tokens=1&my_token=2&x=token')).toBe('/p?tokens=1&my_token=2&x=token');
    expect(withoutUrlToken('/p')).toBe('/p');
    expect(withoutUrlToken('/p?')).toBe('/p');
    expect(withoutUrlToken('/p?bad=%E0&token=t')).toBe('/p?bad=%E0');
  });

  it('is a page view only for a browser\'s navigation (or, from browsers without Sec-Fetch, a request for HTML)', () => {
    const req = (method: string, headers: Record<string, string>) => ({ method, headers });
    expect(isPageView(req('GET', { 'sec-fetch-mode': 'navigate' }))).toBe(true);
    expect(isPageView(req('GET', { accept: 'text/html,application/xhtml+xml' }))).toBe(true);
    expect(isPageView(req('GET', { 'sec-fetch-mode': 'cors', accept: 'text/html' }))).toBe(false);
    expect(isPageView(req('GET', { accept: '*/*' }))).toBe(false);
    expect(isPageView(req('GET', {}))).toBe(false);
    expect(isPageView(req('POST', { 'sec-fetch-mode': 'navigate' }))).toBe(false);
  });
});

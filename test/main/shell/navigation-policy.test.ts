// main/shell/navigation-policy.ts: where app and workspace windows may go, and the one CSP.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APP_CSP, META_CSP, navigationVerdict, workspaceScope, workspaceVerdict } from '../../../main/shell/navigation-policy';

describe('navigation policy', () => {
  it('keeps the app origin, sends web links out, refuses the rest', () => {
    expect(navigationVerdict('file:///app/index.html', ['file://'])).toBe('allow');
    expect(navigationVerdict('http://localhost:5173/x', ['http://localhost:5173'])).toBe('allow');
    expect(navigationVerdict('https://jupyter.org', ['file://'])).toBe('external');
    expect(navigationVerdict('javascript:alert(1)', ['file://'])).toBe('deny');
    expect(navigationVerdict('file:///etc/passwd', ['http://localhost:5173'])).toBe('deny');
    expect(navigationVerdict('not a url', ['file://'])).toBe('deny');
  });
});

describe('workspace window navigation', () => {
  const scope = workspaceScope('https://10.0.0.5:8585', '/user/alice/gpu1/');
  it.each([
    ['https://10.0.0.5:8585/user/alice/gpu1/lab/tree/x.ipynb', 'allow'],
    ['https://10.0.0.5:8585/user/alice/gpu1', 'allow'],
    ['https://10.0.0.5:8585/hub/login?next=/user/alice/gpu1/', 'allow'],
    ['https://10.0.0.5:8585/user/alice/gpu10/', 'deny'],
    ['https://10.0.0.5:8585/user/bob/gpu1/', 'deny'],
    ['https://10.0.0.5:8585/user/alice/gpu1/../../bob/gpu1/', 'deny'],
    ['https://10.0.0.5:8585/user/alice/gpu1/%2e%2e/%2e%2e/bob/x', 'deny'],
    ['https://10.0.0.5:8585/api/v1/users', 'deny'],
    ['http://10.0.0.5:8585/user/alice/gpu1/', 'external'],
    ['https://docs.jupyter.org/en/latest/', 'external'],
    ['javascript:alert(1)', 'deny'],
    ['file:///etc/passwd', 'deny'],
    ['hubdeck://join?invite=x', 'deny'],
  ])('%s → %s', (url, verdict) => {
    expect(workspaceVerdict(url, scope)).toBe(verdict);
  });
  it('keeps a hub served under a path prefix to that prefix', () => {
    const s = workspaceScope('https://team.example.org/hubdeck/', '/user/a/w/');
    expect(s).toEqual({ origin: 'https://team.example.org', prefix: '/hubdeck/user/a/w/', hubPath: '/hubdeck' });
    expect(workspaceVerdict('https://team.example.org/hubdeck/user/a/w/lab', s)).toBe('allow');
    expect(workspaceVerdict('https://team.example.org/hubdeck/hub/login', s)).toBe('allow');
    expect(workspaceVerdict('https://team.example.org/user/a/w/lab', s)).toBe('deny');
  });
});

describe('content security policy', () => {
  const directives = new Map(APP_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));

  it('is the one policy: index.html carries exactly APP_CSP in its meta (less frame-ancestors, header-only)', () => {
    const html = readFileSync(`${__dirname}/../../../renderer/index.html`, 'utf8');
    const metas = [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/gi)];
    expect(metas).toHaveLength(1);
    expect(metas[0]![1]).toBe(META_CSP);
    expect(APP_CSP).toBe(`${META_CSP}; frame-ancestors 'none'`);
  });

  it('allows what the app needs and nothing else', () => {
    expect(Object.fromEntries(directives)).toEqual({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self' data:",
      'connect-src': "'self'",
      'frame-src': "'none'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'form-action': "'self'",
      'frame-ancestors': "'none'",
    });
    expect(APP_CSP).not.toMatch(/unsafe-eval|unsafe-inline|\*/);
  });
});


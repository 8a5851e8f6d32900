/** Where a served hub puts workspaces' origins, from its options and listening address (server/web-access.ts). */
import { describe, expect, it } from 'vitest';
import { checkWebAccessOptions, describeWebAccess, resolveWebAccess } from '../../../main/server/web-access';

describe('web access of a served hub', () => {
  it('on loopback: each workspace under *.localhost on the hub\'s port', () => {
    expect(resolveWebAccess({}, { secure: false, host: '127.0.0.1', port: 8586 })).toEqual({ mode: 'host', hub: 'http://127.0.0.1:8586', suffix: 'localhost', scheme: 'http', port: 8586 });
    expect(resolveWebAccess({}, { secure: true, host: '::1', port: 9 })).toMatchObject({ hub: 'https://[::1]:9', suffix: 'localhost', scheme: 'https' });
  });

  it('on the LAN with no wildcard DNS name: path mode for the app only, never *.localhost (it names the visitor\'s machine)', () => {
    const web = resolveWebAccess({}, { secure: true, host: '0.0.0.0', port: 8585 });
    expect(web).toEqual({ mode: 'path', hub: 'https://127.0.0.1:8585', browsers: false });
    expect(describeWebAccess(web, '0.0.0.0')).toMatch(/Hubdeck app only/);
  });

  it('for a team: the wildcard domain and the public address', () => {
    const web = resolveWebAccess({ workspaceHost: '*.ws.example.org', publicUrl: 'https://hub.example.org' }, { secure: true, host: '0.0.0.0', port: 8585 });
    expect(web).toEqual({ mode: 'host', hub: 'https://hub.example.org', suffix: 'ws.example.org', scheme: 'https', port: null });
    expect(describeWebAccess(web, '0.0.0.0')).toBe('workspaces: each on its own origin, https://<workspace>--<user>.ws.example.org/');
  });

  it('path mode only when asked, and said loudly', () => {
    const web = resolveWebAccess({ workspacePaths: true }, { secure: false, host: '127.0.0.1', port: 1 });
    expect(web).toEqual({ mode: 'path', hub: 'http://127.0.0.1:1', browsers: true });
    expect(describeWebAccess(web, '127.0.0.1')).toMatch(/^WARNING: path mode/);
  });

  it('refuses what cannot work, naming the flag', () => {
    expect(() => checkWebAccessOptions({ workspaceHost: '*.ws.example.org' }, '0.0.0.0')).toThrow(/--workspace-host needs --public-url/);
    expect(() => checkWebAccessOptions({ workspaceHost: '*.ws.example.org', workspacePaths: true }, '127.0.0.1')).toThrow(/exclude each other/);
    expect(() => checkWebAccessOptions({ publicUrl: 'https://hub.example.org/path?x' }, '127.0.0.1')).toThrow(/plain http\(s\) origin/);
    expect(() => checkWebAccessOptions({ publicUrl: 'ftp://x' }, '127.0.0.1')).toThrow(/public-url/);
  });
});

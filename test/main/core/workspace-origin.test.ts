/** Workspace origins (core/workspace-origin.ts): one host per workspace, never shared, never ambiguous. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkUserName, checkWorkspaceName } from '../../../main/core/names';
import { hostName, isHostOf, isWorkspaceHost, parseWorkspaceHostPattern, refOfLabel, workspaceLabel, workspaceOrigin, workspaceUrl, type WebAccess } from '../../../main/core/workspace-origin';

const local: WebAccess = { mode: 'host', hub: 'http://127.0.0.1:8586', suffix: 'localhost', scheme: 'http', port: 8586 };
const team: WebAccess = { mode: 'host', hub: 'https://hub.example.org', suffix: 'ws.example.org', scheme: 'https', port: null };

describe('workspace origins', () => {
  it('give each workspace its own host: <workspace>--<user>, on the hub\'s port', () => {
    expect(workspaceUrl(local, { user: 'alice', name: 'gpu1' })).toBe('http://gpu1--alice.localhost:8586/user/alice/gpu1/');
    expect(workspaceOrigin(team, { user: 'alice', name: 'gpu1' })).toBe('https://gpu1--alice.ws.example.org');
    expect(workspaceOrigin({ mode: 'path', hub: 'https://10.0.0.5:8585', browsers: false }, { user: 'a', name: 'b' })).toBe('https://10.0.0.5:8585');
  });

  it('never give two workspaces one host, even where dashes would make the readable form ambiguous or too long', () => {
    expect(workspaceLabel({ user: 'z', name: 'x--y' })).not.toBe(workspaceLabel({ user: 'y--z', name: 'x' }));
    expect(workspaceLabel({ user: 'z', name: 'x--y' })).toMatch(/^ws-[a-z2-7]{26}$/);
    const long = workspaceLabel({ user: 'u'.repeat(32), name: 'w'.repeat(40) });
    expect(long).toMatch(/^ws-[a-z2-7]{26}$/);
    const label = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
    const user = fc.stringMatching(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/).filter((u) => checkUserName(u) === null);
    const name = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$/).filter((n) => checkWorkspaceName(n) === null);
    fc.assert(fc.property(user, name, user, name, (u1, n1, u2, n2) => {
      const a = workspaceLabel({ user: u1, name: n1 });
      const b = workspaceLabel({ user: u2, name: n2 });
      expect(a).toMatch(label);
      return (u1 === u2 && n1 === n2) === (a === b);
    }), { numRuns: 3000 });
  });

  it('read readable labels back, and only those', () => {
    expect(refOfLabel('gpu1--alice')).toEqual({ user: 'alice', name: 'gpu1' });
    expect(refOfLabel('x--y--z')).toBeNull();
    expect(refOfLabel('ws-abcdefghijklmnopqrstuvwxyz')).toBeNull();
  });

  it('tell workspace hosts from the hub\'s and from each other', () => {
    expect(hostName('GPU1--Alice.LOCALHOST.:8586')).toBe('gpu1--alice.localhost');
    expect(hostName('[::1]:8586')).toBe('[::1]');
    expect(isWorkspaceHost(local, 'gpu1--alice.localhost:8586')).toBe(true);
    expect(isWorkspaceHost(local, '127.0.0.1:8586')).toBe(false);
    expect(isWorkspaceHost(local, 'localhost:8586')).toBe(false);
    // Under the workspace suffix but naming no workspace: still never the hub (no second hub origin).
    expect(isWorkspaceHost(local, 'a.b.localhost')).toBe(true);
    expect(isWorkspaceHost(team, 'gpu1--alice.ws.example.org')).toBe(true);
    expect(isWorkspaceHost(team, 'hub.example.org')).toBe(false);
    // A hub whose own name sits under the workspace suffix keeps its own name.
    const nested: WebAccess = { ...team, hub: 'https://hub.ws.example.org' };
    expect(isWorkspaceHost(nested, 'hub.ws.example.org')).toBe(false);
    expect(isWorkspaceHost(nested, 'gpu1--alice.ws.example.org')).toBe(true);
    expect(isHostOf(local, { user: 'alice', name: 'gpu1' }, 'gpu1--alice.localhost:8586')).toBe(true);
    expect(isHostOf(local, { user: 'bob', name: 'gpu1' }, 'gpu1--alice.localhost:8586')).toBe(false);
  });

  it('take a wildcard domain as `*.ws.example.org`, and refuse what is not one', () => {
    expect(parseWorkspaceHostPattern('*.WS.example.org.')).toBe('ws.example.org');
    expect(parseWorkspaceHostPattern('ws.example.org')).toBe('ws.example.org');
    for (const bad of ['', '*.', '*.exa mple.org', '*.-x.org', '*.10.0.0.5', 'a..b', `*.${'a'.repeat(64)}.org`]) {
      expect(() => parseWorkspaceHostPattern(bad), bad).toThrow(/workspace-host: .*(not a wildcard host name|IP address)/);
    }
  });
});

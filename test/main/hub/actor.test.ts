import { describe, expect, it } from 'vitest';
import { checkUserName } from '../../../main/core/names';
import { localAdmin, ownerActor, requireAdmin, requireSelfOrAdmin, systemActor, type SystemRole } from '../../../main/hub/actor';

// Who is asking: the process's own jobs are named admins no person can be, and the owner actor
// that already-authorized connections are opened as holds no admin right.
describe('actors', () => {
  it.each<SystemRole>(['cleanup', 'serve', 'share', 'directory'])('systemActor(%s) is an admin no user name can be, with no credentials', (role) => {
    const a = systemActor(role);
    expect(a).toEqual({ user: `system:${role}`, admin: true });
    expect(checkUserName(a.user)).not.toBeNull();
    expect(() => requireAdmin(a, 'run cleanup')).not.toThrow();
  });

  it('localAdmin is the named admin of a local hub, with no credentials to revoke', () => {
    expect(localAdmin('ann')).toEqual({ user: 'ann', admin: true });
    expect(localAdmin('ann')).not.toHaveProperty('via');
  });

  it('ownerActor acts as the workspace owner and is no admin', () => {
    const a = ownerActor({ user: 'alice' });
    expect(a).toEqual({ user: 'alice', admin: false });
    expect(() => requireSelfOrAdmin(a, 'alice', 'open the workspaces')).not.toThrow();
    expect(() => requireSelfOrAdmin(a, 'bob', 'open the workspaces')).toThrow('alice may not open the workspaces of bob');
    expect(() => requireAdmin(a, 'run cleanup')).toThrow('only admins may run cleanup');
  });
});

// The hub's one revocation re-checker (main/hub/access-holds.ts), on its own with a real event bus:
// holds stand while their credentials allow them, end once when a token or user change (or the
// timer, for expiry) finds them no longer allowed, and the per-user places are bounded and given
// back once. Its users are tested end to end too: stream-rights.test.ts (the API's streams),
// workspace-socket-flood.test.ts, workspace-proxy.test.ts and port-stream.test.ts (workspace holds).
import { afterEach, describe, expect, it } from 'vitest';
import { AccessHolds, MAX_HOLDS_PER_USER } from '../../../main/hub/access-holds';
import type { Actor } from '../../../main/hub/actor';
import { EventBus } from '../../../main/hub/hub-events';

const at = new Date().toISOString();
const made: AccessHolds[] = [];
const holdsOn = (bus: EventBus, recheckMs = 60_000, perUser?: number) => {
  const h = new AccessHolds(bus, recheckMs, perUser);
  made.push(h);
  return h;
};
afterEach(() => { for (const h of made.splice(0)) h.close(); });

/** A credential whose current self the test changes, and a hold on it that records what happened. */
function credential(actor: Actor | null) {
  const c = { actor, ended: 0, renewed: [] as Actor[] };
  return {
    c,
    hold: (allows: (a: Actor) => boolean) => ({ reauth: () => c.actor, allows, end: () => { c.ended++; }, renewed: (a: Actor) => { c.renewed.push(a); } }),
  };
}

describe('AccessHolds', () => {
  it('ends a hold once when its token is revoked, and leaves the others standing with their current actor', () => {
    const bus = new EventBus();
    const holds = holdsOn(bus);
    const alice = credential({ user: 'alice', admin: false });
    const bob = credential({ user: 'bob', admin: true });
    holds.add(alice.hold(() => true));
    holds.add(bob.hold(() => true));
    alice.c.actor = null;
    bob.c.actor = { user: 'bob', admin: false };
    bus.emit({ type: 'token.changed', user: 'alice', change: 'revoked', id: 't1', at });
    expect([alice.c.ended, bob.c.ended, holds.size]).toEqual([1, 0, 1]);
    expect(bob.c.renewed).toEqual([{ user: 'bob', admin: false }]);
    bus.emit({ type: 'user.changed', user: 'alice', change: 'deleted', at });
    expect(alice.c.ended).toBe(1);
  });

  it('ends a hold whose actor is no longer allowed, a refusal thrown counting as no', () => {
    const bus = new EventBus();
    const holds = holdsOn(bus);
    const admin = credential({ user: 'root', admin: true });
    const other = credential({ user: 'eve', admin: false });
    holds.add(admin.hold((a) => a.admin));
    holds.add(other.hold(() => { throw new Error('forbidden'); }));
    bus.emit({ type: 'user.changed', user: 'x', change: 'updated', at });
    expect([admin.c.ended, other.c.ended]).toEqual([0, 1]);
    admin.c.actor = { user: 'root', admin: false };
    bus.emit({ type: 'user.changed', user: 'root', change: 'updated', at });
    expect(admin.c.ended).toBe(1);
    expect(holds.size).toBe(0);
  });

  it('re-checks on its timer too (expiring tokens raise no event), and not what was let go', async () => {
    const bus = new EventBus();
    const holds = holdsOn(bus, 20);
    const expiring = credential({ user: 'alice', admin: false });
    const closed = credential({ user: 'bob', admin: false });
    holds.add(expiring.hold(() => true));
    const forget = holds.add(closed.hold(() => true));
    forget();
    expiring.c.actor = null;
    closed.c.actor = null;
    await new Promise((r) => setTimeout(r, 100));
    expect([expiring.c.ended, closed.c.ended, holds.size]).toEqual([1, 0, 0]);
  });

  it('ignores other events, and stops listening when closed', () => {
    const bus = new EventBus();
    const holds = holdsOn(bus);
    const alice = credential({ user: 'alice', admin: false });
    holds.add(alice.hold(() => true));
    alice.c.actor = null;
    bus.emit({ type: 'workspace.extended', user: 'alice', name: 'nb', expiresAt: at, at });
    expect(alice.c.ended).toBe(0);
    holds.close();
    bus.emit({ type: 'token.changed', user: 'alice', change: 'revoked', id: 't1', at });
    expect(alice.c.ended).toBe(0);
  });

  it('gives a user at most perUser places, each given back once', () => {
    const holds = holdsOn(new EventBus(), 60_000, 2);
    const a = holds.reserve('alice');
    holds.reserve('alice');
    expect(() => holds.reserve('alice')).toThrow(/2 workspace connections open/);
    holds.reserve('bob');
    a();
    a();
    holds.reserve('alice');
    expect(() => holds.reserve('alice')).toThrow(/limit per user/);
    expect(MAX_HOLDS_PER_USER).toBeGreaterThan(16);
  });
});

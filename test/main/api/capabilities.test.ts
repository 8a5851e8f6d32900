// What a hub can do (main/api/capabilities.ts): the two reference sets, the refusal and its words,
// and the fallback for a hub that predates capabilities.
import { describe, expect, it } from 'vitest';
import {
  CAPABILITIES, HUBDECK_CAPABILITIES, NO_CAPABILITIES, UnavailableError, can, capabilitiesOf, hubNoun, requireCapability, unavailableMessage,
} from '../../../main/api/capabilities';
import { HubdeckError } from '../../../main/core/errors';

describe('capabilities', () => {
  it('a Hubdeck hub can do everything; the floor can do nothing', () => {
    for (const c of CAPABILITIES) {
      expect(HUBDECK_CAPABILITIES[c], c).toBe(true);
      expect(NO_CAPABILITIES[c], c).toBe(false);
    }
    expect(HUBDECK_CAPABILITIES).toMatchObject({ create: { form: 'spec' }, open: 'own-origin', pollSeconds: null });
    expect(NO_CAPABILITIES).toMatchObject({ create: null, open: null, pollSeconds: null });
    expect(can(HUBDECK_CAPABILITIES, 'create')).toBe(true);
    expect(can(NO_CAPABILITIES, 'create')).toBe(false);
    expect(can(NO_CAPABILITIES, 'open')).toBe(false);
  });

  it('an info without capabilities is from a Hubdeck hub that predates them', () => {
    expect(capabilitiesOf({})).toBe(HUBDECK_CAPABILITIES);
    expect(capabilitiesOf({ capabilities: NO_CAPABILITIES })).toBe(NO_CAPABILITIES);
  });

  it('refuses with a typed invalid error naming the ability, in the hub\'s own words when it gives them', () => {
    const jh = { ...NO_CAPABILITIES, product: 'JupyterHub', why: { logs: 'its REST API gives no server logs' } };
    expect(unavailableMessage(jh, 'logs', 'workspace logs')).toBe('workspace logs: not available on a JupyterHub (its REST API gives no server logs)');
    expect(unavailableMessage(jh, 'stats', 'workspace stats')).toBe('workspace stats: not available on a JupyterHub');
    let caught: unknown;
    try {
      requireCapability(jh, 'logs', 'workspace logs');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UnavailableError);
    expect(caught).toBeInstanceOf(HubdeckError);
    expect(caught).toMatchObject({ code: 'invalid', capability: 'logs', message: 'workspace logs: not available on a JupyterHub (its REST API gives no server logs)' });
    expect(() => requireCapability(HUBDECK_CAPABILITIES, 'logs', 'workspace logs')).not.toThrow();
    expect(() => requireCapability(NO_CAPABILITIES, 'create', 'workspace create')).toThrow('workspace create: not available on a hub of this kind');
  });

  it('puts the right article before the hub\'s name', () => {
    expect(hubNoun({ ...NO_CAPABILITIES, product: 'JupyterHub' })).toBe('a JupyterHub');
    expect(hubNoun({ ...NO_CAPABILITIES, product: 'Example hub' })).toBe('an Example hub');
    expect(hubNoun({ ...NO_CAPABILITIES, product: 'university hub' })).toBe('a university hub');
  });
});

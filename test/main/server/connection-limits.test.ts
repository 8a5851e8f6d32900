/** The connection limits' settings: defaults for what is absent, nonsense refused (pure). */
import { describe, expect, it } from 'vitest';
import { connectionLimitSettings, DEFAULT_CONNECTION_LIMITS } from '../../../main/server/connection-limits';

describe('connectionLimitSettings', () => {
  it('applies the defaults for what is absent, a quarter of the connections kept for authenticated clients', () => {
    expect(connectionLimitSettings()).toEqual(DEFAULT_CONNECTION_LIMITS);
    expect(DEFAULT_CONNECTION_LIMITS).toMatchObject({ maxConnections: 4000, reservedForAuthenticated: 1000, perAddress: 64, headersMs: 10_000, bodyMs: 10_000, anonymousRequestMs: 30_000 });
    expect(connectionLimitSettings({ bodyMs: 500 }, 400)).toEqual({ ...DEFAULT_CONNECTION_LIMITS, bodyMs: 500, maxConnections: 400, reservedForAuthenticated: 100 });
    expect(connectionLimitSettings({ maxConnections: 40, reservedForAuthenticated: 10 }, 400).maxConnections).toBe(40);
  });

  it('refuses nonsense', () => {
    expect(() => connectionLimitSettings({ bodyMs: 0 })).toThrow(/bodyMs must be a number of at least 1/);
    expect(() => connectionLimitSettings({ perAddress: Number.NaN })).toThrow(/perAddress/);
    expect(() => connectionLimitSettings({ maxConnections: 10, reservedForAuthenticated: 10 })).toThrow(/below maxConnections/);
    expect(connectionLimitSettings({ minBodyBytesPerSecond: 0 }).minBodyBytesPerSecond).toBe(0);
  });
});

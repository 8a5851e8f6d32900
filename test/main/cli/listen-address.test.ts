// HOST:PORT as the serve and ui commands read it (main/cli/listen-address.ts).
import { describe, expect, it } from 'vitest';
import { parseListen } from '../../../main/cli/listen-address';

describe('parseListen', () => {
  it('reads a host and port, IPv6 in brackets, and an empty host as every address', () => {
    expect(parseListen('127.0.0.1:8585')).toEqual({ host: '127.0.0.1', port: 8585 });
    expect(parseListen('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parseListen(':22')).toEqual({ host: '0.0.0.0', port: 22 });
  });
  it('refuses what is not HOST:PORT, and ports past 65535', () => {
    for (const bad of ['8585', 'host:', 'host:99999', 'a:b:1x']) expect(() => parseListen(bad), bad).toThrow(/is not HOST:PORT/);
  });
});

// main/core/names.ts: user names from OS accounts and unambiguous resource names.
import { describe, expect, it } from 'vitest';
import { checkUserName, resourceNames, shortHash, userNameFromOsUser, workspaceBaseUrl } from '../../../main/core/names';

describe('names', () => {
  it('derives a user name from an OS account', () => {
    expect(userNameFromOsUser('John.Doe')).toBe('john-doe');
    expect(userNameFromOsUser('root')).toBe('root');
    expect(userNameFromOsUser('123')).toBeNull();
    expect(checkUserName('alice')).toBeNull();
  });
  it('keeps resource names unique where dashes are ambiguous', () => {
    const a = resourceNames.container({ origin: 'local', user: 'a-b', name: 'c' });
    const b = resourceNames.container({ origin: 'local', user: 'a', name: 'b-c' });
    expect(a).not.toBe(b);
    expect(resourceNames.container({ origin: 'x', user: 'a', name: 'b' })).not.toBe(resourceNames.container({ origin: 'y', user: 'a', name: 'b' }));
    expect(resourceNames.network('local', 'alice')).toBe('hubdeck-local-alice');
    expect(shortHash('x')).toMatch(/^[0-9a-z]{7}$/);
    expect(workspaceBaseUrl('alice', 'gpu1')).toBe('/user/alice/gpu1/');
  });
});

import { Filter } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { escapeDnValue, fillTemplate } from '../../../../main/server/auth/ldap-escape';

/** What the sign-in escapes filter values with (ldapts, RFC 4515). */
const escapeFilterValue = (v: string) => Filter.escape(v);

describe('LDAP escaping (RFC 4514 DN values, RFC 4515 filter values)', () => {
  it('escapes the DN specials, a leading space or #, a trailing space, and NUL', () => {
    expect(escapeDnValue('a,b+c"d\\e<f>g;h=i')).toBe('a\\,b\\+c\\"d\\\\e\\<f\\>g\\;h\\=i');
    expect(escapeDnValue('#x')).toBe('\\#x');
    expect(escapeDnValue(' x ')).toBe('\\ x\\ ');
    expect(escapeDnValue('alice')).toBe('alice');
    expect(escapeDnValue('a\0b')).toBe('a\\00b');
  });

  it('escapes the filter specials as \\XX and leaves UTF-8 as it is (RFC 4515 needs only those escaped)', () => {
    expect(escapeFilterValue('*)(uid=*')).toBe('\\2a\\29\\28uid=\\2a');
    expect(escapeFilterValue('a\\b\0')).toBe('a\\5cb\\00');
    expect(escapeFilterValue('é')).toBe('é');
  });

  it('fills templates with escaped values and refuses unknown placeholders', () => {
    expect(fillTemplate('uid={username},ou=people', { username: 'x,ou=admins' }, escapeDnValue)).toBe('uid=x\\,ou\\=admins,ou=people');
    expect(fillTemplate('(member={dn})', { dn: 'cn=a*' }, escapeFilterValue)).toBe('(member=cn=a\\2a)');
    expect(() => fillTemplate('(uid={user})', { username: 'a' }, escapeFilterValue)).toThrow('unknown placeholder {user}');
  });
});

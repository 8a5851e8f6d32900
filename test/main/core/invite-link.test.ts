import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeInvite, encodeInvite, hubUrlProblem, inviteCommand, inviteLink, newInviteCode, type Invite } from '../../../main/core/invite-link';

const NOW = new Date('2026-03-01T12:00:00Z');
const hex64 = fc.array(fc.constantFrom(...'0123456789ABCDEF'), { minLength: 64, maxLength: 64 }).map((a) => a.join(''));
const host = fc.oneof(
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.')),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,20}(\.[a-z]{2,6})?$/),
);
const invite: fc.Arbitrary<Invite> = fc.record({
  url: fc.tuple(host, fc.integer({ min: 1, max: 65535 })).map(([h, p]) => `https://${h}:${p}`),
  fingerprint: fc.option(hex64, { nil: null }),
  code: fc.constant(null).map(() => newInviteCode().code),
  user: fc.stringMatching(/^[a-z][a-z0-9-]{0,31}$/),
  hubId: fc.stringMatching(/^[a-z0-9-]{1,40}$/),
  expiresAt: fc.integer({ min: 1, max: 30 * 86_400 }).map((s) => new Date(NOW.getTime() + s * 1000).toISOString().replace('.000Z', 'Z')),
});

describe('invite encoding', () => {
  it('round-trips every valid invite, bare, as a link and as the pasted command', () => {
    fc.assert(fc.property(invite, (i) => {
      const text = encodeInvite(i);
      expect(text).toMatch(/^[A-Za-z0-9_.-]+$/); // nothing a shell would interpret
      expect(decodeInvite(text, NOW)).toEqual(i);
      expect(decodeInvite(inviteLink(text), NOW)).toEqual(i);
      expect(decodeInvite(inviteCommand(text), NOW)).toEqual(i);
    }), { numRuns: 200 });
  });

  it('refuses any edited character (or decodes to the very same invite)', () => {
    fc.assert(fc.property(invite, fc.nat(), fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.'), (i, at, ch) => {
      const text = encodeInvite(i);
      const pos = at % text.length;
      const edited = text.slice(0, pos) + ch + text.slice(pos + 1);
      if (edited === text) return;
      expect(() => decodeInvite(edited, NOW)).toThrow(/^invite: this is not a whole Hubdeck invite/);
    }), { numRuns: 300 });
  });

  it('refuses a cut-short invite, a re-signed payload with another expiry, and a stranger link', () => {
    const i: Invite = { url: 'https://10.0.0.5:8585', fingerprint: 'AB'.repeat(32), code: newInviteCode().code, user: 'bob', hubId: 'hub-1', expiresAt: '2026-03-02T12:00:00Z' };
    const text = encodeInvite(i);
    expect(() => decodeInvite(text.slice(0, -3), NOW)).toThrow(/not a whole Hubdeck invite/);
    const [, payload, mac] = text.split('.');
    const fields = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as unknown[];
    fields[5] = (fields[5] as number) + 86_400 * 365;
    const longer = `hi1.${Buffer.from(JSON.stringify(fields)).toString('base64url')}.${mac}`;
    expect(() => decodeInvite(longer, NOW)).toThrow(/not a whole Hubdeck invite/);
    expect(() => decodeInvite('hubdeck://open?invite=x', NOW)).toThrow(/is not a join link/);
    expect(() => decodeInvite('hubdeck://join', NOW)).toThrow(/has no invite in it/);
    expect(() => decodeInvite('', NOW)).toThrow(/not a whole Hubdeck invite/);
  });

  it('refuses an expired invite, naming the hub and when it expired', () => {
    const i: Invite = { url: 'https://lead:8585', fingerprint: null, code: newInviteCode().code, user: 'bob', hubId: 'h', expiresAt: '2026-03-01T11:59:59Z' };
    expect(() => decodeInvite(encodeInvite(i), NOW)).toThrow('invite: this invite to https://lead:8585 expired at 2026-03-01T11:59:59Z; ask for a new one');
  });

  it('puts a code on the network only over TLS, except on this machine', () => {
    expect(hubUrlProblem('https://10.1.2.3:8585')).toBeNull();
    expect(hubUrlProblem('http://127.0.0.1:8585')).toBeNull();
    expect(hubUrlProblem('http://10.1.2.3:8585')).toMatch(/clear text/);
    expect(hubUrlProblem('https://user:pw@h:1')).toMatch(/credentials/);
    expect(hubUrlProblem('ftp://h')).toMatch(/not an http/);
    const i = { url: 'http://192.168.0.2:8585', fingerprint: null, code: newInviteCode().code, user: 'bob', hubId: 'h', expiresAt: '2026-03-02T00:00:00Z' };
    expect(() => encodeInvite(i)).toThrow(/^invite: cannot encode/);
  });
});

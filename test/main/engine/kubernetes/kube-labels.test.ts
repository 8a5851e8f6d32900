// main/engine/kubernetes/kube-labels.ts: label values under Kubernetes rules, encoded reversibly and refused (never truncated) when too long.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeLabelValue, encodeLabelValue } from '../../../../main/engine/kubernetes/kube-labels';

const LABEL_VALUE = /^([A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?)?$/;

describe('label values', () => {
  it('keeps valid values, encodes the rest reversibly, and refuses (never truncates) what cannot fit', () => {
    expect(encodeLabelValue('k', 'alice')).toBe('alice');
    expect(encodeLabelValue('k', '1767225600')).toBe('1767225600');
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (v) => {
      const e = encodeLabelValue('k', v);
      expect(e.length).toBeLessThanOrEqual(63);
      expect(e).toMatch(LABEL_VALUE);
      expect(decodeLabelValue(e)).toBe(v);
    }), { numRuns: 2000 });
    // A raw value that looks encoded is encoded too, so decoding is never ambiguous.
    expect(decodeLabelValue(encodeLabelValue('k', 'b64.YQ.e'))).toBe('b64.YQ.e');
    expect(() => encodeLabelValue('hubdeck.io/x', 'é'.repeat(40))).toThrow(/label hubdeck.io\/x is too long for Kubernetes \(40 characters/);
  });
});

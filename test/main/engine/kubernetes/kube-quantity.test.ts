// main/engine/kubernetes/kube-quantity.ts: resource quantities in the forms the API server returns.
import { describe, expect, it } from 'vitest';
import { cpusFrom, parseQuantity } from '../../../../main/engine/kubernetes/kube-quantity';

describe('quantities', () => {
  it('reads the forms the API server returns', () => {
    expect(cpusFrom('500m')).toBe(0.5);
    expect(cpusFrom('2')).toBe(2);
    expect(parseQuantity('64Mi')).toBe(64 * 1024 ** 2);
    expect(parseQuantity('67108864')).toBe(67108864);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('12345n')).toBeCloseTo(12345e-9);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('lots')).toBeNull();
  });
});

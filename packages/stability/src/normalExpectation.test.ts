import { softplus } from './logistic';
import { normalExpectation } from './normalExpectation';

describe('normalExpectation', () => {
  it('integrates moments and the moment generating function to near machine precision', () => {
    expect(normalExpectation(() => 1, 3, 7)).toBeCloseTo(1, 14);
    expect(normalExpectation((t) => t, -2, 5)).toBeCloseTo(-2, 13);
    expect(normalExpectation((t) => t * t, 1, 2)).toBeCloseTo(5, 13);
    expect(normalExpectation((t) => (t - 1) ** 4, 1, 0.01) / (3 * 1e-8)).toBeCloseTo(1, 10);
    // eᵗ tilts the mass by s² (s standard deviations): inside the ±13 sd window for s ≤ 3
    for (const s of [0.05, 1, 3]) {
      expect(normalExpectation(Math.exp, 0.3, s) / Math.exp(0.3 + (s * s) / 2)).toBeCloseTo(1, 12);
    }
  });

  it('E softplus(−t) is symmetric in the mean: E sp(−t) − E sp(t) = −mean', () => {
    for (const [a, s] of [
      [0.5, 1],
      [8, 4],
      [3, 9],
    ]) {
      const lhs = normalExpectation((t) => softplus(-t), a, s) - normalExpectation((t) => softplus(t), a, s);
      expect(lhs).toBeCloseTo(-a, 12);
    }
  });

  it('std = 0 is the point mass; bad input throws', () => {
    expect(normalExpectation((t) => t * 3, 2, 0)).toBe(6);
    expect(() => normalExpectation((t) => t, Number.NaN, 1)).toThrow(/mean/);
    expect(() => normalExpectation((t) => t, 0, -1)).toThrow(/std must be >= 0/);
    expect(() => normalExpectation(3 as never, 0, 1)).toThrow(/g must be a function/);
  });
});

import { fitPowerLaw } from './powerLaw';

describe('fitPowerLaw', () => {
  it('recovers exponent and constant of exact power laws, ignoring unusable points', () => {
    const xs = [100, 200, 400, 800];
    const f = fitPowerLaw(
      xs,
      xs.map((n) => 3 / (n * n)),
    );
    expect(f.slope).toBeCloseTo(-2, 12);
    expect(Math.exp(f.intercept)).toBeCloseTo(3, 10);
    expect(f.r2).toBeCloseTo(1, 12);
    expect(fitPowerLaw([...xs, 1600], [...xs.map((n) => 1 / n), 0]).points).toBe(4);
    expect(fitPowerLaw([1], [1]).slope).toBeNaN();
    expect(() => fitPowerLaw([1, 2], [1])).toThrow(/same length/);
    // ±Infinity and non-positive points are skipped by contract; NaN and non-numbers are errors
    expect(fitPowerLaw([1, 2, 4, 8], [1, 0.5, 0.25, Number.POSITIVE_INFINITY]).points).toBe(3);
    expect(() => fitPowerLaw([1, Number.NaN], [1, 2])).toThrow(expect.objectContaining({ argument: 'xs' }));
    expect(() => fitPowerLaw([1, 2], [1, null as never])).toThrow(expect.objectContaining({ argument: 'ys' }));
    expect(() => fitPowerLaw('abc' as never, [1, 2, 3])).toThrow(expect.objectContaining({ argument: 'xs' }));
  });
});

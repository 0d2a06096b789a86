/**
 * The polish and the selection objectives in isolation: reweighted least squares regains the
 * efficiency a robust start loses, fits an unknown noise offset, ignores high-leverage rows, and
 * the selection objectives rank the signal first on noiseless data with < 1/2 corrupted pairs.
 */
import { Matrix } from '@descent/tensor';
import {
  attackFamily,
  chiSquareQuantile,
  contaminate,
  makeGaussianProblem,
  medianRWF,
  relativeError,
  reweightedWF,
  selectionObjective,
  shorthHalfWidth,
} from './index';

describe('selection objectives', () => {
  it('shorth: half the width of the shortest interval holding ⌊k/2⌋ + 1 values (hand computed)', () => {
    // sorted 0, 1, 1.5, 2, 10, 11: windows of 4 values: 2 − 0, 10 − 1, 11 − 1.5 → 2 / 2 = 1
    expect(shorthHalfWidth(Float64Array.from([10, 0, 2, 1.5, 11, 1]))).toBe(1);
    // invariant to a common offset
    expect(shorthHalfWidth(Float64Array.from([10, 0, 2, 1.5, 11, 1].map((v) => v + 7)))).toBe(1);
  });
  it('on noiseless data with 40% corrupted responses, x scores 0 under both objectives; the shorth ignores an offset', () => {
    const p = makeGaussianProblem({ n: 8, seed: 1 });
    const bad = Float64Array.from(p.y, (v, i) => (i % 5 < 2 ? 50 + i : v));
    expect(selectionObjective(p.A, bad, p.x, 'lms')).toBe(0);
    const shifted = Float64Array.from(bad, (v) => v + 3);
    expect(selectionObjective(p.A, shifted, p.x, 'shorth')).toBeCloseTo(0, 12);
    expect(selectionObjective(p.A, shifted, p.x, 'lms')).toBeCloseTo(3, 12);
    const off = Float64Array.from(p.x, (v) => 1.1 * v);
    expect(selectionObjective(p.A, shifted, off, 'shorth')).toBeGreaterThan(0.01);
  });
});

describe('reweightedWF (reweighted least squares from a robust start)', () => {
  it('χ² quantiles (Wilson–Hilferty) are within 0.5% of the exact values', () => {
    // exact values by bisection on the regularised incomplete gamma function (0.999 and 0.5 quantiles)
    const exact: Array<[number, number, number]> = [
      [16, 39.2523547907683, 15.338498885001615],
      [32, 62.48721905708829, 31.33585908863449],
      [64, 104.71632526304036, 63.334582023531944],
    ];
    for (const [k, q999, q50] of exact) {
      expect(Math.abs(chiSquareQuantile(k, 3.090232306167813) / q999 - 1)).toBeLessThan(5e-3);
      expect(Math.abs(chiSquareQuantile(k, 0) / q50 - 1)).toBeLessThan(5e-3);
    }
  });
  it('under Student-t noise and 5% response outliers it improves on the median-RWF start (median of 3 seeds)', () => {
    const ratios = [1, 2, 3].map((seed) => {
      const clean = makeGaussianProblem({ n: 32, seed, noise: { kind: 'student', scale: 0.3 } });
      const p = contaminate(clean, { eta: 0.05, kind: 'response', seed });
      const start = medianRWF(p.A, p.y);
      const r = reweightedWF(p.A, p.y, start.x);
      expect(r.inliers).toBeLessThan(p.m - 0.04 * p.m); // the outliers are flagged
      return relativeError(r.x, p.x) / relativeError(start.x, p.x);
    });
    expect(ratios.sort()[1]).toBeLessThan(0.85);
  });
  it('with intercept it fits an unknown noise offset (y + 2 on noiseless data: exact x, offset 2)', () => {
    const p = makeGaussianProblem({ n: 16, seed: 4 });
    const shifted = Float64Array.from(p.y, (v) => v + 2);
    const z = Float64Array.from(p.x, (v, j) => v + 0.02 * Math.cos(j));
    const r = reweightedWF(p.A, shifted, z, { intercept: true });
    expect(relativeError(r.x, p.x)).toBeLessThan(1e-7);
    expect(r.offset).toBeCloseTo(2, 7);
    // without intercept the offset biases the fit
    expect(relativeError(reweightedWF(p.A, shifted, z).x, p.x)).toBeGreaterThan(0.1);
  });
  it('ignores consistent high-leverage spike rows, which would make a fixed step unstable', () => {
    const spike = attackFamily().find((a) => a.name === 'spike/oblique/clustered/consistent');
    const clean = makeGaussianProblem({ n: 32, seed: 1, noise: { kind: 'student', scale: 0.5 } });
    const p = contaminate(clean, { eta: 0.02, kind: 'spike', spike: spike?.spike, seed: 1 });
    const start = medianRWF(p.A, p.y);
    const r = reweightedWF(p.A, p.y, start.x);
    expect(r.stopReason).not.toBe('diverged');
    expect(r.inliers).toBeLessThanOrEqual(p.m - p.corrupted.length);
    expect(relativeError(r.x, p.x)).toBeLessThan(relativeError(start.x, p.x));
  });
  it('checks its inputs', () => {
    const p = makeGaussianProblem({ n: 4, seed: 1 });
    expect(() => reweightedWF(p.A, p.y, [1, 2])).toThrow(/z must have length n = 4/);
    expect(() => reweightedWF(p.A, p.y, p.x, { cutoff: 0 })).toThrow(/cutoff/);
    expect(() => reweightedWF(new Matrix(2, 4), [1, 2], p.x)).toThrow(/m >= n/);
  });
});

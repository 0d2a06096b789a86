import { Matrix, Rng, ValueError } from '@descent/tensor';
import { MEAN_ESTIMATORS, momBlocks, robustMean } from './index';

const n = 20;
const k = 1000;
function gaussianRows(seed: number): Matrix {
  return new Matrix(k, n, new Rng(seed).normalArray(k * n));
}
const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, a) => s + a * a, 0));

describe('robustMean against outliers (n = 20, k = 1000, 10% at 1e6·e1)', () => {
  const G = gaussianRows(1);
  for (let i = 0; i < k / 10; i++) {
    for (let j = 0; j < n; j++) G.data[i * n + j] = j === 0 ? 1e6 : 0;
  }
  it.each(['trimmed', 'filter', 'median', 'mom'] as const)(
    '%s stays within 0.5 of the true mean 0',
    (method) => {
      expect(norm(robustMean(G, { method, eta: 0.1, seed: 2 }))).toBeLessThan(0.5);
    },
  );
  it('gmom stays within 1.5× the first-order geometric-median bias ε_b·r/(1 − ε_b)', () => {
    // The notes' uncalibrated 0.5 does not hold for gmom: with K = ⌈4ηk⌉ + 1 = 401 blocks of ~2.5
    // samples, an expected ε_b = 1 − (1 − 1/K)^100 ≈ 22% of block means are contaminated, and the
    // geometric median moves by ≈ ε_b·r/(1 − ε_b) where r = √(n·K/k) is the radius of the clean block
    // means (its bias grows like √n, unlike the coordinate-wise estimators). Measured 0.95.
    const K = momBlocks(k, 0.1, 0.01);
    const epsB = 1 - (1 - 1 / K) ** (k / 10);
    const r = Math.sqrt((n * K) / k);
    const predicted = (epsB * r) / (1 - epsB);
    const err = norm(robustMean(G, { method: 'gmom', eta: 0.1, seed: 2 }));
    expect(err).toBeLessThan(1.5 * predicted);
    expect(err).toBeLessThan(1e-3 * norm(robustMean(G, { method: 'mean' })));
  });
  it('the plain mean is dragged away (> 1e4)', () => {
    expect(norm(robustMean(G, { method: 'mean' }))).toBeGreaterThan(1e4);
  });
});

describe('robustMean without outliers', () => {
  it.each(MEAN_ESTIMATORS)('%s is within 3√(n/k) of the truth', (method) => {
    const G = gaussianRows(3);
    const shift = Float64Array.from({ length: n }, (_, j) => j / 10);
    for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) G.data[i * n + j] += shift[j];
    const est = robustMean(G, { method, eta: 0.05, seed: 4 });
    const err = norm(Float64Array.from(est, (v, j) => v - shift[j]));
    expect(err).toBeLessThan(3 * Math.sqrt(n / k));
  });
});

describe('robustMean reductions and validation', () => {
  it('trimmed with trim 0 and mom with one block are the mean', () => {
    const G = gaussianRows(5);
    const mean = robustMean(G, { method: 'mean' });
    const t0 = robustMean(G, { method: 'trimmed', trim: 0 });
    const m1 = robustMean(G, { method: 'mom', blocks: 1 });
    for (let j = 0; j < n; j++) {
      expect(t0[j]).toBeCloseTo(mean[j], 12);
      expect(m1[j]).toBeCloseTo(mean[j], 12);
    }
  });
  it('the number of MOM blocks follows max(⌈8 ln(1/δ)⌉, ⌈4ηk⌉ + 1)', () => {
    expect(momBlocks(1000, 0.1, 0.01)).toBe(401);
    expect(momBlocks(1000, 0, 0.01)).toBe(Math.ceil(8 * Math.log(100)));
    expect(momBlocks(10, 0.4, 0.01)).toBe(10);
  });
  it('typed errors name the argument', () => {
    expect(() => robustMean([[1, Number.NaN]])).toThrow(/G must contain only finite/);
    expect(() => robustMean([[1]], { method: 'huber' as 'mean' })).toThrow(/method must be one of/);
    expect(() => robustMean([[1]], { eta: 0.7 })).toThrow(ValueError);
  });
});

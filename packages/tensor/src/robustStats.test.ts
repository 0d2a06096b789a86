import fc from 'fast-check';
import { ShapeError, ValueError } from './errors';
import { Matrix } from './matrix';
import { Rng } from './rng';
import {
  blockMeans,
  coordinateMedian,
  coordinateMedianOfMeans,
  coordinateQuantile,
  coordinateTrimmedMean,
  geometricMedian,
  geometricMedianOfMeans,
  geometricMedianResult,
  median,
  medianInPlace,
  quantileInPlace,
  medianOfMeans,
  quantile,
  quickselect,
  trimmedMean,
} from './robustStats';

/** Sort-based references (numpy linear quantile, scipy trim_mean). */
const sorted = (x: number[]) => [...x].sort((a, b) => a - b);
function refQuantile(x: number[], q: number): number {
  const s = sorted(x);
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (pos - lo) * (s[hi] - s[lo]);
}
function refTrimmed(x: number[], alpha: number): number {
  const s = sorted(x);
  const g = Math.floor(alpha * s.length);
  const kept = s.slice(g, s.length - g);
  return kept.reduce((a, b) => a + b, 0) / kept.length;
}
const mean = (x: ArrayLike<number>) => Array.from(x).reduce((a, b) => a + b, 0) / x.length;

describe('order statistics', () => {
  it('match numpy on hand examples', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    const x = [10, 7, 4, 3, 2, 1];
    expect([0, 0.1, 0.5, 0.9, 1].map((q) => quantile(x, q))).toEqual([1, 1.5, 3.5, 8.5, 10]);
    expect(trimmedMean([1, 2, 3, 4, 100], 0.2)).toBe(3);
    expect(trimmedMean([1, 2, 3, 4, 100], 0.19)).toBe(22);
  });

  it('quickselect, quantile and trimmedMean agree with sort-based references (fast-check, with ties)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.499, noNaN: true }),
        (xs, q, alpha) => {
          const a = Float64Array.from(xs);
          const k = Math.floor(q * (xs.length - 1));
          expect(quickselect(a, k)).toBe(sorted(xs)[k]);
          expect(quantile(xs, q)).toBeCloseTo(refQuantile(xs, q), 12);
          expect(trimmedMean(xs, alpha)).toBeCloseTo(refTrimmed(xs, alpha), 12);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('quickselect is right on structured inputs (sorted, reversed, constant, organ pipe, sawtooth)', () => {
    const n = 10001;
    const patterns: [string, (i: number) => number][] = [
      ['sorted', (i) => i],
      ['reversed', (i) => n - i],
      ['constant', () => 1],
      ['organ pipe', (i) => Math.min(i, n - i)],
      ['sawtooth', (i) => i % 17],
    ];
    for (const [name, gen] of patterns) {
      const a = Float64Array.from({ length: n }, (_, i) => gen(i));
      const ref = Float64Array.from(a).sort();
      for (const k of [0, 1, 5000, n - 2, n - 1]) {
        expect({ name, k, v: quickselect(Float64Array.from(a), k) }).toEqual({ name, k, v: ref[k] });
      }
    }
  });

  it('are translation and scale equivariant: m(a·x + b) = a·m(x) + b (a < 0 swaps q and 1 − q)', () => {
    const x = Array.from(new Rng('equiv').normalArray(31));
    const y = x.map((v) => -2.5 * v + 7);
    expect(median(y)).toBeCloseTo(-2.5 * median(x) + 7, 12);
    expect(quantile(y, 0.2)).toBeCloseTo(-2.5 * quantile(x, 0.8) + 7, 12);
    expect(trimmedMean(y, 0.1)).toBeCloseTo(-2.5 * trimmedMean(x, 0.1) + 7, 12);
    expect(medianOfMeans(y, 5)).toBeCloseTo(-2.5 * medianOfMeans(x, 5) + 7, 12);
  });

  it('do not modify their input', () => {
    const x = new Float64Array([5, 1, 4, 2, 3]);
    median(x);
    trimmedMean(x, 0.2);
    expect(Array.from(x)).toEqual([5, 1, 4, 2, 3]);
  });
});

describe('median-of-means', () => {
  it('blocks in order with numpy array_split sizes; k = 1 is the mean, k = n is the median', () => {
    expect(medianOfMeans([1, 2, 3, 4, 5, 6], 3)).toBe(3.5);
    // array_split(7, 3) → sizes 3, 2, 2 → means 2, 4.5, 6.5
    expect(medianOfMeans([1, 2, 3, 4, 5, 6, 7], 3)).toBe(4.5);
    const x = Array.from(new Rng('mom').normalArray(20));
    expect(medianOfMeans(x, 1)).toBeCloseTo(mean(x), 14);
    expect(medianOfMeans(x, 20)).toBe(median(x));
  });

  it('with an rng shuffles by rng.permutation(n) (same seed, same result)', () => {
    const x = Array.from({ length: 12 }, (_, i) => i * i);
    const perm = new Rng(7).permutation(12);
    const shuffled = Array.from(perm, (p) => x[p]);
    expect(medianOfMeans(x, 4, { rng: new Rng(7) })).toBe(medianOfMeans(shuffled, 4));
    expect(medianOfMeans(x, 4, { rng: new Rng(7) })).toBe(medianOfMeans(x, 4, { rng: new Rng(7) }));
  });
});

describe('breakdown: robust location under gross outliers', () => {
  const rng = new Rng('breakdown');
  const n = 200;
  const clean = rng.normalArray(n);
  /** `count` outliers at 1e6, spread over the sample (every third position). */
  const contaminate = (count: number) => {
    const x = Float64Array.from(clean);
    for (let i = 0; i < count; i++) x[3 * i] = 1e6 + i;
    return x;
  };

  it('30% outliers: the mean breaks down, the median and the 0.35-trimmed mean do not', () => {
    const x = contaminate(60);
    expect(mean(x)).toBeGreaterThan(1e5);
    expect(Math.abs(trimmedMean(x, 0.35))).toBeLessThan(1.5);
    // the median of a 70/30 mixture sits near the 5/7 quantile of N(0,1) ≈ 0.57
    expect(median(x)).toBeLessThan(1.2);
  });

  it('10% outliers: MoM with k = 50 blocks holds (at most 20 < k/2 blocks contaminated); k = 10 in-order blocks all break', () => {
    const x = contaminate(20);
    expect(Math.abs(medianOfMeans(x, 50))).toBeLessThan(1);
    expect(Math.abs(medianOfMeans(x, 50, { rng: rng.fold('mom') }))).toBeLessThan(1);
    // outliers at every third index up to 57: blocks of 20 → blocks 0-2 hold them, 7 clean blocks remain
    expect(Math.abs(medianOfMeans(x, 10))).toBeLessThan(1);
    // but with 60 outliers spread over indices 0..177, 9 of 10 blocks are contaminated
    expect(medianOfMeans(contaminate(60), 10)).toBeGreaterThan(1e4);
  });

  it('3-D, 30% outliers: geometric median and coordinate-wise median / trimmed mean stay near the inliers; the mean does not', () => {
    const d = 3;
    const X = new Matrix(n, d, rng.fold('3d').normalArray(n * d));
    for (let i = 0; i < 60; i++) for (let j = 0; j < d; j++) X.set(3 * i, j, 1e4 * (j + 1));
    const norm = (v: ArrayLike<number>) => Math.hypot(...Array.from(v));
    expect(norm(blockMeans(X, 1).row(0))).toBeGreaterThan(1e3);
    expect(norm(geometricMedian(X))).toBeLessThan(1.5);
    expect(norm(coordinateMedian(X))).toBeLessThan(1.5);
    expect(norm(coordinateTrimmedMean(X, 0.35))).toBeLessThan(1.5);
  });

  it('3-D, 10% outliers: coordinate-wise and geometric median-of-means (k = 50, shuffled) stay near the inliers', () => {
    const d = 3;
    const X = new Matrix(n, d, rng.fold('3d-mom').normalArray(n * d));
    for (let i = 0; i < 20; i++) for (let j = 0; j < d; j++) X.set(3 * i, j, 1e4 * (j + 1));
    const norm = (v: ArrayLike<number>) => Math.hypot(...Array.from(v));
    expect(norm(coordinateMedianOfMeans(X, 50, { rng: rng.fold('cmom') }))).toBeLessThan(1);
    expect(norm(geometricMedianOfMeans(X, 50, { rng: rng.fold('gmom') }))).toBeLessThan(1);
  });
});

describe('coordinate-wise estimators', () => {
  it('apply the 1-D estimator to each column', () => {
    const X = Matrix.from([
      [1, 10],
      [2, 30],
      [3, 20],
      [100, 0],
    ]);
    expect(Array.from(coordinateMedian(X))).toEqual([2.5, 15]);
    expect(Array.from(coordinateQuantile(X, 0.25))).toEqual([1.75, 7.5]);
    expect(Array.from(coordinateTrimmedMean(X, 0.25))).toEqual([2.5, 15]);
    // blocks {0,1}, {2,3}: means (1.5, 20), (51.5, 10); two blocks → mean of the two
    expect(Array.from(coordinateMedianOfMeans(X, 2))).toEqual([26.5, 15]);
  });
});

describe('geometric median (Weiszfeld + Vardi–Zhang)', () => {
  const objective = (X: Matrix, y: ArrayLike<number>) => {
    let s = 0;
    for (let i = 0; i < X.rows; i++) s += Math.hypot(...Array.from(X.row(i), (v, j) => v - y[j]));
    return s;
  };

  it('in 1-D is the median; for a symmetric configuration is the centre', () => {
    const g = geometricMedian(Matrix.from([[1], [2], [7], [100], [-3]]));
    expect(g[0]).toBeCloseTo(2, 8);
    const sq = geometricMedian(
      Matrix.from([
        [0, 0],
        [2, 0],
        [0, 2],
        [2, 2],
      ]),
    );
    expect(sq[0]).toBeCloseTo(1, 10);
    expect(sq[1]).toBeCloseTo(1, 10);
  });

  it('satisfies the optimality condition ‖Σ (xᵢ − y)/‖xᵢ − y‖‖ ≈ 0 and beats nearby points', () => {
    const X = new Matrix(
      50,
      4,
      new Rng('gm-opt').normalArray(200).map((v, i) => v * (1 + (i % 4))),
    );
    const r = geometricMedianResult(X, { tol: 1e-12 });
    expect(r.converged).toBe(true);
    const g = new Float64Array(4);
    for (let i = 0; i < 50; i++) {
      const diff = Array.from(X.row(i), (v, j) => v - r.median[j]);
      const dist = Math.hypot(...diff);
      diff.forEach((v, j) => {
        g[j] += v / dist;
      });
    }
    expect(Math.hypot(...g)).toBeLessThan(1e-6);
    expect(r.objective).toBeCloseTo(objective(X, r.median), 10);
    const probe = new Rng('probe');
    for (let t = 0; t < 20; t++) {
      const y = Array.from(r.median, (v) => v + 1e-3 * probe.normal());
      expect(objective(X, y)).toBeGreaterThanOrEqual(r.objective - 1e-9);
    }
  });

  it('handles iterates on data points: a majority point is the answer, and a start on a non-optimal data point moves away', () => {
    const heavy = Matrix.from([
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [10, 0],
      [0, 10],
      [7, 7],
    ]);
    const r = geometricMedianResult(heavy);
    expect(r.converged).toBe(true);
    expect(Math.hypot(...r.median)).toBeLessThan(1e-8);
    // f(x, 0) = |x| + 2√((4 − x)² + 9) + |8 − x| is minimal at (4, 0); plain Weiszfeld started on
    // the data point (0, 0) would divide by zero, Vardi–Zhang moves off it
    const X = Matrix.from([
      [0, 0],
      [4, 3],
      [4, -3],
      [8, 0],
    ]);
    // a boundary case: (10, 0) is exactly optimal (‖R‖ = η = 1); Weiszfeld alone crawls towards it
    const onPoint = geometricMedianResult(
      Matrix.from([
        [0, 0],
        [10, 0],
        [10, 1],
        [10, -1],
      ]),
    );
    expect(onPoint.converged).toBe(true);
    expect(Array.from(onPoint.median)).toEqual([10, 0]);
    const fromPoint = geometricMedianResult(X, { init: [0, 0] });
    expect(fromPoint.converged).toBe(true);
    expect(fromPoint.median[0]).toBeCloseTo(4, 8);
    expect(fromPoint.median[1]).toBeCloseTo(0, 8);
  });

  it('is equivariant under rotation, translation and scaling; integer weights equal repeated rows', () => {
    const rng = new Rng('gm-equiv');
    const X = new Matrix(30, 2, rng.normalArray(60));
    const th = 0.7;
    const [c, s] = [Math.cos(th), Math.sin(th)];
    const T = (v: ArrayLike<number>) => [3 * (c * v[0] - s * v[1]) + 5, 3 * (s * v[0] + c * v[1]) - 2];
    const Y = Matrix.from(Array.from({ length: 30 }, (_, i) => T(X.row(i))));
    const gx = T(geometricMedian(X, { tol: 1e-13 }));
    const gy = geometricMedian(Y, { tol: 1e-13 });
    expect(gy[0]).toBeCloseTo(gx[0], 7);
    expect(gy[1]).toBeCloseTo(gx[1], 7);
    const P = Matrix.from([
      [0, 0],
      [4, 0],
      [1, 3],
    ]);
    const P2 = Matrix.from([
      [0, 0],
      [4, 0],
      [4, 0],
      [1, 3],
      [1, 3],
      [1, 3],
    ]);
    const a = geometricMedian(P, { weights: [1, 2, 3], tol: 1e-13 });
    const b = geometricMedian(P2, { tol: 1e-13 });
    expect(a[0]).toBeCloseTo(b[0], 7);
    expect(a[1]).toBeCloseTo(b[1], 7);
  });

  it('geometric median-of-means: k = n is the geometric median, k = 1 the mean', () => {
    const X = new Matrix(12, 2, new Rng('gmom').normalArray(24));
    const gm = geometricMedian(X);
    const gmom = geometricMedianOfMeans(X, 12);
    expect(gmom[0]).toBeCloseTo(gm[0], 8);
    const m = geometricMedianOfMeans(X, 1);
    expect(m[1]).toBeCloseTo(mean(X.col(1)), 12);
  });
});

describe('typed errors', () => {
  it('empty input, α outside [0, 0.5), k > n, NaN, bad q, bad weights and shapes', () => {
    expect(() => median([])).toThrow(ShapeError);
    expect(() => median([1, Number.NaN])).toThrow(/index 1/);
    expect(() => quantile([1, 2], 1.5)).toThrow(/q must be in \[0, 1\]/);
    expect(() => trimmedMean([1, 2], 0.5)).toThrow(/alpha/);
    expect(() => trimmedMean([1, 2], -0.1)).toThrow(ValueError);
    expect(() => medianOfMeans([1, 2, 3], 4)).toThrow(/k must be <= /);
    expect(() => medianOfMeans([1, 2, 3], 0)).toThrow(/k must be an integer/);
    expect(() => coordinateMedian(new Matrix(0, 3))).toThrow(ShapeError);
    expect(() => coordinateMedian(Matrix.from([[1, Number.POSITIVE_INFINITY]]))).toThrow(/column 1/);
    const X = Matrix.from([
      [0, 0],
      [1, 1],
    ]);
    expect(() => geometricMedian(X, { weights: [1] })).toThrow(ShapeError);
    expect(() => geometricMedian(X, { weights: [1, -1] })).toThrow(/weights must be >= 0/);
    expect(() => geometricMedian(X, { weights: [0, 0] })).toThrow(/positive sum/);
    expect(() => geometricMedian(X, { init: [0] })).toThrow(/init/);
    expect(() => geometricMedian(X, { tol: 0 })).toThrow(/tol/);
    expect(() =>
      geometricMedianResult(
        Matrix.from([
          [0, 0],
          [1, 0],
          [0, 1],
        ]),
        { maxIter: 1, tol: 1e-15, throwOnNoConvergence: true },
      ),
    ).toThrow(/did not converge/);
  });
});

describe('the shared median/quantile contract (issue 11: one median for every package)', () => {
  it('even n: the mean of the two middle values (numpy), not the upper or lower median', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
  });

  it('empty is a ShapeError, NaN a ValueError, ±Infinity are ordered values', () => {
    expect(() => median([])).toThrow(ShapeError);
    expect(() => median([1, Number.NaN])).toThrow(ValueError);
    expect(median([1, Number.POSITIVE_INFINITY, 2])).toBe(2);
    expect(median([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY])).toBe(Number.POSITIVE_INFINITY);
    expect(median([1, Number.POSITIVE_INFINITY])).toBe(Number.POSITIVE_INFINITY);
    expect(() => median([Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY])).toThrow(ValueError);
  });

  it('does not modify its input', () => {
    const x = Float64Array.of(3, 1, 2);
    median(x);
    expect(Array.from(x)).toEqual([3, 1, 2]);
  });
});

describe('medianInPlace / quantileInPlace (scratch buffers, no copy)', () => {
  it('agree with median/quantile and reorder only their buffer', () => {
    const rng = new Rng('inplace');
    for (const n of [1, 2, 7, 10]) {
      const x = rng.normalArray(n);
      expect(medianInPlace(x.slice())).toBe(median(x));
      expect(quantileInPlace(x.slice(), 0.3)).toBe(quantile(x, 0.3));
    }
    expect(() => medianInPlace(new Float64Array(0))).toThrow(ShapeError);
  });
});

/**
 * Robust statistics on float64 data: order statistics by O(n) selection (quickselect), trimmed
 * means, median-of-means, their coordinate-wise versions over the rows of a {@link Matrix}
 * (rows = samples), and the geometric median (Weiszfeld with the Vardi–Zhang fix).
 * @module
 */
import {
  ConvergenceError,
  ShapeError,
  ValueError,
  describe,
  assertInRange,
  assertInteger,
  assertPositive,
} from './errors';
import { isTensorLike, readMatrix, readVector } from './input';
import { readOptions } from './options/read';
import { Matrix, type MatrixLike } from './matrix';
import type { Rng } from './rng';

/** A 1-D sample: a Float64Array, another typed array or a plain number array. */
export type Sample = ArrayLike<number>;

/** Copies `x` into a fresh Float64Array after checking it is a non-empty finite sample. */
function readSample(name: string, x: unknown): Float64Array {
  return readVector(x, name, { copy: true });
}

/**
 * Copies `x` for an order statistic: a non-empty sample of numbers where ±Infinity are allowed
 * (they are ordered values) and NaN is a {@link ValueError}.
 */
function readOrderSample(name: string, x: unknown): Float64Array {
  if (
    isTensorLike(x) ||
    x == null ||
    typeof x !== 'object' ||
    typeof (x as ArrayLike<unknown>).length !== 'number'
  ) {
    return readSample(name, x);
  }
  const v = x as ArrayLike<unknown>;
  if (v.length === 0) throw new ShapeError(`${name} must be non-empty, got length 0`, name);
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const t = v[i];
    if (typeof t !== 'number' || Number.isNaN(t)) {
      throw new ValueError(
        `${name} must contain only numbers (not NaN), got ${describe(t)} at index ${i}`,
        name,
      );
    }
    out[i] = t;
  }
  return out;
}

/**
 * Rearranges `a[left..right]` in place so that `a[k]` is the value it would have if sorted, with
 * smaller-or-equal values before it and larger-or-equal after (Hoare quickselect, median-of-three
 * pivot; expected O(n), worst case O(n log n) through a sort fallback). Returns `a[k]`.
 */
export function quickselect(a: Float64Array, k: number, left = 0, right = a?.length - 1): number {
  if (!(a instanceof Float64Array) || a.length === 0)
    throw new ShapeError(`a must be a non-empty Float64Array, got ${describe(a)}`, 'a');
  assertInteger('left', left, 0, a.length - 1);
  assertInteger('right', right, left, a.length - 1);
  assertInteger('k', k, left, right);
  let lo = left;
  let hi = right;
  // introselect guard: after 2·log2(n) + 8 partitions (adversarial input for median-of-three),
  // finish with a sort of the remaining range, so the worst case is O(n log n)
  let budget = 2 * Math.ceil(Math.log2(right - left + 2)) + 8;
  while (hi > lo) {
    if (budget-- <= 0) {
      a.subarray(lo, hi + 1).sort();
      return a[k];
    }
    // median of three as pivot
    const mid = (lo + hi) >>> 1;
    let p0 = a[lo];
    let p1 = a[mid];
    let p2 = a[hi];
    if (p0 > p1) [p0, p1] = [p1, p0];
    if (p1 > p2) [p1, p2] = [p2, p1];
    if (p0 > p1) [p0, p1] = [p1, p0];
    const pivot = p1;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/** min of a[from..to] */
function minRange(a: Float64Array, from: number, to: number): number {
  let m = Infinity;
  for (let i = from; i <= to; i++) if (a[i] < m) m = a[i];
  return m;
}

/**
 * The q-quantile of a scratch buffer that may be reordered (no copy, no checks beyond the
 * contract of {@link quantile}: for hot loops that own their buffer; NaN entries give an
 * unspecified result, so check them where they can arise). Linear interpolation (numpy).
 */
export function quantileInPlace(a: Float64Array, q: number): number {
  if (!(a instanceof Float64Array))
    throw new ShapeError(`a must be a Float64Array scratch buffer, got ${describe(a)}`, 'a');
  if (a.length === 0) throw new ShapeError('a must be non-empty, got length 0', 'a');
  assertInRange('q', q, 0, 1);
  return quantileScratch(a, q);
}

/** {@link quantileInPlace} without the argument checks (internal callers own valid buffers). */
function quantileScratch(a: Float64Array, q: number): number {
  const n = a.length;
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const frac = pos - lo;
  const vlo = quickselect(a, lo);
  if (frac === 0 || lo + 1 >= n) return vlo;
  const vhi = minRange(a, lo + 1, n - 1);
  if (vhi === vlo) return vlo; // also ±Infinity on both sides
  if (vlo === Number.NEGATIVE_INFINITY && vhi === Number.POSITIVE_INFINITY) {
    throw new ValueError(`the ${q}-quantile falls between -Infinity and Infinity (undefined)`, 'x');
  }
  return vlo + frac * (vhi - vlo); // an infinite endpoint gives that infinity
}

/**
 * The q-quantile with linear interpolation between order statistics (numpy's default,
 * `method='linear'`): position q·(n−1). O(n) expected.
 *
 * Contract (shared by every package; no private medians): `x` is a non-empty sample (array,
 * typed array or rank-1 tensor; empty is a ShapeError); NaN is a ValueError; ±Infinity are ordered
 * values (a quantile between −Infinity and +Infinity is a ValueError); `x` is not modified.
 *
 * ```ts
 * quantile([1, 2, 3, 4], 0.25); // 1.75
 * ```
 */
export function quantile(x: Sample, q: number): number {
  assertInRange('q', q, 0, 1);
  return quantileScratch(readOrderSample('x', x), q);
}

/** The median of a scratch buffer that may be reordered (see {@link quantileInPlace}); n ≥ 1. */
export function medianInPlace(a: Float64Array): number {
  return quantileInPlace(a, 0.5);
}

/**
 * The median: the middle order statistic for odd n, the mean of the two middle ones for even n
 * (numpy's `median`; not the upper or lower median). O(n) expected. Same contract as
 * {@link quantile}: empty → ShapeError, NaN → ValueError, ±Infinity allowed.
 */
export function median(x: Sample): number {
  return quantileScratch(readOrderSample('x', x), 0.5);
}

function assertAlpha(alpha: number): void {
  assertInRange('alpha', alpha, 0, 0.5, { maxExclusive: true });
}

/** Trimmed mean of a scratch array (mutated): drops ⌊αn⌋ from each end. */
function trimmedMeanInPlace(a: Float64Array, alpha: number): number {
  const n = a.length;
  const g = Math.floor(alpha * n);
  if (g > 0) {
    quickselect(a, g);
    quickselect(a, n - g - 1, g, n - 1);
  }
  let s = 0;
  for (let i = g; i < n - g; i++) s += a[i];
  return s / (n - 2 * g);
}

/**
 * The α-trimmed mean: drops the ⌊α·n⌋ smallest and ⌊α·n⌋ largest values and averages the rest
 * (scipy's `trim_mean` convention). α ∈ [0, 0.5); α = 0 is the mean.
 *
 * ```ts
 * trimmedMean([1, 2, 3, 4, 100], 0.2); // 3
 * ```
 */
export function trimmedMean(x: Sample, alpha: number): number {
  assertAlpha(alpha);
  return trimmedMeanInPlace(readSample('x', x), alpha);
}

/** Options of {@link medianOfMeans}. */
export interface MedianOfMeansOptions {
  /** If given, samples are shuffled with `rng.permutation(n)` before blocking; else blocks are in order. */
  rng?: Rng;
}

/** Reads {@link MedianOfMeansOptions} (an options object whose `rng`, when given, is an {@link Rng}). */
function readMeanOptions(options: unknown): MedianOfMeansOptions {
  const o = readOptions<MedianOfMeansOptions>(options);
  if (o.rng !== undefined && (o.rng === null || typeof (o.rng as Rng).permutation !== 'function')) {
    throw new ValueError(`options.rng must be an Rng, got ${describe(o.rng)}`, 'options.rng');
  }
  return o;
}

/**
 * Block boundaries as numpy's `array_split`: k blocks, the first n mod k of size ⌈n/k⌉.
 * Returns the k+1 offsets.
 */
export function blockOffsets(n: number, k: number): Int32Array {
  assertInteger('n', n, 0);
  assertInteger('k', k, 1);
  if (k > n) throw new ValueError(`k must be <= the number of samples ${n}, got ${k}`, 'k');
  const off = new Int32Array(k + 1);
  const base = Math.floor(n / k);
  const extra = n % k;
  for (let b = 0; b < k; b++) off[b + 1] = off[b] + base + (b < extra ? 1 : 0);
  return off;
}

/**
 * Median-of-means: split the n samples into k blocks (in order, or after a shuffle by `rng`),
 * average each block and return the median of the k block means. Sizes as `array_split`.
 * k = 1 is the mean, k = n the median.
 */
export function medianOfMeans(x: Sample, k: number, options: MedianOfMeansOptions = {}): number {
  const { rng } = readMeanOptions(options);
  const a = readSample('x', x);
  const off = blockOffsets(a.length, k);
  const perm = rng ? rng.permutation(a.length) : null;
  const means = new Float64Array(k);
  for (let b = 0; b < k; b++) {
    let s = 0;
    for (let i = off[b]; i < off[b + 1]; i++) s += a[perm ? perm[i] : i];
    means[b] = s / (off[b + 1] - off[b]);
  }
  return quantileScratch(means, 0.5);
}

/** Applies a scratch-array statistic to each column of X (rows = samples). */
function perColumn(M: Matrix, stat: (col: Float64Array) => number): Float64Array {
  const { rows, cols, data } = M;
  const out = new Float64Array(cols);
  const col = new Float64Array(rows);
  for (let j = 0; j < cols; j++) {
    for (let i = 0; i < rows; i++) col[i] = data[i * cols + j];
    out[j] = stat(col);
  }
  return out;
}

/** Coordinate-wise median of the rows of X (rows = samples): a vector of length X.cols. */
export function coordinateMedian(X: MatrixLike): Float64Array {
  return perColumn(readMatrix(X, 'X'), (c) => quantileScratch(c, 0.5));
}

/** Coordinate-wise q-quantile of the rows of X. */
export function coordinateQuantile(X: MatrixLike, q: number): Float64Array {
  assertInRange('q', q, 0, 1);
  return perColumn(readMatrix(X, 'X'), (c) => quantileScratch(c, q));
}

/** Coordinate-wise α-trimmed mean of the rows of X (see {@link trimmedMean}). */
export function coordinateTrimmedMean(X: MatrixLike, alpha: number): Float64Array {
  assertAlpha(alpha);
  return perColumn(readMatrix(X, 'X'), (c) => trimmedMeanInPlace(c, alpha));
}

/**
 * The k block means of the rows of X (rows in order, or shuffled by `rng`), as a k × d matrix.
 * The same row blocks are used for every coordinate.
 */
export function blockMeans(X: MatrixLike, k: number, options: MedianOfMeansOptions = {}): Matrix {
  const { rng } = readMeanOptions(options);
  const M = readMatrix(X, 'X');
  const { rows, cols, data } = M;
  const off = blockOffsets(rows, k);
  const perm = rng ? rng.permutation(rows) : null;
  const out = new Matrix(k, cols);
  for (let b = 0; b < k; b++) {
    const size = off[b + 1] - off[b];
    for (let t = off[b]; t < off[b + 1]; t++) {
      const r = perm ? perm[t] : t;
      for (let j = 0; j < cols; j++) out.data[b * cols + j] += data[r * cols + j];
    }
    for (let j = 0; j < cols; j++) out.data[b * cols + j] /= size;
  }
  return out;
}

/** Coordinate-wise median-of-means of the rows of X: coordinate median of the k block means. */
export function coordinateMedianOfMeans(
  X: MatrixLike,
  k: number,
  options: MedianOfMeansOptions = {},
): Float64Array {
  return coordinateMedian(blockMeans(X, k, options));
}

/** Options of {@link geometricMedian}. */
export interface GeometricMedianOptions {
  /** Stop when the step ‖y⁺ − y‖ ≤ tol·max(1, ‖y‖) (default 1e-10). */
  tol?: number;
  /** Iteration budget (default 1000). */
  maxIter?: number;
  /** Non-negative weights per row (default all 1). */
  weights?: Sample;
  /** Start point (default the weighted coordinate-wise mean). */
  init?: Sample;
  /** Throw {@link ConvergenceError} instead of returning the last iterate when `maxIter` is hit (default false). */
  throwOnNoConvergence?: boolean;
}

/** Result of {@link geometricMedianResult}. */
export interface GeometricMedianResult {
  /** The (approximate) geometric median, length d. */
  median: Float64Array;
  /** Weiszfeld iterations done. */
  iterations: number;
  /** Whether the tolerance was met (or the optimality condition at a data point). */
  converged: boolean;
  /** The objective Σ wᵢ‖xᵢ − y‖ at the returned point. */
  objective: number;
}

/**
 * Weiszfeld's algorithm with the Vardi–Zhang (2000) modification for iterates that coincide with
 * data points. At y, with η = Σ_{xᵢ = y} wᵢ, T(y) = Σ_{xᵢ≠y} wᵢxᵢ/dᵢ / Σ_{xᵢ≠y} wᵢ/dᵢ and
 * R(y) = Σ_{xᵢ≠y} wᵢ(xᵢ − y)/dᵢ, the update is y⁺ = (1 − γ)T(y) + γy with γ = min(1, η/‖R‖);
 * y is optimal iff ‖R(y)‖ ≤ η. Iterates approach a data-point median only sublinearly, so every
 * 10 iterations (and on stopping) the nearest data point is tested with that condition and
 * returned exactly when it holds.
 */
export function geometricMedianResult(
  X: MatrixLike,
  options: GeometricMedianOptions = {},
): GeometricMedianResult {
  readOptions(options);
  const { tol = 1e-10, maxIter = 1000, weights, init, throwOnNoConvergence = false } = options;
  assertPositive('tol', tol);
  assertInteger('maxIter', maxIter, 1);
  const M = readMatrix(X, 'X');
  const { rows: n, cols: d, data } = M;
  let w: Float64Array;
  if (weights !== undefined) {
    w = readSample('weights', weights);
    if (w.length !== n)
      throw new ShapeError(`weights must have length X.rows = ${n}, got length ${w.length}`, 'weights');
    let tot = 0;
    for (let i = 0; i < n; i++) {
      if (w[i] < 0) throw new ValueError(`weights must be >= 0, got ${w[i]} at index ${i}`, 'weights');
      tot += w[i];
    }
    if (tot <= 0) throw new ValueError('weights must have a positive sum, got 0', 'weights');
  } else {
    w = new Float64Array(n).fill(1);
  }
  let y: Float64Array = new Float64Array(d);
  if (init !== undefined) {
    y = readSample('init', init);
    if (y.length !== d)
      throw new ShapeError(`init must have length X.cols = ${d}, got length ${y.length}`, 'init');
  } else {
    let tot = 0;
    for (let i = 0; i < n; i++) {
      tot += w[i];
      for (let j = 0; j < d; j++) y[j] += w[i] * data[i * d + j];
    }
    for (let j = 0; j < d; j++) y[j] /= tot;
  }
  // coincidence threshold relative to the data scale
  let scale = 0;
  for (let i = 0; i < data.length; i++) scale = Math.max(scale, Math.abs(data[i]));
  const tiny = 1e-14 * Math.max(scale, 1);
  const num = new Float64Array(d);
  const R = new Float64Array(d);
  /**
   * Whether the data point k is the median: ‖Σ_{xᵢ≠x_k} wᵢ(xᵢ − x_k)/‖xᵢ − x_k‖‖ ≤ Σ_{xᵢ=x_k} wᵢ.
   * Weiszfeld approaches such a point only sublinearly, so we test the nearest point directly.
   */
  const optimalAtPoint = (k: number): boolean => {
    const Rk = new Float64Array(d);
    let etaK = 0;
    for (let i = 0; i < n; i++) {
      if (w[i] === 0) continue;
      let dist2 = 0;
      for (let j = 0; j < d; j++) dist2 += (data[i * d + j] - data[k * d + j]) ** 2;
      const dist = Math.sqrt(dist2);
      if (dist <= tiny) {
        etaK += w[i];
        continue;
      }
      for (let j = 0; j < d; j++) Rk[j] += (w[i] * (data[i * d + j] - data[k * d + j])) / dist;
    }
    let r = 0;
    for (let j = 0; j < d; j++) r += Rk[j] * Rk[j];
    return Math.sqrt(r) <= etaK;
  };
  let converged = false;
  let it = 0;
  for (; it < maxIter && !converged; ) {
    it++;
    num.fill(0);
    R.fill(0);
    let den = 0;
    let eta = 0;
    let nearest = -1;
    let nearestDist = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      if (w[i] === 0) continue;
      let dist2 = 0;
      for (let j = 0; j < d; j++) {
        const diff = data[i * d + j] - y[j];
        dist2 += diff * diff;
      }
      const dist = Math.sqrt(dist2);
      if (dist < nearestDist) {
        nearestDist = dist;
        nearest = i;
      }
      if (dist <= tiny) {
        eta += w[i];
        continue;
      }
      const c = w[i] / dist;
      den += c;
      for (let j = 0; j < d; j++) {
        num[j] += c * data[i * d + j];
        R[j] += c * (data[i * d + j] - y[j]);
      }
    }
    if (den === 0) {
      converged = true; // every point coincides with y
      break;
    }
    let rNorm = 0;
    for (let j = 0; j < d; j++) rNorm += R[j] * R[j];
    rNorm = Math.sqrt(rNorm);
    if (rNorm <= eta) {
      converged = true; // y is a data point satisfying the optimality condition
      break;
    }
    const gamma = eta > 0 ? Math.min(1, eta / rNorm) : 0;
    let step2 = 0;
    let y2 = 0;
    const next = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      next[j] = (1 - gamma) * (num[j] / den) + gamma * y[j];
      step2 += (next[j] - y[j]) ** 2;
      y2 += next[j] * next[j];
    }
    y = next;
    if (Math.sqrt(step2) <= tol * Math.max(1, Math.sqrt(y2))) converged = true;
    // every 10 iterations, at the end, or on convergence: is the nearest data point the answer?
    if (
      (converged || it % 10 === 0 || it === maxIter) &&
      nearest >= 0 &&
      nearestDist > tiny &&
      optimalAtPoint(nearest)
    ) {
      y = data.slice(nearest * d, nearest * d + d);
      converged = true;
    }
  }
  if (!converged && throwOnNoConvergence) {
    throw new ConvergenceError(
      `geometricMedian did not converge within maxIter = ${maxIter} iterations (tol ${tol})`,
      'maxIter',
    );
  }
  let obj = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (data[i * d + j] - y[j]) ** 2;
    obj += w[i] * Math.sqrt(s);
  }
  return { median: y, iterations: it, converged, objective: obj };
}

/**
 * The geometric median argmin_y Σ wᵢ‖xᵢ − y‖ of the rows of X (Weiszfeld + Vardi–Zhang; see
 * {@link geometricMedianResult} for diagnostics). Breakdown point 1/2.
 *
 * ```ts
 * geometricMedian(Matrix.from([[0, 0], [1, 0], [0, 1], [100, 100]]));
 * ```
 */
export function geometricMedian(X: MatrixLike, options: GeometricMedianOptions = {}): Float64Array {
  readOptions(options);
  return geometricMedianResult(X, options).median;
}

/** Options of {@link geometricMedianOfMeans}. */
export interface GeometricMedianOfMeansOptions extends GeometricMedianOptions, MedianOfMeansOptions {}

/**
 * Geometric median-of-means (Minsker 2015): the geometric median of the k block means of the
 * rows of X (blocks in order or shuffled by `rng`).
 */
export function geometricMedianOfMeans(
  X: MatrixLike,
  k: number,
  options: GeometricMedianOfMeansOptions = {},
): Float64Array {
  const { rng, ...gm } = readMeanOptions(options) as GeometricMedianOfMeansOptions;
  return geometricMedian(blockMeans(X, k, { rng }), gm);
}

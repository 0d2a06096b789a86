/**
 * Symmetric eigendecomposition `A = V diag(λ) Vᵀ`: Householder tridiagonalisation followed by
 * the implicit QL algorithm with Wilkinson-type shifts (EISPACK tred2 + tql2, as in JAMA).
 *
 * Implementation note: the algorithm is run on the *transpose* of the working matrix so that
 * every inner loop (the Householder updates, the accumulation of the transformations and each
 * Givens rotation of tql2) walks a contiguous row of a flat Float64Array.
 * @module
 */
import { ConvergenceError, ValueError } from '../errors';
import { Matrix, type MatrixLike } from '../matrix';
import {
  EPS,
  assertSymmetric,
  hypot,
  maxAbs,
  powerOfTwoScale,
  readSquare,
  scaleInPlace,
  transposeData,
} from './internal';

/** Options of {@link eigh}. */
export interface EighOptions {
  /** Compute the eigenvectors (default true); `false` is several times faster. */
  vectors?: boolean;
  /** Relative tolerance of the symmetry check (default 1e-10; `Infinity` skips it and reads the upper triangle). */
  symmetryTol?: number;
  /** Maximum QL iterations per eigenvalue before a {@link ConvergenceError} (default 60). */
  maxIter?: number;
}

/** The result of {@link eigh}. */
export interface EighDecomposition {
  /** Eigenvalues in ascending order. */
  values: Float64Array;
  /** Orthonormal eigenvectors as the columns (column i belongs to `values[i]`); empty 0×0 if `vectors: false`. */
  vectors: Matrix;
}

/** Householder reduction to tridiagonal form (tred2) on `w` (= Vᵀ); d, e get the tridiagonal. */
function tred2(n: number, w: Float64Array, d: Float64Array, e: Float64Array, wantVectors: boolean): void {
  for (let j = 0; j < n; j++) d[j] = w[j * n + n - 1];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = w[j * n + i - 1];
        w[j * n + i] = 0;
        w[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      // apply the similarity transformation to the remaining columns
      for (let j = 0; j < i; j++) {
        const wj = j * n;
        f = d[j];
        w[i * n + j] = f;
        g = e[j] + w[wj + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          const vkj = w[wj + k];
          g += vkj * d[k];
          e[k] += vkj * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        const wj = j * n;
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) w[wj + k] -= f * e[k] + g * d[k];
        d[j] = w[wj + i - 1];
        w[wj + i] = 0;
      }
    }
    d[i] = h;
  }
  if (!wantVectors) {
    for (let j = 0; j < n; j++) d[j] = w[j * n + j];
    e[0] = 0;
    return;
  }
  // accumulate the transformations
  for (let i = 0; i < n - 1; i++) {
    w[i * n + n - 1] = w[i * n + i];
    w[i * n + i] = 1;
    const h = d[i + 1];
    const wi1 = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = w[wi1 + k] / h;
      for (let j = 0; j <= i; j++) {
        const wj = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += w[wi1 + k] * w[wj + k];
        if (g === 0) continue;
        for (let k = 0; k <= i; k++) w[wj + k] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) w[wi1 + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = w[j * n + n - 1];
    w[j * n + n - 1] = 0;
  }
  w[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/**
 * Applies the rotations of one QL sweep, i = m−1 down to l, to the rows of w:
 * `(w_{i+1}, w_i) ← (s w_i + c w_{i+1}, c w_i − s w_{i+1})`. Consecutive rotations share a row,
 * so they are applied four (or two) at a time: one pass over five rows instead of four passes
 * over two rows each.
 */
function applyRotations(
  w: Float64Array,
  width: number,
  l: number,
  m: number,
  rc: Float64Array,
  rs: Float64Array,
): void {
  let i = m - 1;
  for (; i - 3 >= l; i -= 4) {
    const c3 = rc[i];
    const s3 = rs[i];
    const c2 = rc[i - 1];
    const s2 = rs[i - 1];
    const c1 = rc[i - 2];
    const s1 = rs[i - 2];
    const c0 = rc[i - 3];
    const s0 = rs[i - 3];
    const r0 = (i - 3) * width; // rows i-3 .. i+1
    const r1 = r0 + width;
    const r2 = r1 + width;
    const r3 = r2 + width;
    const r4 = r3 + width;
    for (let k = 0; k < width; k++) {
      let carry = w[r4 + k];
      let x = w[r3 + k];
      w[r4 + k] = s3 * x + c3 * carry;
      carry = c3 * x - s3 * carry;
      x = w[r2 + k];
      w[r3 + k] = s2 * x + c2 * carry;
      carry = c2 * x - s2 * carry;
      x = w[r1 + k];
      w[r2 + k] = s1 * x + c1 * carry;
      carry = c1 * x - s1 * carry;
      x = w[r0 + k];
      w[r1 + k] = s0 * x + c0 * carry;
      w[r0 + k] = c0 * x - s0 * carry;
    }
  }
  for (; i - 1 >= l; i -= 2) {
    const c1 = rc[i];
    const s1 = rs[i];
    const c0 = rc[i - 1];
    const s0 = rs[i - 1];
    const r0 = (i - 1) * width; // row i-1
    const r1 = r0 + width; // row i
    const r2 = r1 + width; // row i+1
    for (let k = 0; k < width; k++) {
      const a = w[r2 + k];
      const b = w[r1 + k];
      const x = w[r0 + k];
      w[r2 + k] = s1 * b + c1 * a;
      const mid = c1 * b - s1 * a;
      w[r1 + k] = s0 * x + c0 * mid;
      w[r0 + k] = c0 * x - s0 * mid;
    }
  }
  if (i >= l) {
    const c = rc[i];
    const s = rs[i];
    const wi = i * width;
    const wi1 = wi + width;
    for (let k = 0; k < width; k++) {
      const hk = w[wi1 + k];
      const vk = w[wi + k];
      w[wi1 + k] = s * vk + c * hk;
      w[wi + k] = c * vk - s * hk;
    }
  }
}

/**
 * Implicit QL on the symmetric tridiagonal (d, e) (tql2); rotations are applied to the rows of
 * `w` (n rows of length `width`; the eigenvectors as rows when w starts as I) if given. Leaves the
 * eigenvalues in d, unsorted.
 * @internal
 */
export function tql2(
  n: number,
  d: Float64Array,
  e: Float64Array,
  w: Float64Array | null,
  maxIter: number,
  width = n,
): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  if (n > 0) e[n - 1] = 0;
  const rc = new Float64Array(n);
  const rs = new Float64Array(n);
  let f = 0;
  let tst1 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1) {
      if (Math.abs(e[m]) <= EPS * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > maxIter) {
          throw new ConvergenceError(
            `eigh: the QL iteration did not converge for eigenvalue ${l} within maxIter = ${maxIter} iterations`,
            'maxIter',
          );
        }
        // implicit shift
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        // implicit QL transformation
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          rc[i] = c;
          rs[i] = s;
        }
        if (w !== null) applyRotations(w, width, l, m, rc, rs);
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > EPS * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}

/**
 * Eigendecomposition of a real symmetric matrix: eigenvalues ascending, orthonormal
 * eigenvectors as columns, `A V = V diag(values)`.
 *
 * Throws a {@link ValueError} naming `A` if A is not symmetric (to `symmetryTol`) or not finite,
 * a {@link ShapeError} if not square, a {@link ConvergenceError} if QL does not converge.
 *
 * ```ts
 * const { values, vectors } = eigh(A);
 * ```
 */
export function eigh(A: MatrixLike, options: EighOptions = {}): EighDecomposition {
  const { vectors: wantVectors = true, symmetryTol = 1e-10, maxIter = 60 } = options;
  const a = readSquare(A, 'A');
  if (Number.isFinite(symmetryTol)) assertSymmetric(a, 'A', symmetryTol);
  const n = a.rows;
  const w = a.data.slice(); // symmetric: A = Aᵀ, read as Vᵀ
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n === 0) return { values: d, vectors: new Matrix(0, 0) };
  // scale into [0.5, 1) by a power of two (exact): no underflow of products of tiny entries in
  // tred2/tql2, no overflow of sums of squares of huge ones; the eigenvalues are unscaled below
  const sigma = powerOfTwoScale(maxAbs(w));
  scaleInPlace(w, sigma);
  tred2(n, w, d, e, wantVectors);
  tql2(n, d, e, wantVectors ? w : null, maxIter);
  scaleInPlace(d, 1 / sigma);
  // sort ascending (selection sort, swapping eigenvector rows of w)
  const order = Array.from(d.keys()).sort((i, j) => d[i] - d[j]);
  const values = Float64Array.from(order, (i) => d[i]);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i]))
      throw new ValueError('A has an eigenvalue beyond the float64 range (|λ| > 1.8e308)', 'A');
  }
  if (!wantVectors) return { values, vectors: new Matrix(0, 0) };
  const sorted = new Float64Array(n * n);
  for (let c = 0; c < n; c++) sorted.set(w.subarray(order[c] * n, order[c] * n + n), c * n);
  return { values, vectors: new Matrix(n, n, transposeData(sorted, n, n)) };
}

/**
 * Symmetric eigendecomposition `A = V diag(λ) Vᵀ`: Householder tridiagonalisation followed by
 * the implicit QL algorithm with Wilkinson-type shifts (EISPACK tred2 + tql2, as in JAMA).
 *
 * Implementation note: the algorithm is run on the *transpose* of the working matrix so that
 * every inner loop (the Householder updates, the accumulation of the transformations and each
 * Givens rotation of tql2) walks a contiguous row of a flat Float64Array.
 * @module
 */

import { rawCopyF64, withArena } from '../blas/arena';
import { gemv, ger, rotChainQl } from '../blas/kernels';
import { CROSSOVER } from '../blas/crossovers';
import { kernelModule } from '../blas/wasmModule';
import { ConvergenceError, ValueError } from '../errors';
import { Matrix, type MatrixLike } from '../matrix';
import { option, resolveOptions } from '../options';
import {
  assertSymmetric,
  EPS,
  hypot,
  maxAbs,
  powerOfTwoScale,
  readSquare,
  scaleInPlace,
  transposeData,
} from './internal';
import { tridiagonalEigDC } from './tridiagonalDC';
import { applyQtBlocked, tridiagonalizeBlocked } from './tridiagonalizeBlocked';

/**
 * From this size on, `method: 'auto'` takes the eigenvectors from divide and conquer (below:
 * implicit QL with the rotations in wasm). Measured (CPU time of the whole eigh, 2-core EPYC under
 * load), QL vs divide and conquer with its merges' secular equations and vectors in wasm, the
 * merge products by halves and Qᵀ applied in compact WY blocks: n = 128 2.3 vs 3.1 ms, 256 13.1 vs
 * 13.1, 384 40.1 vs 37.5, 512 96.7 vs 71.3 (before those three changes: 256 12.3 vs 15.1, 512
 * 86 vs 84, 768 271 vs 250, which is why this was 768).
 */
const DC_FROM = 384;

/** From this size on eigh runs on the kernel layer (arena, wasm level-2 kernels); below, tred2 in JavaScript. */
const KERNEL_EIGH_FROM = 32;

/**
 * The blocked Householder stages (tridiagonalizeBlocked.ts: LAPACK dsytrd/dlatrd panels, and Qᵀ
 * accumulated in compact WY form) are used from these sizes on, with panels of `panel` rows.
 * Measured (CPU time of the whole eigh with vectors, 2-core EPYC under load): accumulation
 * n = 256 12.2 vs 12.4 ms (no gain), 512 85.6 → 84.8, 768 271 → 262, 1024 742 → 646; panel
 * reduction (values only) n = 256 4.0 vs 4.5, 512 23.3 vs 24.4, 768 65.9 vs 66.3 (slower: the
 * leading block stays in L2, where the wasm level-2 kernels run at ~10 GFLOP/s against the
 * gemm's ~18, and the panel adds level-2 work), 1024 211 → 190. Mutable for tests only.
 * @internal
 */
export const EIGH_BLOCKING = { accumulateFrom: 512, reduceFrom: 1024, panel: 32 };

/** Options of {@link eigh}. */
export interface EighOptions {
  /** Compute the eigenvectors (default true); `false` is several times faster. */
  vectors?: boolean;
  /** Relative tolerance of the symmetry check (default 1e-10; `Infinity` skips it and reads the upper triangle). */
  symmetryTol?: number;
  /** Maximum QL iterations per eigenvalue before a {@link ConvergenceError} (default 60). */
  maxIter?: number;
  /**
   * Tridiagonal eigensolver for the eigenvectors: `'ql'` (implicit QL, EISPACK tql2),
   * `'divide-and-conquer'` (Cuppen / Gu–Eisenstat, LAPACK dstedc) or `'auto'` (default: QL below
   * n = 384, where it measured as fast or faster here, divide and conquer from there).
   */
  method?: 'auto' | 'ql' | 'divide-and-conquer';
}

const EIGH_OPTIONS = {
  vectors: option.boolean({ default: true }),
  symmetryTol: option.number({ min: 0, allowInfinity: true, default: 1e-10 }),
  maxIter: option.integer({ min: 0, max: 1e6, default: 60 }),
  method: option.oneOf(['auto', 'ql', 'divide-and-conquer'], { default: 'auto' }),
};

/** The result of {@link eigh}. */
export interface EighDecomposition {
  /** Eigenvalues in ascending order. */
  values: Float64Array;
  /** Orthonormal eigenvectors as the columns (column i belongs to `values[i]`); empty 0×0 if `vectors: false`. */
  vectors: Matrix;
}

/**
 * Householder reduction to tridiagonal form (EISPACK tred2, as in JAMA) on `w` (= Vᵀ, the
 * transposed working matrix: every inner loop walks a contiguous row), with the transformations
 * accumulated in w; d, e get the tridiagonal. Used below {@link KERNEL_EIGH_FROM} (small
 * matrices, e.g. CMA-ES covariances): plain JavaScript, the same bits as before the kernel layer
 * (and as its wasm port `dtred2`, used from n = 16).
 * @internal
 */
export function tred2(
  n: number,
  w: Float64Array,
  d: Float64Array,
  e: Float64Array,
  wantVectors: boolean,
): void {
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
 * Qᵀ = H_2 H_3 ⋯ H_{n−1} from the reflectors left by the tridiagonalisation (tridiagonalizeBlocked.ts), into `x` (n×n,
 * row-major; row c of x is column c of Q: the layout tql2's rotations need). Accumulated as
 * X ← X H_i for i = 2..n−1, when X differs from I only in its leading (i−1)×(i−1) block: row
 * r < i of X gets X[r, 0..i) −= τ (X[r, 0..i)·v) vᵀ — a gemv and a rank-1 update (`w` scratch).
 */
function accumulateQt(n: number, a: Float64Array, tau: Float64Array, x: Float64Array, w: Float64Array): void {
  x.fill(0);
  for (let c = 0; c < n; c++) x[c * n + c] = 1;
  for (let i = 2; i < n; i++) {
    const t = tau[i];
    if (t === 0) continue;
    const r = i * n;
    const beta = a[r + i - 1];
    a[r + i - 1] = 1; // v_i with its unit entry
    const v = a.subarray(r, r + i);
    const wv = w.subarray(0, i);
    // rows 0..i−1 of X (row i−1 is still e_{i−1}ᵀ: the product gives v's entries)
    gemv(i, i, 1, x, n, v, 0, wv);
    ger(i, i, -t, wv, v, x, n);
    a[r + i - 1] = beta;
  }
}

/** The error of a QL iteration that did not converge for eigenvalue l. */
function qlConvergenceError(l: number, maxIter: number): ConvergenceError {
  return new ConvergenceError(
    `eigh: the QL iteration did not converge for eigenvalue ${l} within maxIter = ${maxIter} iterations`,
    'maxIter',
  );
}

/**
 * Implicit QL on the symmetric tridiagonal (d, e) (tql2); rotations are applied to the rows of
 * `w` (n rows of length `width`; the eigenvectors as rows when w starts as I) if given — by the
 * kernel layer's rotation chains, in wasm when w, rc and rs share an arena. Leaves the eigenvalues
 * in d, unsorted.
 * @internal
 */
export function tql2(
  n: number,
  d: Float64Array,
  e: Float64Array,
  w: Float64Array | null,
  maxIter: number,
  width = n,
  rc: Float64Array = new Float64Array(n),
  rs: Float64Array = new Float64Array(n),
): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  if (n > 0) e[n - 1] = 0;
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
        if (++iter > maxIter) throw qlConvergenceError(l, maxIter);
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
        if (w !== null) rotChainQl(w, width, width, l, m, rc, rs);
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
 * tred2 + tql2 for small n (below {@link KERNEL_EIGH_FROM}); returns Vᵀ (rows = eigenvectors) or
 * null. From n = 16 (eigenvectors wanted, wasm available) both run on an arena copy in wasm with
 * the same bits as the JavaScript loops (CMA-ES covariances at d = 16–31: about 1.8× faster).
 */
function eighSmall(
  data: Float64Array,
  n: number,
  sigma: number,
  d: Float64Array,
  e: Float64Array,
  wantVectors: boolean,
  maxIter: number,
): Float64Array | null {
  if (wantVectors && n >= CROSSOVER.rotations && kernelModule() !== null)
    // tred2 (`dtred2`) and the QL rotations of the eigenvector rows in wasm: the same operations
    // in the same order as the JavaScript loops (same bits), without their per-element overhead
    return withArena((n * n + 4 * n) * 8 + 64, (arena) => {
      const w = rawCopyF64(arena, data);
      scaleInPlace(w, sigma);
      const ex = arena.exports;
      if (!ex) {
        tred2(n, w, d, e, true);
        tql2(n, d, e, w, maxIter, n, arena.f64(n), arena.f64(n));
        return w.slice();
      }
      const dd = arena.f64(n);
      const ee = arena.f64(n);
      const rc = arena.f64(n);
      const rs = arena.f64(n);
      ex.dtred2(n, w.byteOffset, dd.byteOffset, ee.byteOffset, 1);
      const l = ex.dtql2(
        n,
        dd.byteOffset,
        ee.byteOffset,
        w.byteOffset,
        n,
        n,
        maxIter,
        rc.byteOffset,
        rs.byteOffset,
      );
      if (l >= 0) throw qlConvergenceError(l, maxIter);
      d.set(dd);
      e.set(ee);
      return w.slice();
    });
  const w = data.slice(); // symmetric: A = Aᵀ, read as Vᵀ (the upper triangle when unchecked)
  scaleInPlace(w, sigma);
  tred2(n, w, d, e, wantVectors);
  tql2(n, d, e, wantVectors ? w : null, maxIter);
  return wantVectors ? w : null;
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
  const { vectors: wantVectors, symmetryTol, maxIter, method } = resolveOptions(options, EIGH_OPTIONS);
  const a = readSquare(A, 'A');
  if (Number.isFinite(symmetryTol)) assertSymmetric(a, 'A', symmetryTol);
  const n = a.rows;
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n === 0) return { values: d, vectors: new Matrix(0, 0) };
  // scale into [0.5, 1) by a power of two (exact): no underflow of products of tiny entries,
  // no overflow of sums of squares of huge ones; the eigenvalues are unscaled below
  const sigma = powerOfTwoScale(maxAbs(a.data));
  const w =
    n < KERNEL_EIGH_FROM
      ? eighSmall(a.data, n, sigma, d, e, wantVectors, maxIter)
      : withArena(
          (4 * n * n + 4 * n + 3 * EIGH_BLOCKING.panel * n + (EIGH_BLOCKING.panel + 2) ** 2) * 8 + 512,
          (arena) => {
            const h = rawCopyF64(arena, a.data);
            // the lower triangle is read; without the symmetry check the documented triangle is the upper one
            if (!Number.isFinite(symmetryTol))
              for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) h[i * n + j] = h[j * n + i];
            scaleInPlace(h, sigma);
            const tau = arena.f64(n);
            const nb = EIGH_BLOCKING.panel;
            const p = arena.f64(n + 2 * nb);
            const reduceBlocked = n >= EIGH_BLOCKING.reduceFrom;
            const accumulateBlocked = wantVectors && n >= EIGH_BLOCKING.accumulateFrom;
            const useDC = method === 'divide-and-conquer' || (method === 'auto' && n >= DC_FROM);
            const panel = arena.f64(3 * nb * n + nb * nb);
            // Householder tridiagonalisation T = Qᵀ A Q, bottom-up as tred2 (in panels from reduceFrom)
            tridiagonalizeBlocked(n, h, d, e, tau, nb, reduceBlocked ? nb : n, panel, p);
            if (!wantVectors) {
              tql2(n, d, e, null, maxIter);
              return null;
            }
            if (!useDC) {
              const x = arena.f64(n * n);
              if (accumulateBlocked) applyQtBlocked(n, h, tau, x, nb, panel, p, true);
              else accumulateQt(n, h, tau, x, p);
              tql2(n, d, e, x, maxIter, n, tau, p); // tau and p reused as the rotation buffers
              return x.slice();
            }
            // divide and conquer on T (eigenvectors as rows of zt), then Vᵀ = Zᵀ Qᵀ: the reflectors
            // applied to the rows of zt in compact WY blocks (dormtr), without forming Qᵀ
            const off = new Float64Array(n);
            for (let i = 0; i + 1 < n; i++) off[i] = e[i + 1];
            const zt = arena.f64(n * n);
            tridiagonalEigDC(n, d, off, zt, maxIter);
            applyQtBlocked(n, h, tau, zt, nb, panel, p, false);
            return zt.slice();
          },
        );
  scaleInPlace(d, 1 / sigma);
  // sort ascending (selection sort, swapping eigenvector rows of w)
  const order = Array.from(d.keys()).sort((i, j) => d[i] - d[j]);
  const values = Float64Array.from(order, (i) => d[i]);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i]))
      throw new ValueError('A has an eigenvalue beyond the float64 range (|λ| > 1.8e308)', 'A');
  }
  if (!w) return { values, vectors: new Matrix(0, 0) };
  const sorted = new Float64Array(n * n);
  for (let c = 0; c < n; c++) sorted.set(w.subarray(order[c] * n, order[c] * n + n), c * n);
  return { values, vectors: new Matrix(n, n, transposeData(sorted, n, n)) };
}

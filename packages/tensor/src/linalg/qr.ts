/**
 * Householder QR factorisation `A = Q R` of any m×n matrix, thin or full.
 *
 * Works on the transpose of A so that every column of A (and of Q) is a contiguous row:
 * each reflector `H_k = I − τ_k v_k v_kᵀ` is built from column k (LAPACK dgeqr2's convention,
 * `v_k[k] = 1`, `R_kk = −sign(a_kk)‖a_k‖`) and applied to the remaining columns; Q is
 * accumulated backwards, `Q = H_0 H_1 … H_{r−1} I`, touching only the columns it changes.
 * @module
 */

import { Matrix, type MatrixLike } from '../matrix';
import { option, resolveOptions } from '../options';
import { readMatrix, transposeData } from './internal';

/** Options of {@link qr}. */
export interface QrOptions {
  /**
   * `'thin'` (default): Q is m×r and R is r×n with r = min(m, n).
   * `'full'`: Q is m×m orthogonal and R is m×n.
   */
  mode?: 'thin' | 'full';
}

const QR_OPTIONS = { mode: option.oneOf(['thin', 'full'], { default: 'thin' }) };

/** The result of {@link qr}: `A = Q R`, Q with orthonormal columns, R upper triangular. */
export interface QrDecomposition {
  Q: Matrix;
  R: Matrix;
}

/**
 * Householder reflectors of A, stored in the transpose `at` (n×m, row k = column k of A):
 * on exit row k holds R's column k above/at the diagonal (entries 0..k) and v_k below it.
 * @internal
 */
export function householderInPlace(at: Float64Array, m: number, n: number): Float64Array {
  const r = Math.min(m, n);
  const tau = new Float64Array(r);
  for (let k = 0; k < r; k++) {
    const ck = k * m;
    // ‖x[1:]‖ with scaling against over/underflow
    let amax = 0;
    for (let i = k + 1; i < m; i++) {
      const v = Math.abs(at[ck + i]);
      if (v > amax) amax = v;
    }
    if (amax === 0) {
      tau[k] = 0; // H = I; R_kk = a_kk
      continue;
    }
    let ss = 0;
    for (let i = k + 1; i < m; i++) {
      const v = at[ck + i] / amax;
      ss += v * v;
    }
    const alpha = at[ck + k];
    const sigma = amax * Math.sqrt(ss);
    const a = Math.abs(alpha);
    const nrm = a > sigma ? a * Math.sqrt(1 + (sigma / a) ** 2) : sigma * Math.sqrt(1 + (a / sigma) ** 2);
    const beta = alpha >= 0 ? -nrm : nrm;
    tau[k] = (beta - alpha) / beta;
    const inv = 1 / (alpha - beta);
    for (let i = k + 1; i < m; i++) at[ck + i] *= inv;
    at[ck + k] = beta;
    const t = tau[k];
    // apply H_k to columns j > k: a_j ← a_j − τ v (vᵀ a_j)
    for (let j = k + 1; j < n; j++) {
      const cj = j * m;
      let w = at[cj + k];
      for (let i = k + 1; i < m; i++) w += at[ck + i] * at[cj + i];
      w *= t;
      if (w === 0) continue;
      at[cj + k] -= w;
      for (let i = k + 1; i < m; i++) at[cj + i] -= w * at[ck + i];
    }
  }
  return tau;
}

/**
 * Q's columns as the rows of a p×m buffer (`p` = m for full, r for thin) from the reflectors.
 * @internal
 */
export function accumulateQt(at: Float64Array, tau: Float64Array, m: number, p: number): Float64Array {
  const r = tau.length;
  const qt = new Float64Array(p * m);
  for (let j = 0; j < p; j++) qt[j * m + j] = 1;
  for (let k = r - 1; k >= 0; k--) {
    const t = tau[k];
    if (t === 0) continue;
    const ck = k * m;
    // columns j < k of the partial product are still e_j, untouched by H_k
    for (let j = k; j < p; j++) {
      const qj = j * m;
      let w = qt[qj + k];
      for (let i = k + 1; i < m; i++) w += at[ck + i] * qt[qj + i];
      w *= t;
      if (w === 0) continue;
      qt[qj + k] -= w;
      for (let i = k + 1; i < m; i++) qt[qj + i] -= w * at[ck + i];
    }
  }
  return qt;
}

/**
 * Householder QR: `A = Q R` with Q having orthonormal columns and R upper triangular
 * (diagonal of either sign, LAPACK's convention). Works for any m×n, including rank-deficient
 * and wide matrices (no column pivoting: for a rank-revealing factorisation use {@link svd}).
 *
 * ```ts
 * const { Q, R } = qr(A);                 // thin: Q m×min(m,n), R min(m,n)×n
 * const full = qr(A, { mode: 'full' });   // Q m×m, R m×n
 * ```
 */
export function qr(A: MatrixLike, options: QrOptions = {}): QrDecomposition {
  const { mode } = resolveOptions(options, QR_OPTIONS);
  const a = readMatrix(A, 'A');
  const { rows: m, cols: n } = a;
  const r = Math.min(m, n);
  const at = transposeData(a.data, m, n);
  const tau = householderInPlace(at, m, n);
  const p = mode === 'full' ? m : r;
  const Q = new Matrix(m, p, transposeData(accumulateQt(at, tau, m, p), p, m));
  const R = new Matrix(p, n);
  for (let i = 0; i < Math.min(p, r); i++) for (let j = i; j < n; j++) R.data[i * n + j] = at[j * m + i];
  return { Q, R };
}

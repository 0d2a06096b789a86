/**
 * Linear least squares `min ‖A x − b‖₂` through the SVD: the minimum-norm solution
 * `x = V diag(1/S) Uᵀ b` over the singular values above `rcond · S_max` (numpy's `lstsq`), so
 * rank-deficient and wide (under-determined) systems are handled.
 * @module
 */

import { Matrix, type MatrixLike } from '../matrix';
import { readNumber } from '../options';
import { EPS, type RhsLike, readMatrix, type VectorLike } from './internal';
import { svd } from './svd';
import { readRhs } from './triangularSolve';

/** The result of {@link lstsq}. */
export interface LstsqResult<X> {
  /** The minimum-norm least-squares solution (n, or n×p for a matrix right-hand side). */
  x: X;
  /** The effective rank (singular values kept). */
  rank: number;
  /** Singular values of A, descending. */
  S: Float64Array;
  /** ‖A x − b‖₂ (per column for a matrix right-hand side). */
  residualNorm: Float64Array;
}

/**
 * Minimum-norm least-squares solution of `A x ≈ b` for any m×n A (default
 * `rcond = max(m, n)·ε`, as numpy). `b` may be a vector or a matrix of right-hand sides.
 */
export function lstsq(
  A: MatrixLike,
  b: Float64Array | number[] | VectorLike,
  rcond?: number,
): LstsqResult<Float64Array>;
export function lstsq(A: MatrixLike, b: MatrixLike, rcond?: number): LstsqResult<Matrix>;
export function lstsq(A: MatrixLike, b: RhsLike, rcond?: number): LstsqResult<Float64Array | Matrix>;
export function lstsq(A: MatrixLike, b: RhsLike, rcond?: number): LstsqResult<Float64Array | Matrix> {
  const a = readMatrix(A, 'A');
  const { rows: m, cols: n } = a;
  const { x: bb, p, matrix } = readRhs(b, 'b', m);
  const rc = rcond === undefined ? Math.max(m, n) * EPS : readNumber(rcond, 'rcond', { min: 0 });
  const { U, S, V } = svd(a);
  const r = S.length;
  const cutoff = rc * (r > 0 ? S[0] : 0);
  let rank = 0;
  for (let k = 0; k < r; k++) if (S[k] > cutoff && S[k] > 0) rank++;
  // c = diag(1/S) Uᵀ b  (rank × p), then x = V c
  const c = new Float64Array(rank * p);
  const ud = U.data;
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < rank; k++) {
      const u = ud[i * r + k];
      if (u === 0) continue;
      for (let j = 0; j < p; j++) c[k * p + j] += u * bb[i * p + j];
    }
  }
  for (let k = 0; k < rank; k++) for (let j = 0; j < p; j++) c[k * p + j] /= S[k];
  const x = new Float64Array(n * p);
  const vd = V.data;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < rank; k++) {
      const v = vd[i * r + k];
      if (v === 0) continue;
      for (let j = 0; j < p; j++) x[i * p + j] += v * c[k * p + j];
    }
  }
  // residual norms ‖A x − b‖ per column
  const res = new Float64Array(p);
  const ad = a.data;
  const row = new Float64Array(p);
  for (let i = 0; i < m; i++) {
    row.fill(0);
    for (let k = 0; k < n; k++) {
      const aik = ad[i * n + k];
      if (aik === 0) continue;
      for (let j = 0; j < p; j++) row[j] += aik * x[k * p + j];
    }
    for (let j = 0; j < p; j++) res[j] += (row[j] - bb[i * p + j]) ** 2;
  }
  for (let j = 0; j < p; j++) res[j] = Math.sqrt(res[j]);
  return { x: matrix ? new Matrix(n, p, x) : x, rank, S, residualNorm: res };
}

/**
 * Cholesky factorisation `A = L Lᵀ` of a symmetric positive definite matrix, solves with it,
 * and the SPD log-determinant.
 * @module
 */
import { ValueError } from '../errors';
import { Matrix, type MatrixLike } from '../matrix';
import { assertSymmetric, type RhsLike, readSquare, type VectorLike } from './internal';
import { readRhs, triangularSolveInPlace } from './triangularSolve';

/** Options of {@link cholesky}. */
export interface CholeskyOptions {
  /**
   * Relative tolerance of the symmetry check `|A[i,j] − A[j,i]| ≤ tol · max|A|` (default 1e-10).
   * Pass `Infinity` to skip the check (only the lower triangle is read).
   */
  symmetryTol?: number;
}

/**
 * The lower-triangular Cholesky factor L with `A = L Lᵀ` (Cholesky–Banachiewicz, row by row;
 * every inner product runs over two contiguous rows of L).
 *
 * Throws a {@link ValueError} naming `A` if A is not symmetric or not positive definite
 * (a pivot ≤ 0), a {@link ShapeError} if it is not square.
 */
export function cholesky(A: MatrixLike, options: CholeskyOptions = {}): Matrix {
  const a = readSquare(A, 'A');
  const n = a.rows;
  const tol = options.symmetryTol ?? 1e-10;
  if (Number.isFinite(tol)) assertSymmetric(a, 'A', tol);
  const ad = a.data;
  const L = new Matrix(n, n);
  const l = L.data;
  for (let i = 0; i < n; i++) {
    const li = i * n;
    for (let j = 0; j <= i; j++) {
      const lj = j * n;
      let s = ad[li + j];
      let k = 0;
      for (; k + 3 < j; k += 4) {
        s -=
          l[li + k] * l[lj + k] +
          l[li + k + 1] * l[lj + k + 1] +
          l[li + k + 2] * l[lj + k + 2] +
          l[li + k + 3] * l[lj + k + 3];
      }
      for (; k < j; k++) s -= l[li + k] * l[lj + k];
      if (i === j) {
        if (!(s > 0)) {
          throw new ValueError(
            `A must be symmetric positive definite, got pivot ${s.toExponential(3)} ≤ 0 at index ${i}`,
            'A',
          );
        }
        l[li + i] = Math.sqrt(s);
      } else {
        l[li + j] = s / l[lj + j];
      }
    }
  }
  return L;
}

/**
 * Solves `A x = b` given the Cholesky factor `L` of A (`L y = b`, then `Lᵀ x = y`).
 * `b` may be a vector (returns a Float64Array) or a matrix (returns a {@link Matrix}).
 */
export function choleskySolve(L: MatrixLike, b: Float64Array | number[] | VectorLike): Float64Array;
export function choleskySolve(L: MatrixLike, b: MatrixLike): Matrix;
export function choleskySolve(L: MatrixLike, b: RhsLike): Float64Array | Matrix;
export function choleskySolve(L: MatrixLike, b: RhsLike): Float64Array | Matrix {
  const l = readSquare(L, 'L');
  const n = l.rows;
  const { x, p, matrix } = readRhs(b, 'b', n);
  triangularSolveInPlace(l.data, n, x, p, true, false, false, 'L');
  triangularSolveInPlace(l.data, n, x, p, true, true, false, 'L');
  return matrix ? new Matrix(n, p, x) : x;
}

/** `log det A` of a symmetric positive definite A, as `2 Σ log L_ii` (throws like {@link cholesky} otherwise). */
export function logDetSpd(A: MatrixLike, options: CholeskyOptions = {}): number {
  const L = cholesky(A, options);
  const n = L.rows;
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(L.data[i * n + i]);
  return 2 * s;
}

/**
 * Triangular solves `op(T)·x = b` with `op(T) = T` or `Tᵀ`, for a vector or a matrix
 * right-hand side. Row-major friendly: every inner loop runs over a contiguous row.
 * @module
 */
import { ShapeError, ValueError } from '../errors';
import { isTensorLike } from '../input/tensorLike';
import { Matrix, type MatrixLike } from '../matrix';
import { option, resolveOptions } from '../options';
import { isMatrixRhs, type RhsLike, readMatrix, readSquare, readVector, type VectorLike } from './internal';

/** Options of {@link triangularSolve}. */
export interface TriangularSolveOptions {
  /** T is lower triangular (default true); otherwise upper. Only that triangle is read. */
  lower?: boolean;
  /** Solve with Tᵀ instead of T (default false). */
  transpose?: boolean;
  /** Assume a unit diagonal (the stored diagonal is not read; default false). */
  unitDiagonal?: boolean;
}

const TRIANGULAR_SOLVE_OPTIONS = {
  lower: option.boolean({ default: true }),
  transpose: option.boolean({ default: false }),
  unitDiagonal: option.boolean({ default: false }),
};

/**
 * Solves `op(T) X = X₀` in place on the n×p row-major buffer `x`.
 * @internal
 */
export function triangularSolveInPlace(
  t: Float64Array,
  n: number,
  x: Float64Array,
  p: number,
  lower: boolean,
  transpose: boolean,
  unit: boolean,
  name = 'T',
): void {
  const diag = (i: number): number => {
    const d = t[i * n + i];
    if (d === 0)
      throw new ValueError(`${name} must be non-singular, got a zero on the diagonal at index ${i}`, name);
    return d;
  };
  // effective "forward" substitution if op(T) is lower triangular
  const forward = lower !== transpose;
  if (!transpose) {
    // row-oriented: x_i = (b_i − Σ_k T[i,k] x_k) / T[i,i]
    const start = forward ? 0 : n - 1;
    const step = forward ? 1 : -1;
    for (let c = 0, i = start; c < n; c++, i += step) {
      const ti = i * n;
      const xi = i * p;
      const k0 = forward ? 0 : i + 1;
      const k1 = forward ? i : n;
      if (p === 1) {
        // one right-hand side: the running value in a local (same operations, same order)
        let v = x[i];
        for (let k = k0; k < k1; k++) {
          const tik = t[ti + k];
          if (tik !== 0) v -= tik * x[k];
        }
        x[i] = unit ? v : v * (1 / diag(i));
        continue;
      }
      for (let k = k0; k < k1; k++) {
        const tik = t[ti + k];
        if (tik === 0) continue;
        const xk = k * p;
        for (let j = 0; j < p; j++) x[xi + j] -= tik * x[xk + j];
      }
      if (!unit) {
        const inv = 1 / diag(i);
        for (let j = 0; j < p; j++) x[xi + j] *= inv;
      }
    }
    return;
  }
  // column-oriented on Tᵀ: once x_i is known, subtract T[i,k] x_i from the remaining rows k
  const start = forward ? 0 : n - 1;
  const step = forward ? 1 : -1;
  for (let c = 0, i = start; c < n; c++, i += step) {
    const ti = i * n;
    const xi = i * p;
    if (!unit) {
      const inv = 1 / diag(i);
      for (let j = 0; j < p; j++) x[xi + j] *= inv;
    }
    const k0 = forward ? i + 1 : 0;
    const k1 = forward ? n : i;
    for (let k = k0; k < k1; k++) {
      const tik = t[ti + k];
      if (tik === 0) continue;
      const xk = k * p;
      for (let j = 0; j < p; j++) x[xk + j] -= tik * x[xi + j];
    }
  }
}

/** Reads a right-hand side of `n` rows: returns its buffer (a copy), column count and kind. */
export function readRhs(
  b: RhsLike,
  name: string,
  n: number,
): { x: Float64Array; p: number; matrix: boolean } {
  if (isMatrixRhs(b)) {
    const m = readMatrix(b as MatrixLike, name);
    if (m.rows !== n) throw new ShapeError(`${name} must have ${n} rows, got ${m.rows}`, name);
    return { x: m.data.slice(), p: m.cols, matrix: true };
  }
  if (isTensorLike(b) && b.rank !== 1)
    throw new ShapeError(`${name} must be a rank-1 or rank-2 tensor, got rank ${b.rank}`, name);
  return { x: readVector(b as VectorLike, name, n, true), p: 1, matrix: false };
}

/**
 * Solves `T x = b` (or `Tᵀ x = b` with `transpose`) for triangular T by substitution.
 * `b` may be a vector (returns a Float64Array) or a matrix (returns a {@link Matrix}).
 * Throws a {@link ValueError} if a diagonal entry is zero (and `unitDiagonal` is false).
 *
 * ```ts
 * const L = cholesky(A);
 * const y = triangularSolve(L, b);                      // L y = b
 * const x = triangularSolve(L, y, { transpose: true }); // Lᵀ x = y
 * ```
 */
export function triangularSolve(
  T: MatrixLike,
  b: Float64Array | number[] | VectorLike,
  options?: TriangularSolveOptions,
): Float64Array;
export function triangularSolve(T: MatrixLike, b: MatrixLike, options?: TriangularSolveOptions): Matrix;
export function triangularSolve(
  T: MatrixLike,
  b: RhsLike,
  options?: TriangularSolveOptions,
): Float64Array | Matrix;
export function triangularSolve(
  T: MatrixLike,
  b: RhsLike,
  options: TriangularSolveOptions = {},
): Float64Array | Matrix {
  const { lower, transpose, unitDiagonal } = resolveOptions(options, TRIANGULAR_SOLVE_OPTIONS);
  const t = readSquare(T, 'T');
  const n = t.rows;
  const { x, p, matrix } = readRhs(b, 'b', n);
  triangularSolveInPlace(t.data, n, x, p, lower, transpose, unitDiagonal, 'T');
  return matrix ? new Matrix(n, p, x) : x;
}

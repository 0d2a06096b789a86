/**
 * Cholesky factorisation `A = L Lᵀ` of a symmetric positive definite matrix, solves with it,
 * and the SPD log-determinant.
 * @module
 */

import { rawCopyF64, withArena } from '../blas/arena';
import { gemm, trsmRightLowerT } from '../blas/kernels';
import { ValueError } from '../errors';
import { Matrix, type MatrixLike } from '../matrix';
import { option, resolveOptions } from '../options';
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

const CHOLESKY_OPTIONS = {
  symmetryTol: option.number({ min: 0, allowInfinity: true, default: 1e-10 }),
};

/** Panel width of the blocked Cholesky; below BLOCKED_FROM rows the unblocked loop is used. */
const NB = 32;
const BLOCKED_FROM = 64;

function notPositive(s: number, i: number): ValueError {
  return new ValueError(
    `A must be symmetric positive definite, got pivot ${s.toExponential(3)} ≤ 0 at index ${i}`,
    'A',
  );
}

/**
 * Unblocked Cholesky–Banachiewicz on the nb×nb block at `off` of a row-major buffer with leading
 * dimension ld (lower triangle read and overwritten by L; row i's inner products run over two
 * contiguous rows). `base` is the global index of the block's first row (for error messages).
 */
function cholUnblocked(l: Float64Array, off: number, nb: number, ld: number, base: number): void {
  for (let i = 0; i < nb; i++) {
    const li = off + i * ld;
    for (let j = 0; j <= i; j++) {
      const lj = off + j * ld;
      let s = l[li + j];
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
        if (!(s > 0)) throw notPositive(s, base + i);
        l[li + i] = Math.sqrt(s);
      } else {
        l[li + j] = s / l[lj + j];
      }
    }
  }
}

/**
 * Right-looking blocked Cholesky in place on the n×n buffer `l` (lower triangle; the upper one is
 * zeroed): per panel of NB columns, the diagonal block unblocked, the panel below it by a
 * triangular solve L21 = A21 L11⁻ᵀ, then the trailing lower triangle A22 −= L21 L21ᵀ by gemm on
 * block rows (level 3: the O(n³/3) work runs in the wasm gemm when `l` is arena-resident).
 */
function cholBlocked(l: Float64Array, n: number): void {
  for (let k0 = 0; k0 < n; k0 += NB) {
    const k1 = Math.min(n, k0 + NB);
    const nb = k1 - k0;
    cholUnblocked(l, k0 * n + k0, nb, n, k0);
    if (k1 >= n) break;
    const l11 = l.subarray(k0 * n + k0);
    trsmRightLowerT(n - k1, nb, l11, n, l.subarray(k1 * n + k0), n);
    for (let i0 = k1; i0 < n; i0 += 64) {
      const ib = Math.min(64, n - i0);
      // rows i0..i0+ib−1, columns k1..i0+ib−1 of A22 −= L21 L21ᵀ
      gemm(
        false,
        true,
        ib,
        i0 + ib - k1,
        nb,
        -1,
        l.subarray(i0 * n + k0),
        n,
        l.subarray(k1 * n + k0),
        n,
        1,
        l.subarray(i0 * n + k1),
        n,
      );
    }
  }
  for (let i = 0; i < n; i++) l.fill(0, i * n + i + 1, i * n + n);
}

/**
 * The lower-triangular Cholesky factor L with `A = L Lᵀ`: blocked right-looking (panels of 32
 * columns, trailing updates by the wasm gemm of the kernel layer) from n = 64, the unblocked
 * Cholesky–Banachiewicz loop below.
 *
 * Throws a {@link ValueError} naming `A` if A is not symmetric or not positive definite
 * (a pivot ≤ 0), a {@link ShapeError} if it is not square.
 */
export function cholesky(A: MatrixLike, options: CholeskyOptions = {}): Matrix {
  const a = readSquare(A, 'A');
  const n = a.rows;
  const { symmetryTol: tol } = resolveOptions(options, CHOLESKY_OPTIONS);
  if (Number.isFinite(tol)) assertSymmetric(a, 'A', tol);
  if (n < BLOCKED_FROM) {
    const L = new Matrix(n, n);
    const l = L.data;
    // lower triangle of A (the unblocked loop reads only l[i, j ≤ i] before writing it)
    for (let i = 0; i < n; i++) l.set(a.data.subarray(i * n, i * n + i + 1), i * n);
    cholUnblocked(l, 0, n, n, 0);
    return L;
  }
  return withArena(n * n * 8, (arena) => {
    const l = rawCopyF64(arena, a.data);
    cholBlocked(l, n);
    return new Matrix(n, n, l.slice());
  });
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

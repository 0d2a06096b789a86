/**
 * Shared plumbing of the linalg modules: reading {@link MatrixLike} / vector arguments with
 * typed errors, a fast overflow-safe hypot, and transposition into flat buffers.
 * Not exported from the package.
 * @internal
 * @module
 */
import { ValueError } from '../errors';
import { readMatrix as readMatrixInput, readVector as readVectorInput, type VectorLike } from '../input';
import { isTensorLike } from '../input/tensorLike';
import { Matrix, type MatrixLike } from '../matrix';

/** Machine epsilon of float64 (2^-52). */
export const EPS = 2.220446049250313e-16;

/** Reads a matrix argument and checks that it is finite (empty matrices allowed). */
export function readMatrix(value: MatrixLike, name: string): Matrix {
  return readMatrixInput(value, name, { allowEmpty: true });
}

/** Reads a square matrix argument. */
export function readSquare(value: MatrixLike, name: string): Matrix {
  return readMatrixInput(value, name, { allowEmpty: true, square: true });
}

export type { VectorLike };

/** Reads a finite vector of length `n` (copied into a fresh Float64Array when `copy`). */
export function readVector(value: VectorLike, name: string, n: number, copy = false): Float64Array {
  return readVectorInput(value, name, { length: n, copy, allowEmpty: true });
}

/** A right-hand side: a vector (returned as vector) or a matrix (returned as matrix). */
export type RhsLike = VectorLike | MatrixLike;

/** True if `b` should be read as a matrix (a Matrix, rank-2 tensor or nested array). */
export function isMatrixRhs(b: RhsLike): boolean {
  if (b instanceof Matrix) return true;
  if (isTensorLike(b)) return b.rank === 2;
  if (ArrayBuffer.isView(b)) return false;
  const arr = b as ArrayLike<unknown>;
  return arr != null && arr.length > 0 && typeof arr[0] === 'object' && arr[0] !== null;
}

/** Overflow-safe √(a² + b²), faster than Math.hypot in V8. */
export function hypot(a: number, b: number): number {
  const x = a < 0 ? -a : a;
  const y = b < 0 ? -b : b;
  if (x > y) {
    const r = y / x;
    return x * Math.sqrt(1 + r * r);
  }
  if (y === 0) return 0;
  const r = x / y;
  return y * Math.sqrt(1 + r * r);
}

/** The transpose of a rows×cols row-major buffer as a new cols×rows buffer. */
export function transposeData(data: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  const B = 32;
  for (let i0 = 0; i0 < rows; i0 += B) {
    const i1 = Math.min(rows, i0 + B);
    for (let j0 = 0; j0 < cols; j0 += B) {
      const j1 = Math.min(cols, j0 + B);
      for (let i = i0; i < i1; i++) {
        const r = i * cols;
        for (let j = j0; j < j1; j++) out[j * rows + i] = data[r + j];
      }
    }
  }
  return out;
}

/**
 * The power of two `2^k` that brings `amax` (the largest absolute entry of a matrix) into
 * [0.5, 1), with k clamped to the normal exponents [−1022, 1023]; 1 when `amax` is 0 or not
 * finite. Scaling by a power of two is exact (no rounding) unless an entry leaves the normal
 * range, so a decomposition run on `2^k A` and unscaled afterwards gives the same bits as on A
 * wherever A's own run neither overflows nor underflows, and a correct result where it would
 * (the LAPACK approach of dsyev/dgesvd, which scale into a safe range first).
 * @internal
 */
export function powerOfTwoScale(amax: number): number {
  if (!(amax > 0) || !Number.isFinite(amax)) return 1;
  let k = -Math.floor(Math.log2(amax)) - 1;
  // Math.log2 may be off by one ulp near powers of two: fix k so that amax·2^k ∈ [0.5, 1)
  if (amax * 2 ** k >= 1) k--;
  else if (amax * 2 ** k < 0.5) k++;
  return 2 ** Math.max(-1022, Math.min(1023, k));
}

/** Multiplies every entry of `data` by `s` in place (s a power of two: exact). */
export function scaleInPlace(data: Float64Array, s: number): void {
  if (s === 1) return;
  for (let i = 0; i < data.length; i++) data[i] *= s;
}

/** Largest absolute entry. */
export function maxAbs(data: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < data.length; i++) {
    const a = Math.abs(data[i]);
    if (a > m) m = a;
  }
  return m;
}

/** Throws a {@link ValueError} naming `name` unless the square matrix is symmetric to `tol` (relative to its largest entry). */
export function assertSymmetric(a: Matrix, name: string, tol: number): void {
  const n = a.rows;
  const d = a.data;
  const bound = tol * maxAbs(d);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const diff = Math.abs(d[i * n + j] - d[j * n + i]);
      if (diff > bound) {
        throw new ValueError(
          `${name} must be symmetric, got |${name}[${i},${j}] − ${name}[${j},${i}]| = ${diff.toExponential(3)} > ${bound.toExponential(3)}`,
          name,
        );
      }
    }
  }
}

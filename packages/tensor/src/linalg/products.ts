/**
 * Dense float64 products: `matmul`, `matvec`, `matTvec` and the Gram matrix `gram(A) = AᵀA`.
 * Loops are ordered i-k-j (row-major friendly, contiguous inner loops) and the k loop is
 * blocked so that a panel of B stays in cache.
 * @module
 */
import { ShapeError } from '../errors';
import { Matrix, type MatrixLike } from '../matrix';
import { readMatrix, readVector, type VectorLike } from './internal';

const KB = 128; // k-panel height: KB rows of B (≤ 128·n doubles) stay in L2

/**
 * `C ← C + A·B` on raw row-major buffers (A m×kk, B kk×n, C m×n). i-k-j order with a blocked
 * k panel (KB rows of B stay in cache) and a 2×2 register block: two rows of C are updated from
 * two rows of B per pass, so each loaded element of B serves two rows of C.
 * @internal
 */
export function matmulInto(
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  m: number,
  kk: number,
  n: number,
): void {
  for (let k0 = 0; k0 < kk; k0 += KB) {
    const k1 = Math.min(kk, k0 + KB);
    let i = 0;
    for (; i + 1 < m; i += 2) {
      const ai0 = i * kk;
      const ai1 = ai0 + kk;
      const ci0 = i * n;
      const ci1 = ci0 + n;
      let k = k0;
      for (; k + 1 < k1; k += 2) {
        const a00 = a[ai0 + k];
        const a01 = a[ai0 + k + 1];
        const a10 = a[ai1 + k];
        const a11 = a[ai1 + k + 1];
        const b0 = k * n;
        const b1 = b0 + n;
        for (let j = 0; j < n; j++) {
          const x = b[b0 + j];
          const y = b[b1 + j];
          c[ci0 + j] += a00 * x + a01 * y;
          c[ci1 + j] += a10 * x + a11 * y;
        }
      }
      if (k < k1) {
        const a00 = a[ai0 + k];
        const a10 = a[ai1 + k];
        const b0 = k * n;
        for (let j = 0; j < n; j++) {
          const x = b[b0 + j];
          c[ci0 + j] += a00 * x;
          c[ci1 + j] += a10 * x;
        }
      }
    }
    if (i < m) {
      const ai = i * kk;
      const ci = i * n;
      for (let k = k0; k < k1; k++) {
        const a0 = a[ai + k];
        if (a0 === 0) continue;
        const b0 = k * n;
        for (let j = 0; j < n; j++) c[ci + j] += a0 * b[b0 + j];
      }
    }
  }
}

/** The product `A·B` (A is m×k, B is k×n). Throws a {@link ShapeError} if the inner sizes differ. */
export function matmul(A: MatrixLike, B: MatrixLike): Matrix {
  const a = readMatrix(A, 'A');
  const b = readMatrix(B, 'B');
  if (a.cols !== b.rows)
    throw new ShapeError(`B must have ${a.cols} rows (the columns of A), got ${b.rows}`, 'B');
  const out = new Matrix(a.rows, b.cols);
  matmulInto(a.data, b.data, out.data, a.rows, a.cols, b.cols);
  return out;
}

/** The product `A·x` (x of length A.cols). */
export function matvec(A: MatrixLike, x: VectorLike): Float64Array {
  const a = readMatrix(A, 'A');
  const { rows, cols, data } = a;
  const v = readVector(x, 'x', cols);
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const r = i * cols;
    for (let j = 0; j < cols; j++) s += data[r + j] * v[j];
    out[i] = s;
  }
  return out;
}

/** The product `Aᵀ·y` (y of length A.rows), without forming Aᵀ. */
export function matTvec(A: MatrixLike, y: VectorLike): Float64Array {
  const a = readMatrix(A, 'A');
  const { rows, cols, data } = a;
  const v = readVector(y, 'y', rows);
  const out = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const yi = v[i];
    if (yi === 0) continue;
    const r = i * cols;
    for (let j = 0; j < cols; j++) out[j] += data[r + j] * yi;
  }
  return out;
}

/** The Gram matrix `AᵀA` (n×n for A m×n), exactly symmetric. */
export function gram(A: MatrixLike): Matrix {
  const a = readMatrix(A, 'A');
  const { rows, cols, data } = a;
  const out = new Matrix(cols, cols);
  const g = out.data;
  // sum of outer products of the rows, upper triangle only (contiguous inner loop)
  for (let r = 0; r < rows; r++) {
    const ar = r * cols;
    for (let i = 0; i < cols; i++) {
      const ai = data[ar + i];
      if (ai === 0) continue;
      const gi = i * cols;
      for (let j = i; j < cols; j++) g[gi + j] += ai * data[ar + j];
    }
  }
  for (let i = 0; i < cols; i++) for (let j = 0; j < i; j++) g[i * cols + j] = g[j * cols + i];
  return out;
}

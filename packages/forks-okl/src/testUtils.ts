/**
 * Helpers for this package's tests (not exported from the index).
 * @module
 */
import type { Rng } from '@descent/tensor';

/** Row-major m × n matrix of N(0, 1) entries. */
export function randn(rng: Rng, m: number, n: number): Float64Array {
  return rng.normalArray(m * n);
}

/** C = A B for row-major A (m × k), B (k × n). */
export function mm(A: ArrayLike<number>, Bm: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let t = 0; t < k; t++) {
    const a = A[i * k + t];
    for (let j = 0; j < n; j++) C[i * n + j] += a * Bm[t * n + j];
  }
  return C;
}

/** Transpose of a row-major m × n matrix. */
export function tr(A: ArrayLike<number>, m: number, n: number): Float64Array {
  const T = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) T[j * m + i] = A[i * n + j];
  return T;
}

/** max |a − b|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** max |a|. */
export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

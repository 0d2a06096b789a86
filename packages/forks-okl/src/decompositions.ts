/**
 * Thin adapters from @descent/tensor's dense decompositions (on {@link Matrix}) to the flat
 * row-major Float64Array layout used on this package's per-round path. No math lives here.
 * @module
 */
import { Matrix, eigh, svd } from '@descent/tensor';

/** Thin SVD of the row-major m × n `A`: U (m × r), S (r, descending), V (n × r), r = min(m, n). */
export function thinSvd(A: Float64Array, m: number, n: number): { U: Float64Array; S: Float64Array; V: Float64Array; rank: number } {
  const r = svd(new Matrix(m, n, Float64Array.from(A)));
  return { U: r.U.data, S: Float64Array.from(r.S), V: r.V.data, rank: r.S.length };
}

/** Eigendecomposition of the symmetric row-major n × n `A`: values ascending, vectors as columns (n × n). */
export function symEig(A: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const r = eigh(new Matrix(n, n, Float64Array.from(A)), { symmetryTol: Number.POSITIVE_INFINITY }); // callers build A symmetric; read the upper triangle
  return { values: Float64Array.from(r.values), vectors: r.vectors.data };
}

/**
 * The Moore–Penrose pseudo-inverse of the row-major m × n `A` (n × m), dropping singular values
 * ≤ `tol` (absolute; the FORKS reference code uses 1e-8).
 */
export function pinvFlat(A: Float64Array, m: number, n: number, tol = 1e-8): Float64Array {
  const { U, S, V, rank } = thinSvd(A, m, n);
  const out = new Float64Array(n * m);
  for (let t = 0; t < rank; t++) {
    if (!(S[t] > tol)) continue;
    const inv = 1 / S[t];
    for (let i = 0; i < n; i++) {
      const vi = V[i * rank + t] * inv;
      if (vi === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] += vi * U[j * rank + t];
    }
  }
  return out;
}

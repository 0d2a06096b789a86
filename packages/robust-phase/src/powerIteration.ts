/**
 * Plain power iteration with a fixed iteration count, as the reference codes of WF/TWF
 * (50 iterations) and RWF (30) specify it, plus a deflated second eigenpair for the λ1 − λ2
 * norm estimate. (Matrix-free; the iteration count is part of those algorithms' definitions.)
 * @module
 */
import type { Rng } from '@descent/tensor';

/** Result of {@link powerIteration}. */
export interface PowerResult {
  /** Unit top eigenvector. */
  v: Float64Array;
  /** Rayleigh quotient vᵀMv. */
  lambda: number;
}

function normalise(v: Float64Array): number {
  let s = 0;
  for (let j = 0; j < v.length; j++) s += v[j] * v[j];
  const nv = Math.sqrt(s);
  if (nv > 0) for (let j = 0; j < v.length; j++) v[j] /= nv;
  return nv;
}

/**
 * Top eigenpair of a symmetric operator by `iters` power iterations from a random start; `shift`
 * iterates on M + shift·I (so the largest *algebraic* eigenvalue wins when M is indefinite);
 * `orthogonalTo` deflates a known eigenvector (for λ2).
 */
export function powerIteration(
  matvec: (v: Float64Array) => Float64Array,
  n: number,
  {
    iters = 50,
    rng,
    shift = 0,
    orthogonalTo,
  }: { iters?: number; rng: Rng; shift?: number; orthogonalTo?: Float64Array },
): PowerResult {
  let v = rng.normalArray(n);
  const deflate = (u: Float64Array) => {
    if (!orthogonalTo) return;
    let d = 0;
    for (let j = 0; j < n; j++) d += u[j] * orthogonalTo[j];
    for (let j = 0; j < n; j++) u[j] -= d * orthogonalTo[j];
  };
  deflate(v);
  normalise(v);
  for (let t = 0; t < iters; t++) {
    const w = matvec(v);
    if (shift !== 0) for (let j = 0; j < n; j++) w[j] += shift * v[j];
    deflate(w);
    if (normalise(w) === 0) break;
    v = w;
  }
  const Mv = matvec(v);
  let lambda = 0;
  for (let j = 0; j < n; j++) lambda += v[j] * Mv[j];
  return { v, lambda };
}

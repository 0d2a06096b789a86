/**
 * Nyström feature map (Williams & Seeger 2001; NOGD's embedding): with landmarks L (m × d) and
 * K_LL = V Λ Vᵀ, keep the top-k eigenpairs with λ > tol and set
 * φ(x) = Λ_k^{−1/2} V_kᵀ κ(L, x) ∈ ℝ^k, so that φ(x)ᵀφ(y) = κ(x, L) K_LL⁺ κ(L, y) for k = m.
 * @module
 */
import { assertInteger } from '@descent/tensor';
import { symEig } from './decompositions';
import { type KernelSpec, kernelMatrix, kernelRow } from './kernel';

/** A fitted Nyström map. */
export interface NystromFeatureMap {
  kernel: KernelSpec;
  /** Landmarks, row-major m × d. */
  landmarks: Float64Array;
  m: number;
  d: number;
  /** Output dimension k (≤ requested rank; eigenvalues ≤ tol are dropped). */
  k: number;
  /** M = Λ_k^{−1/2}V_kᵀ, row-major k × m. */
  M: Float64Array;
}

/** Fits the map on m landmarks, keeping at most `rank` components with eigenvalue > tol·λ_max. */
export function nystromFeatureMap(kernel: KernelSpec, landmarks: Float64Array, m: number, d: number, rank = m, tol = 1e-10): NystromFeatureMap {
  assertInteger('rank', rank, 1);
  const K = kernelMatrix(kernel, landmarks, m, d);
  const { values, vectors } = symEig(K, m);
  const lmax = values[m - 1];
  const cols: number[] = [];
  for (let i = m - 1; i >= 0 && cols.length < rank; i--) if (values[i] > tol * Math.max(lmax, 1e-300)) cols.push(i);
  const k = cols.length;
  const M = new Float64Array(k * m);
  for (let a = 0; a < k; a++) {
    const c = cols[a];
    const s = 1 / Math.sqrt(values[c]);
    for (let j = 0; j < m; j++) M[a * m + j] = s * vectors[j * m + c];
  }
  return { kernel, landmarks: landmarks.slice(0, m * d), m, d, k, M };
}

/** φ(x) = M κ(L, x); `row` is optional scratch of length m. */
export function nystromTransform(f: NystromFeatureMap, x: ArrayLike<number>, out: Float64Array = new Float64Array(f.k), row?: Float64Array): Float64Array {
  const r = kernelRow(f.kernel, f.landmarks, f.m, f.d, x, row ?? new Float64Array(f.m));
  for (let a = 0; a < f.k; a++) {
    let s = 0;
    const o = a * f.m;
    for (let j = 0; j < f.m; j++) s += f.M[o + j] * r[j];
    out[a] = s;
  }
  return out;
}

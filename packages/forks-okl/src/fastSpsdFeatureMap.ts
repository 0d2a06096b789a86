/**
 * The sketched kernel approximation of SkeGD/FORKS ("fast SPSD" model of Wang et al. 2016,
 * notes §2.2): with a count sketch S_p (B × s_p) and a column sampler S_m (s_m of the B SVs),
 *
 *   Φ_pm = S_pᵀ K_B S_m (s_p × s_m),  Φ_pp = S_pᵀ K_B S_p (s_p × s_p),
 *   Q = Φ_pm⁺ V_k Σ_k^{1/2} (s_m × k) from the rank-k SVD U_kΣ_kV_kᵀ of Φ_pp,
 *   φ(x) = Qᵀ κ(SV_m, x) ∈ ℝ^k,
 *
 * so κ̂(x, y) = φ(x)ᵀφ(y). With S_p = S_m = I and k = B this is exactly Nyström.
 * The incremental sketch update (§2.7) appends a point x with a fresh 1-sparse sketch row
 * s = ς e_j: Φ_pm ← Φ_pm + s (S_mᵀψ)ᵀ and Φ_pp ← Φ_pp + s rᵀ + r sᵀ + κ(x, x) s sᵀ with
 * ψ = κ(SV, x), r = S_pᵀψ. Only row j (and column j of Φ_pp) change: O(s_p + s_m).
 * Cross terms between appended non-SV points are not tracked (as in the reference code).
 * @module
 */
import { Matrix, ValueError, cholesky, choleskySolve, gemvTOrdered, gram } from '@descent/tensor';
import { type CountSketch, countSketchApply, sketchKernel } from './countSketch';
import { pinvFlat } from './decompositions';

/** The sketches of one FORKS/SkeGD model. */
export interface SketchMatrices {
  /** s_p × s_m, row-major. */
  phiPm: Float64Array;
  /** s_p × s_p, row-major, symmetric. */
  phiPp: Float64Array;
  sp: number;
  sm: number;
}

/** Φ_pm and Φ_pp from the B × B kernel matrix of the SVs. */
export function buildSketches(K: Float64Array, Sp: CountSketch, Sm: Int32Array): SketchMatrices {
  const phiPp = sketchKernel(Sp, K, Sp);
  // symmetrise exactly (the accumulation order differs between (a, b) and (b, a)); the patches
  // below are symmetric, so Φ_pp stays exactly symmetric
  const sp = Sp.s;
  for (let a = 0; a < sp; a++) for (let b = 0; b < a; b++) {
    const v = 0.5 * (phiPp[a * sp + b] + phiPp[b * sp + a]);
    phiPp[a * sp + b] = v;
    phiPp[b * sp + a] = v;
  }
  return { phiPm: sketchKernel(Sp, K, Sm), phiPp, sp, sm: Sm.length };
}

/**
 * Applies the sketch update for a new point with kernel row ψ = κ(SV, x) (length B) and
 * κ(x, x) = `kxx`, sketched into row `j` with sign `sign`. `rApp` (optional, length s_p) adds the
 * point's cross terms with previously appended points, Σ_a ς_a e_{j_a} κ(x_a, x) (the reference
 * code omits them). Returns r = S_pᵀψ + r_app (needed by the decomposition update).
 */
export function patchSketches(M: SketchMatrices, Sp: CountSketch, Sm: Int32Array, psi: Float64Array, kxx: number, j: number, sign: number, rApp?: ArrayLike<number>): Float64Array {
  const { sp, sm } = M;
  for (let b = 0; b < sm; b++) M.phiPm[j * sm + b] += sign * psi[Sm[b]];
  const r = countSketchApply(Sp, psi);
  if (rApp) for (let i = 0; i < sp; i++) r[i] += rApp[i];
  for (let c = 0; c < sp; c++) M.phiPp[j * sp + c] += sign * r[c];
  for (let i = 0; i < sp; i++) M.phiPp[i * sp + j] += sign * r[i];
  M.phiPp[j * sp + j] += kxx;
  return r;
}

/**
 * How Q = Φ_pm⁺W is computed: `'incremental'` keeps Φ_pm⁺ under the sketch updates (see
 * {@link IncrementalPseudoInverse}; the learners use it directly, {@link projectionMatrix} treats
 * it as `'pinv'`), `'pinv'` (a fresh SVD pseudo-inverse) or `'cholesky'` (normal equations).
 */
export type ProjectionSolver = 'incremental' | 'pinv' | 'cholesky';

/**
 * Q = Φ_pm⁺ W with W = V_k Σ_k^{1/2} (s_p × k, row-major).
 *
 * - `'pinv'` (reference code): SVD pseudo-inverse dropping singular values ≤ `tol` (1e-8),
 *   O(s_p·s_m²) with a large constant (an iterative SVD).
 * - `'cholesky'`: Q = (Φ_pmᵀΦ_pm)⁻¹Φ_pmᵀW by a Cholesky solve, O(s_p·s_m² + s_m³/3 + s_p·s_m·k)
 *   with a small constant; equal to `'pinv'` when Φ_pm has full column rank (the usual case,
 *   s_m ≤ s_p). Falls back to `'pinv'` if the Gram matrix is not numerically positive definite.
 */
export function projectionMatrix(M: SketchMatrices, W: Float64Array, k: number, tol = 1e-8, solver: ProjectionSolver = 'pinv'): Float64Array {
  const { sp, sm } = M;
  if (solver === 'cholesky') {
    const Phi = new Matrix(sp, sm, M.phiPm);
    const G = gram(Phi);
    let ok = true;
    let L: Matrix | undefined;
    try {
      L = cholesky(G, { symmetryTol: Number.POSITIVE_INFINITY });
      // reject a numerically singular Gram matrix (condition beyond ~1e12): use the pseudo-inverse
      let dmin = Number.POSITIVE_INFINITY;
      let dmax = 0;
      for (let i = 0; i < sm; i++) {
        const d = L.data[i * sm + i];
        dmin = Math.min(dmin, d);
        dmax = Math.max(dmax, d);
      }
      ok = dmin > 1e-6 * dmax;
    } catch (e) {
      if (!(e instanceof ValueError)) throw e;
      ok = false;
    }
    if (ok && L) {
      // R = Φ_pmᵀ W (s_m × k)
      const R = new Matrix(sm, k);
      for (let t = 0; t < sp; t++) {
        for (let i = 0; i < sm; i++) {
          const p = M.phiPm[t * sm + i];
          if (p === 0) continue;
          for (let c = 0; c < k; c++) R.data[i * k + c] += p * W[t * k + c];
        }
      }
      return choleskySolve(L, R).data;
    }
  }
  const P = pinvFlat(M.phiPm, sp, sm, tol); // s_m × s_p
  const Q = new Float64Array(sm * k);
  for (let i = 0; i < sm; i++) {
    for (let t = 0; t < sp; t++) {
      const p = P[i * sp + t];
      if (p === 0) continue;
      for (let c = 0; c < k; c++) Q[i * k + c] += p * W[t * k + c];
    }
  }
  return Q;
}

/** W = V Σ^{1/2} from a decomposition with right vectors V (s_p × rank) and values S (rank). */
export function scaledBasis(V: Float64Array, S: Float64Array, sp: number, rank: number): Float64Array {
  const W = new Float64Array(sp * rank);
  for (let c = 0; c < rank; c++) {
    const s = Math.sqrt(Math.max(0, S[c]));
    for (let i = 0; i < sp; i++) W[i * rank + c] = V[i * rank + c] * s;
  }
  return W;
}

/** φ = Qᵀ κ_m where κ_m = κ(SV_m, x) (length s_m): the core's `gemvTOrdered` (rows accumulated in order). */
export function sketchedFeatures(Q: Float64Array, sm: number, k: number, km: ArrayLike<number>, out: Float64Array = new Float64Array(k)): Float64Array {
  gemvTOrdered(sm, k, Q, km instanceof Float64Array ? km : Float64Array.from(km), out);
  return out;
}

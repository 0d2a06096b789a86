/**
 * The projected online-Newton step of FORKS and PROS-N-KONS (notes §2.6, as the authors' code
 * runs it):
 *
 * ```
 * g = γ·φ                                  (γ = η·(−∂ℓ/∂f), so g already carries the minus sign)
 * v = w + A⁻¹g
 * z = φᵀv,  h = sign(z)·max(|z| − C, 0)
 * w ← v − h / (φᵀA⁻¹φ + ε)·A⁻¹φ            (A-norm projection onto {w : |wᵀφ| ≤ C}; ε = 1e-4 in code)
 * A ← A + uuᵀ with u = g/σ_t               (Sherman–Morrison on A⁻¹, after the step)
 * ```
 * @module
 */
import { ShapeError, ValueError, describe, onsNewtonStep, readNumber, readOptions, readVector } from '@descent/tensor';
import { ShermanMorrisonInverse } from './shermanMorrison';

/** Scratch [φᵀA⁻¹φ, q] of the kernel. */
const STEP_OUT = new Float64Array(2);

/** Options of {@link onsProjectedStep}. */
export interface OnsStepOptions {
  /** Projection bound C (default 1). */
  bound: number;
  /** Guard ε added to φᵀA⁻¹φ in the projection (reference code: 1e-4; 0 = exact projection). */
  guard: number;
  /** σ_t in u = g/σ_t (default 1; PROS-N-KONS's code uses 4). */
  sigma: number;
}

/**
 * One projected ONS step in place on `w` and `Ainv`, with step scale γ (g = γφ).
 * `a` is scratch of length k. Returns z = φᵀv (the unprojected score).
 */
export function onsProjectedStep(w: Float64Array, Ainv: ShermanMorrisonInverse, phi: ArrayLike<number>, gamma: number, opts: OnsStepOptions, a: Float64Array): number {
  if (!(w instanceof Float64Array)) throw new ShapeError(`w must be a Float64Array, got ${describe(w)}`, 'w');
  const k = w.length;
  if (!(Ainv instanceof ShermanMorrisonInverse) || Ainv.k !== k) throw new ValueError(`Ainv must be a ShermanMorrisonInverse of size ${k}, got ${describe(Ainv)}`, 'Ainv');
  const p = readVector(phi, 'phi', { length: k, allowEmpty: true });
  readNumber(gamma, 'gamma');
  readOptions(opts, 'opts');
  readNumber(opts.bound, 'opts.bound', { min: 0 });
  readNumber(opts.guard, 'opts.guard', { min: 0 });
  readNumber(opts.sigma, 'opts.sigma', { gt: 0 });
  if (!(a instanceof Float64Array) || a.length < k) throw new ShapeError(`a must be a Float64Array of length >= ${k}, got ${describe(a)}`, 'a');
  // the core's fused kernel (same bits as the former loops: gemv, φᵀa, step, projection, ger)
  return onsNewtonStep(k, w, Ainv.data, p, gamma, opts.bound, opts.guard, gamma / opts.sigma, a, STEP_OUT);
}

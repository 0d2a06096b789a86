/**
 * Per-neuron ascent directions of the two-layer student f(x) = Σ_i a_i σ(w_i·x) on a minibatch
 * (Ren & Lee 2024, arXiv 2410.09678; implementation notes §2.2):
 *
 * - correlation loss ℓ = −y f(x)/a₀: g_i = y σ'(w_i·x) x (each neuron ascends E[y σ(w·x)] on its own);
 * - squared loss ℓ = ½(f(x) − y)² with the second layer fixed at a_i = a₀: g_i = −∂ℓ/∂w_i / a₀
 *   = (y − f(x)) σ'(w_i·x) x. Dividing by a₀ keeps learning rates in the same units for both losses,
 *   and the two coincide as a₀ → 0 (the notes' leading-order argument).
 *
 * With a trainable second layer (`a` given: the joint-training baseline the reviewers contrast
 * with the paper's fixed a₀), f(x) = Σ_i a_i σ(w_i·x), g_i = (y − f) a_i σ'(w_i·x) x / a₀ and the
 * second-layer ascent direction (y − f) σ(w_i·x) is accumulated into `Ga`.
 *
 * The result is the batch mean, written into G (m×d row-major).
 * @module
 */
import {
  type HermiteNetworkGradientArgs,
  ValueError,
  describe,
  hermiteNetworkGradient,
  readBuffer,
  readEnum,
  readInteger,
  readOptions,
} from '@descent/tensor';

/** The first-layer training objective. */
export type StudentLoss = 'correlation' | 'squared';

/**
 * Inputs of {@link studentGradient}: those of @descent/tensor's fused kernel
 * `hermiteNetworkGradient` (W m×d, X B×d, y, coefficients and derivative coefficients of σ, the
 * optional jointly trained second layer `a` with its direction `Ga`, the output G m×d), with `a0`
 * optional for the correlation loss.
 */
export interface StudentGradientArgs extends Omit<HermiteNetworkGradientArgs, 'a0' | 'loss'> {
  loss: StudentLoss;
  /**
   * Fixed second-layer weight a₀, also the scale of the first-layer direction: required for the
   * squared loss, unused (may be omitted) for the correlation loss.
   */
  a0?: number;
  /** Unused (the fused kernel keeps its own scratch); accepted for compatibility. */
  scratch?: Float64Array;
}

/**
 * Fills `G` with the batch-mean ascent direction of every neuron; returns the mean squared residual (squared loss) or mean y² (correlation).
 * Runs as @descent/tensor's fused kernel `hermiteNetworkGradient` (one pass over the batch, wasm SIMD
 * where available, the same loops in JavaScript otherwise).
 */
export function studentGradient(args: StudentGradientArgs): number {
  const o = readOptions<StudentGradientArgs>(args, 'args');
  const m = readInteger(o.m, 'm', { min: 1, max: 1e7 });
  const d = readInteger(o.d, 'd', { min: 1, max: 1e7 });
  const B = readInteger(o.B, 'B', { min: 1, max: 1e7 });
  readEnum(o.loss, 'loss', ['correlation', 'squared'] as const);
  readBuffer(o.W, 'W', { length: m * d });
  readBuffer(o.G, 'G', { length: m * d, finite: false });
  readBuffer(o.X, 'X', { length: B * d });
  readBuffer(o.y, 'y', { length: B });
  const K = readBuffer(o.coeffs, 'coeffs', { minLength: 1 }).length;
  readBuffer(o.derivCoeffs, 'derivCoeffs', { length: Math.max(1, K - 1) });
  if (o.a !== undefined) readBuffer(o.a, 'a', { length: m });
  if (o.Ga !== undefined) readBuffer(o.Ga, 'Ga', { length: m, finite: false });
  return studentGradientUnchecked(args);
}

/** {@link studentGradient} without the buffer checks (the learner's hot path); a0 is still checked. */
export function studentGradientUnchecked(args: StudentGradientArgs): number {
  const { W, m, d, X, y, B, coeffs, derivCoeffs, loss, G, a, Ga } = args;
  const a0 = args.a0 ?? 0;
  if (loss === 'squared' && !(args.a0 !== undefined && Number.isFinite(args.a0) && args.a0 > 0)) {
    throw new ValueError(`a0 must be a finite number > 0 for loss 'squared', got ${describe(args.a0)}`, 'a0');
  }
  return hermiteNetworkGradient({ W, m, d, X, y, B, coeffs, derivCoeffs, loss, a0, a, Ga, G });
}

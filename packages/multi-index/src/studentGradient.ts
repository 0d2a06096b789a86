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
import { ValueError, describe } from '@descent/tensor';
import { evalSeriesAndDeriv } from './hermiteSeries';

/** The first-layer training objective. */
export type StudentLoss = 'correlation' | 'squared';

/** Inputs of {@link studentGradient}. */
export interface StudentGradientArgs {
  /** First layer, m×d row-major. */
  W: Float64Array;
  m: number;
  d: number;
  /** Batch inputs, B×d row-major. */
  X: Float64Array;
  /** Batch labels (length B). */
  y: Float64Array;
  B: number;
  /** Activation coefficients and derivative coefficients (see HermiteSeries). */
  coeffs: Float64Array;
  derivCoeffs: Float64Array;
  loss: StudentLoss;
  /**
   * Fixed second-layer weight a₀, also the scale of the first-layer direction: required for the
   * squared loss, unused (may be omitted) for the correlation loss.
   */
  a0?: number;
  /** Current second layer when it is trained jointly (squared loss); omitted: a_i = a₀. */
  a?: Float64Array;
  /** Output buffer of length m for the second-layer ascent direction (with `a`). */
  Ga?: Float64Array;
  /** Output buffer m×d (overwritten). */
  G: Float64Array;
  /** Scratch of length ≥ 2m (optional). */
  scratch?: Float64Array;
}

/** Fills `G` with the batch-mean ascent direction of every neuron; returns the mean squared residual (squared loss) or mean y² (correlation). */
export function studentGradient(args: StudentGradientArgs): number {
  const { W, m, d, X, y, B, coeffs, derivCoeffs, loss, G, a, Ga } = args;
  const a0 = args.a0 ?? 0;
  if (loss === 'squared' && !(args.a0 !== undefined && Number.isFinite(args.a0) && args.a0 > 0)) {
    throw new ValueError(`a0 must be a finite number > 0 for loss 'squared', got ${describe(args.a0)}`, 'a0');
  }
  const buf = args.scratch && args.scratch.length >= 2 * m ? args.scratch : new Float64Array(2 * m);
  const vd = new Float64Array(2);
  G.fill(0);
  Ga?.fill(0);
  let resid2 = 0;
  for (let b = 0; b < B; b++) {
    const xo = b * d;
    let f = 0;
    for (let i = 0; i < m; i++) {
      const wo = i * d;
      let z = 0;
      for (let j = 0; j < d; j++) z += W[wo + j] * X[xo + j];
      evalSeriesAndDeriv(coeffs, derivCoeffs, z, vd);
      buf[i] = vd[0];
      buf[m + i] = vd[1];
      f += a ? a[i] * vd[0] : a0 * vd[0];
    }
    const r = loss === 'squared' ? y[b] - f : y[b];
    resid2 += r * r;
    for (let i = 0; i < m; i++) {
      if (a && Ga) Ga[i] += r * buf[i];
      const c = a ? (r * buf[m + i] * a[i]) / a0 : r * buf[m + i];
      if (c === 0) continue;
      const wo = i * d;
      for (let j = 0; j < d; j++) G[wo + j] += c * X[xo + j];
    }
  }
  const invB = 1 / B;
  for (let q = 0; q < m * d; q++) G[q] *= invB;
  if (Ga) for (let i = 0; i < m; i++) Ga[i] *= invB;
  return resid2 * invB;
}

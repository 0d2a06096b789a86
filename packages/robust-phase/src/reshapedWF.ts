/**
 * Reshaped Wirtinger Flow (Zhang & Liang 2016) and median-RWF: gradient descent on the amplitude
 * loss (1/2m) Σ (|a_iᵀz| − ψ_i)², ψ_i = √max(y_i, 0):
 * z ← z − (μ/m) Σ_{i∈E} (a_iᵀz − ψ_i·sign(a_iᵀz)) a_i, μ = 0.8 (real case). RWF uses every i; median-RWF keeps
 * ||a_iᵀz| − ψ_i| ≤ α_h·median_j ||a_jᵀz| − ψ_j| with α_h = 3 and the median-TWF initialisation.
 * @module
 */
import { option, medianInPlace } from '@descent/tensor';
import { stepAlong } from './iterate';
import { type SkeletonOptions, solvePhase } from './solver';
import type { DesignLike, SolveResult, VectorLike } from './types';

/** Options of {@link reshapedWF} and {@link medianRWF}. */
export interface ReshapedWFOptions extends SkeletonOptions {
  /** Step μ (default 0.8, real case). */
  learningRate?: number;
  /** median-RWF residual truncation α_h (default 3). */
  alphaH?: number;
}

/** RWF's own options (beyond the skeleton's). */
const RWF_SCHEMA = {
  learningRate: option.number({ gt: 0, default: 0.8 }),
  alphaH: option.number({ gt: 0, default: 3 }),
};

function runReshaped(
  A: DesignLike,
  y: VectorLike,
  options: ReshapedWFOptions,
  variant: 'rwf' | 'median-rwf',
): SolveResult {
  const init = { method: variant === 'rwf' ? ('reshaped' as const) : ('median-truncated' as const) };
  const name = variant === 'rwf' ? 'reshapedWF' : 'medianRWF';
  return solvePhase(A, y, options, { name, maxSteps: 1000, tol: 1e-10, init }, RWF_SCHEMA, ({ ctx }, o) => {
    const { learningRate: mu, alphaH } = o;
    const { m, n } = ctx;
    const psi = Float64Array.from(ctx.y, (v) => Math.sqrt(Math.max(v, 0)));
    const res = new Float64Array(m);
    const sel = new Float64Array(m);
    const c = new Float64Array(m);
    const g = new Float64Array(n);
    return {
      name,
      method: variant,
      divergenceArgument: 'learningRate',
      advice:
        variant === 'rwf'
          ? 'RWF is not robust to outliers (use robustPhaseRetrieval or medianRWF), or lower learningRate'
          : 'lower learningRate, or use robustPhaseRetrieval (it also tries robust WF and median-TWF)',
      iteration: () => ({
        step(z, Az) {
          for (let i = 0; i < m; i++) res[i] = Math.abs(Math.abs(Az[i]) - psi[i]);
          let cap = Number.POSITIVE_INFINITY;
          if (variant === 'median-rwf') {
            sel.set(res);
            cap = alphaH * medianInPlace(sel);
          }
          for (let i = 0; i < m; i++) {
            const s = Az[i] > 0 ? 1 : Az[i] < 0 ? -1 : 0;
            c[i] = res[i] <= cap ? (Az[i] - psi[i] * s) / m : 0;
          }
          ctx.op.applyT(c, g);
          return stepAlong(z, mu, g);
        },
      }),
    };
  });
}

/** Reshaped WF (Zhang & Liang 2016), real case, μ = 0.8. */
export function reshapedWF(A: DesignLike, y: VectorLike, options: ReshapedWFOptions = {}): SolveResult {
  return runReshaped(A, y, options, 'rwf');
}

/** Median-RWF: RWF with median-based residual truncation (α_h = 3) and median-TWF initialisation. */
export function medianRWF(A: DesignLike, y: VectorLike, options: ReshapedWFOptions = {}): SolveResult {
  return runReshaped(A, y, options, 'median-rwf');
}

/**
 * Truncated Wirtinger Flow (Chen & Candès 2015) and median-TWF (Zhang, Chi & Liang 2016/2018):
 * Poisson-likelihood gradients over a truncated set
 * E_t = {i : α_lb ≤ |a_iᵀz|/‖z‖ ≤ α_ub, |y_i − (a_iᵀz)²| ≤ α_h·K_t·|a_iᵀz|/‖z‖},
 * ∇ = (1/m) Σ_{i∈E_t} 2((a_iᵀz)² − y_i)/(a_iᵀz) · a_i, z ← z − μ∇. K_t = mean_i |y_i − (a_iᵀz)²| for TWF and
 * median_i |y_i − (a_iᵀz)²| / 0.4 for median-TWF (robust to response outliers only).
 * Constants from the authors' code: μ = 0.2, α_lb = 0.3, α_ub = 5, α_h = 5, α_y = 3, T = 500.
 * @module
 */
import { option, medianInPlace } from '@descent/tensor';
import { stepAlong } from './iterate';
import { type SkeletonOptions, solvePhase } from './solver';
import type { DesignLike, SolveResult, VectorLike } from './types';

/** Options of {@link truncatedWF} and {@link medianTWF}. */
export interface TruncatedWFOptions extends SkeletonOptions {
  /** Step μ (default 0.2). */
  learningRate?: number;
  /** Lower truncation α_lb (default 0.3). */
  alphaLb?: number;
  /** Upper truncation α_ub (default 5). */
  alphaUb?: number;
  /** Residual truncation α_h (default 5). */
  alphaH?: number;
}

/** TWF's own options (beyond the skeleton's), with the authors' constants as defaults. */
const TWF_SCHEMA = {
  learningRate: option.number({ gt: 0, default: 0.2 }),
  alphaLb: option.number({ min: 0, default: 0.3 }),
  alphaUb: option.number({ gt: 0, default: 5 }),
  alphaH: option.number({ gt: 0, default: 5 }),
};

function runTruncated(
  A: DesignLike,
  y: VectorLike,
  options: TruncatedWFOptions,
  variant: 'twf' | 'median-twf',
): SolveResult {
  const init = { method: variant === 'twf' ? ('truncated' as const) : ('median-truncated' as const) };
  const name = variant === 'twf' ? 'truncatedWF' : 'medianTWF';
  return solvePhase(A, y, options, { name, maxSteps: 500, tol: 1e-10, init }, TWF_SCHEMA, ({ ctx }, o) => {
    const { learningRate: mu, alphaLb, alphaUb, alphaH } = o;
    const { m, n, y: yv } = ctx;
    const res2 = new Float64Array(m);
    const sel = new Float64Array(m);
    const c = new Float64Array(m);
    const g = new Float64Array(n);
    return {
      name,
      method: variant,
      divergenceArgument: 'learningRate',
      advice:
        variant === 'twf'
          ? 'TWF is not robust to outliers (use robustPhaseRetrieval or medianTWF), or lower learningRate'
          : 'lower learningRate, or use robustPhaseRetrieval (it also tries robust WF and median-RWF)',
      iteration: () => ({
        step(z, Az) {
          let nz = 0;
          for (let j = 0; j < n; j++) nz += z[j] * z[j];
          nz = Math.sqrt(nz);
          for (let i = 0; i < m; i++) res2[i] = Math.abs(yv[i] - Az[i] * Az[i]);
          let Kt: number;
          if (variant === 'twf') {
            let s = 0;
            for (let i = 0; i < m; i++) s += res2[i];
            Kt = s / m;
          } else {
            sel.set(res2);
            Kt = medianInPlace(sel) / 0.4;
          }
          for (let i = 0; i < m; i++) {
            const ratio = Math.abs(Az[i]) / nz;
            const keep =
              ratio >= alphaLb && ratio <= alphaUb && res2[i] <= alphaH * Kt * ratio && Az[i] !== 0;
            c[i] = keep ? (2 * (Az[i] * Az[i] - yv[i])) / Az[i] / m : 0;
          }
          ctx.op.applyT(c, g);
          return stepAlong(z, mu, g);
        },
      }),
    };
  });
}

/** Truncated Wirtinger Flow (Chen & Candès 2015) with the authors' constants. */
export function truncatedWF(A: DesignLike, y: VectorLike, options: TruncatedWFOptions = {}): SolveResult {
  return runTruncated(A, y, options, 'twf');
}

/** Median-truncated WF (Zhang, Chi & Liang): median-based norm estimate, truncation and K_t. */
export function medianTWF(A: DesignLike, y: VectorLike, options: TruncatedWFOptions = {}): SolveResult {
  return runTruncated(A, y, options, 'median-twf');
}

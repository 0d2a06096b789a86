/**
 * Truncated Wirtinger Flow (Chen & Candès 2015) and median-TWF (Zhang, Chi & Liang 2016/2018):
 * Poisson-likelihood gradients over a truncated set
 * E_t = {i : α_lb ≤ |a_iᵀz|/‖z‖ ≤ α_ub, |y_i − (a_iᵀz)²| ≤ α_h·K_t·|a_iᵀz|/‖z‖},
 * ∇ = (1/m) Σ_{i∈E_t} 2((a_iᵀz)² − y_i)/(a_iᵀz) · a_i, z ← z − μ∇. K_t = mean_i |y_i − (a_iᵀz)²| for TWF and
 * median_i |y_i − (a_iᵀz)²| / 0.4 for median-TWF (robust to response outliers only).
 * Constants from the authors' code: μ = 0.2, α_lb = 0.3, α_ub = 5, α_h = 5, α_y = 3, T = 500.
 * @module
 */
import { Rng, assertInteger, assertPositive } from '@descent/tensor';
import { makeContext } from './context';
import { readOptionalVector, readPhaseData } from './inputs';
import { resolveLoop, runLoop, stepAlong } from './iterate';
import { medianInPlace } from './metrics';
import { type SpectralInitOptions, initialise, resolveInitOptions } from './spectralInit';
import type { CommonSolverOptions, DesignLike, SolveResult, VectorLike } from './types';

/** Options of {@link truncatedWF} and {@link medianTWF}. */
export interface TruncatedWFOptions extends CommonSolverOptions {
  /** Step (default 0.2). */
  mu?: number;
  /** Lower truncation α_lb (default 0.3). */
  alphaLb?: number;
  /** Upper truncation α_ub (default 5). */
  alphaUb?: number;
  /** Residual truncation α_h (default 5). */
  alphaH?: number;
  /** Initialisation (default `truncated` for TWF, `median-truncated` for median-TWF; α_y = 3). */
  init?: SpectralInitOptions;
}

function runTruncated(
  A: DesignLike,
  y: VectorLike,
  options: TruncatedWFOptions,
  variant: 'twf' | 'median-twf',
): SolveResult {
  const start = performance.now();
  const data = readPhaseData(A, y);
  const loop = resolveLoop(options, data.n, { maxIter: 500, tol: 1e-10 });
  const { mu = 0.2, alphaLb = 0.3, alphaUb = 5, alphaH = 5, seed = 0 } = options;
  assertPositive('mu', mu);
  assertPositive('alphaLb', alphaLb, true);
  assertPositive('alphaUb', alphaUb);
  assertPositive('alphaH', alphaH);
  assertInteger('seed', seed);
  const initOpts = resolveInitOptions(options.init, {
    method: variant === 'twf' ? 'truncated' : 'median-truncated',
  });
  const x0 = readOptionalVector('x0', options.x0, data.n);
  const ctx = makeContext(data.A, data.y, options.products);
  try {
    const z0 = x0 ?? initialise(ctx, initOpts, new Rng(seed)).z0;
    const { m, n } = data;
    const yv = data.y;
    const res2 = new Float64Array(m);
    const c = new Float64Array(m);
    const g = new Float64Array(n);
    const res = runLoop(
      ctx,
      z0,
      loop,
      (z, Az) => {
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
          Kt = medianInPlace(Float64Array.from(res2)) / 0.4;
        }
        for (let i = 0; i < m; i++) {
          const ratio = Math.abs(Az[i]) / nz;
          const keep = ratio >= alphaLb && ratio <= alphaUb && res2[i] <= alphaH * Kt * ratio && Az[i] !== 0;
          c[i] = keep ? (2 * (Az[i] * Az[i] - yv[i])) / Az[i] / m : 0;
        }
        ctx.op.applyT(c, g);
        return stepAlong(z, mu, g);
      },
      { name: variant === 'twf' ? 'truncatedWF' : 'medianTWF', start },
    );
    return { ...res, x0: Float64Array.from(z0), timeMs: performance.now() - start, method: variant };
  } finally {
    ctx.op.dispose();
  }
}

/** Truncated Wirtinger Flow (Chen & Candès 2015) with the authors' constants. */
export function truncatedWF(A: DesignLike, y: VectorLike, options: TruncatedWFOptions = {}): SolveResult {
  return runTruncated(A, y, options, 'twf');
}

/** Median-truncated WF (Zhang, Chi & Liang): median-based norm estimate, truncation and K_t. */
export function medianTWF(A: DesignLike, y: VectorLike, options: TruncatedWFOptions = {}): SolveResult {
  return runTruncated(A, y, options, 'median-twf');
}

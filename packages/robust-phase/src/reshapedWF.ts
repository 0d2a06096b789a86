/**
 * Reshaped Wirtinger Flow (Zhang & Liang 2016) and median-RWF: gradient descent on the amplitude
 * loss (1/2m) Σ (|a_iᵀz| − ψ_i)², ψ_i = √max(y_i, 0):
 * z ← z − (μ/m) Σ_{i∈E} (a_iᵀz − ψ_i·sign(a_iᵀz)) a_i, μ = 0.8 (real case). RWF uses every i; median-RWF keeps
 * ||a_iᵀz| − ψ_i| ≤ α_h·median_j ||a_jᵀz| − ψ_j| with α_h = 3 and the median-TWF initialisation.
 * @module
 */
import { Rng, assertInteger, assertPositive } from '@descent/tensor';
import { makeContext } from './context';
import { readOptionalVector, readPhaseData } from './inputs';
import { resolveLoop, runLoop, stepAlong } from './iterate';
import { medianInPlace } from './metrics';
import { type SpectralInitOptions, initialise, resolveInitOptions } from './spectralInit';
import type { CommonSolverOptions, DesignLike, SolveResult, VectorLike } from './types';

/** Options of {@link reshapedWF} and {@link medianRWF}. */
export interface ReshapedWFOptions extends CommonSolverOptions {
  /** Step (default 0.8, real case). */
  mu?: number;
  /** median-RWF residual truncation α_h (default 3). */
  alphaH?: number;
  /** Initialisation (default `reshaped` for RWF, `median-truncated` for median-RWF). */
  init?: SpectralInitOptions;
}

function runReshaped(
  A: DesignLike,
  y: VectorLike,
  options: ReshapedWFOptions,
  variant: 'rwf' | 'median-rwf',
): SolveResult {
  const start = performance.now();
  const data = readPhaseData(A, y);
  const loop = resolveLoop(options, data.n, { maxIter: 1000, tol: 1e-10 });
  const { mu = 0.8, alphaH = 3, seed = 0 } = options;
  assertPositive('mu', mu);
  assertPositive('alphaH', alphaH);
  assertInteger('seed', seed);
  const initOpts = resolveInitOptions(options.init, {
    method: variant === 'rwf' ? 'reshaped' : 'median-truncated',
  });
  const x0 = readOptionalVector('x0', options.x0, data.n);
  const ctx = makeContext(data.A, data.y, options.products);
  try {
    const z0 = x0 ?? initialise(ctx, initOpts, new Rng(seed)).z0;
    const { m, n } = data;
    const psi = Float64Array.from(data.y, (v) => Math.sqrt(Math.max(v, 0)));
    const res = new Float64Array(m);
    const c = new Float64Array(m);
    const g = new Float64Array(n);
    const out = runLoop(
      ctx,
      z0,
      loop,
      (z, Az) => {
        for (let i = 0; i < m; i++) res[i] = Math.abs(Math.abs(Az[i]) - psi[i]);
        const cap = variant === 'rwf' ? Infinity : alphaH * medianInPlace(Float64Array.from(res));
        for (let i = 0; i < m; i++) {
          const s = Az[i] > 0 ? 1 : Az[i] < 0 ? -1 : 0;
          c[i] = res[i] <= cap ? (Az[i] - psi[i] * s) / m : 0;
        }
        ctx.op.applyT(c, g);
        return stepAlong(z, mu, g);
      },
      { name: variant === 'rwf' ? 'reshapedWF' : 'medianRWF', start },
    );
    return { ...out, x0: Float64Array.from(z0), timeMs: performance.now() - start, method: variant };
  } finally {
    ctx.op.dispose();
  }
}

/** Reshaped WF (Zhang & Liang 2016), real case, μ = 0.8. */
export function reshapedWF(A: DesignLike, y: VectorLike, options: ReshapedWFOptions = {}): SolveResult {
  return runReshaped(A, y, options, 'rwf');
}

/** Median-RWF: RWF with median-based residual truncation (α_h = 3) and median-TWF initialisation. */
export function medianRWF(A: DesignLike, y: VectorLike, options: ReshapedWFOptions = {}): SolveResult {
  return runReshaped(A, y, options, 'median-rwf');
}

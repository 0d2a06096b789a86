/**
 * Wirtinger Flow (Candès, Li & Soltanolkotabi 2015), real case: the baseline every robust method
 * is measured against. Loss f(z) = (1/4m) Σ ((a_iᵀz)² − y_i)², gradient (1/m) Σ ((a_iᵀz)² − y_i)(a_iᵀz) a_i,
 * step μ_τ/‖z0‖² with the schedule μ_τ = min(1 − e^{−τ/τ0}, μ_max), τ0 = 330, μ_max = 0.2.
 * @module
 */
import { Rng, assertInRange, assertInteger, assertPositive } from '@descent/tensor';
import { makeContext } from './context';
import { readOptionalVector, readPhaseData } from './inputs';
import { resolveLoop, runLoop, stepAlong } from './iterate';
import { type SpectralInitOptions, initialise, resolveInitOptions } from './spectralInit';
import type { CommonSolverOptions, DesignLike, SolveResult, VectorLike } from './types';

/** Options of {@link wirtingerFlow}. */
export interface WirtingerFlowOptions extends CommonSolverOptions {
  /** Constant step μ (relative to ‖z0‖²); overrides the schedule. */
  mu?: number;
  /** Schedule μ_τ = min(1 − e^{−τ/τ0}, muMax) (default τ0 = 330, muMax = 0.2, Candès et al.). */
  schedule?: { tau0?: number; muMax?: number };
  /** Initialisation (default `{ method: 'spectral' }`, 50 power iterations). */
  init?: SpectralInitOptions;
}

/**
 * Wirtinger Flow. Defaults: spectral init, schedule (τ0 = 330, μ_max = 0.2), maxIter 1500, tol 1e-10.
 *
 * ```ts
 * const { x } = wirtingerFlow(A, y);
 * ```
 */
export function wirtingerFlow(A: DesignLike, y: VectorLike, options: WirtingerFlowOptions = {}): SolveResult {
  const start = performance.now();
  const data = readPhaseData(A, y);
  const loop = resolveLoop(options, data.n, { maxIter: 1500, tol: 1e-10 });
  const tau0 = options.schedule?.tau0 ?? 330;
  const muMax = options.schedule?.muMax ?? 0.2;
  assertPositive('schedule.tau0', tau0);
  assertPositive('schedule.muMax', muMax);
  if (options.mu !== undefined) assertInRange('mu', options.mu, 0, 1, { minExclusive: true });
  const seed = options.seed ?? 0;
  assertInteger('seed', seed);
  const initOpts = resolveInitOptions(options.init, { method: 'spectral' });
  const x0 = readOptionalVector('x0', options.x0, data.n);
  const ctx = makeContext(data.A, data.y, options.products);
  try {
    const z0 = x0 ?? initialise(ctx, initOpts, new Rng(seed)).z0;
    let s2 = 0;
    for (let j = 0; j < data.n; j++) s2 += z0[j] * z0[j];
    const { m, n } = data;
    const r = new Float64Array(m);
    const g = new Float64Array(n);
    // SIMD operators fuse A z and the gradient into one pass over A (g is computed with Az)
    const fused = ctx.op.wfGradient && ctx.op.setResponses ? ctx.op : null;
    fused?.setResponses?.(data.y);
    const res = runLoop(
      ctx,
      z0,
      loop,
      (z, Az, t) => {
        const mu = options.mu ?? Math.min(1 - Math.exp(-(t + 1) / tau0), muMax);
        if (!fused) {
          for (let i = 0; i < m; i++) r[i] = ((Az[i] * Az[i] - data.y[i]) * Az[i]) / m;
          ctx.op.applyT(r, g);
        }
        const c = mu / s2;
        return stepAlong(z, c, g);
      },
      {
        name: 'wirtingerFlow',
        start,
        project: fused
          ? (z, out) => {
              fused.wfGradient?.(z, 1 / m, out, g);
              return out;
            }
          : undefined,
      },
    );
    return { ...res, x0: Float64Array.from(z0), timeMs: performance.now() - start, method: 'wf' };
  } finally {
    ctx.op.dispose();
  }
}

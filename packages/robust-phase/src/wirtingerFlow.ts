/**
 * Wirtinger Flow (Candès, Li & Soltanolkotabi 2015), real case: the baseline every robust method
 * is measured against. Loss f(z) = (1/4m) Σ ((a_iᵀz)² − y_i)², gradient (1/m) Σ ((a_iᵀz)² − y_i)(a_iᵀz) a_i,
 * step μ_τ/‖z0‖² with the schedule μ_τ = min(1 − e^{−τ/τ0}, μ_max), τ0 = 330, μ_max = 0.2.
 * @module
 */
import { option, readNumber, resolveOptions } from '@descent/tensor';
import { type SkeletonOptions, solvePhase } from './solver';
import { stepAlong } from './iterate';
import type { DesignLike, SolveResult, VectorLike } from './types';

/** Options of {@link wirtingerFlow}. */
export interface WirtingerFlowOptions extends SkeletonOptions {
  /** Constant step μ (relative to ‖z0‖²); overrides the schedule. */
  learningRate?: number;
  /** Schedule μ_τ = min(1 − e^{−τ/τ0}, muMax) (default τ0 = 330, muMax = 0.2, Candès et al.). */
  schedule?: { tau0?: number; muMax?: number };
}

/** WF's own options (beyond the skeleton's). */
const WF_SCHEMA = {
  learningRate: option.number({ gt: 0, max: 1 }),
  schedule: option.custom((v, name) => {
    const o = resolveOptions(v, { tau0: option.custom((t) => t), muMax: option.custom((t) => t) }, { name });
    return {
      tau0: readNumber(o.tau0 ?? 330, `${name}.tau0`, { gt: 0 }),
      muMax: readNumber(o.muMax ?? 0.2, `${name}.muMax`, { gt: 0 }),
    };
  }),
};

/**
 * Wirtinger Flow. Defaults: spectral init, schedule (τ0 = 330, μ_max = 0.2), maxSteps 1500, tol 1e-10.
 * Not robust: a few corrupted pairs break it (it throws a `ConvergenceError` when the iterates blow
 * up; {@link robustPhaseRetrieval} is the robust entry point).
 *
 * ```ts
 * const { x } = wirtingerFlow(A, y);
 * ```
 */
export function wirtingerFlow(A: DesignLike, y: VectorLike, options: WirtingerFlowOptions = {}): SolveResult {
  return solvePhase(
    A,
    y,
    options,
    { name: 'wirtingerFlow', maxSteps: 1500, tol: 1e-10, init: { method: 'spectral' } },
    WF_SCHEMA,
    ({ ctx }, o) => {
      const { tau0, muMax } = o.schedule ?? { tau0: 330, muMax: 0.2 };
      const { learningRate } = o;
      const { m, n, y: yv } = ctx;
      const r = new Float64Array(m);
      const g = new Float64Array(n);
      // SIMD operators fuse A z and the gradient into one pass over A (g is computed with Az)
      const fused = ctx.op.wfGradient && ctx.op.setResponses ? ctx.op : null;
      fused?.setResponses?.(yv);
      return {
        name: 'wirtingerFlow',
        method: 'wf',
        divergenceArgument: 'y',
        advice:
          'plain WF is not robust to corrupted pairs (use robustPhaseRetrieval, medianTWF or medianRWF); on clean data lower schedule.muMax',
        iteration(z0) {
          let s2 = 0;
          for (let j = 0; j < n; j++) s2 += z0[j] * z0[j];
          return {
            step(z, Az, t, out) {
              const mu = learningRate ?? Math.min(1 - Math.exp(-(t + 1) / tau0), muMax);
              if (!fused) {
                for (let i = 0; i < m; i++) r[i] = ((Az[i] * Az[i] - yv[i]) * Az[i]) / m;
                ctx.op.applyT(r, g);
              }
              return stepAlong(z, mu / s2, g, out);
            },
            project: fused
              ? (z, out) => {
                  fused.wfGradient?.(z, 1 / m, out, g);
                  return out;
                }
              : undefined,
          };
        },
      };
    },
  );
}

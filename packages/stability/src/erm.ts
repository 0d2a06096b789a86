/**
 * Empirical risk minimisation ŵ = argmin F_S by Newton's method with Cholesky solves. For
 * least squares F_S is quadratic and the first Newton step is the closed form
 * (XᵀX/n + λI)⁻¹(Xᵀy/n + λc); for logistic regression the iteration converges quadratically
 * (backtracking while far from the optimum). It stops when the Newton decrement
 * ½ gᵀH⁻¹g ≤ `tol` or stops decreasing (rounding floor): exact ERM to float64 precision,
 * which the excess risks near 1e-10 of the low-noise regime need.
 * @module
 */
import {
  ConvergenceError,
  Matrix,
  type VectorLike,
  cholesky,
  choleskySolve,
  option,
  resolveOptions,
} from '@descent/tensor';
import type { Algorithm, FitResult } from './algorithm';
import { FitHistory, historyEveryOption } from './fitHistory';
import {
  type Dataset,
  type RiskProblem,
  empiricalGradientUnchecked,
  empiricalHessianUnchecked,
  empiricalRiskUnchecked,
  readDataset,
  readProblem,
  readWeights,
} from './problem';

/** Options of {@link erm}. */
export interface ErmOptions {
  /** Stop when the Newton decrement ½gᵀH⁻¹g is below this (default 1e-28). */
  tol?: number;
  /** Newton steps before a {@link ConvergenceError} (default 100). */
  maxSteps?: number;
  /** Starting point (default the regularisation centre c). */
  init?: VectorLike;
  /** Record F_S every this many Newton steps in `history` (default 0: off). */
  historyEvery?: number;
}

/**
 * The exact empirical risk minimiser as an {@link Algorithm}.
 *
 * ```ts
 * const p = new LeastSquaresProblem();
 * const S = p.sample(100, new Rng(1));
 * const { w } = erm().fit(p, S, new Rng(0));
 * p.excessRisk(w); // ≈ 5e-3 at n = 100 with σ² = 0.25
 * ```
 */
export function erm(options: ErmOptions = {}): Algorithm {
  const { tol, maxSteps, init, historyEvery } = resolveOptions(
    options,
    {
      tol: option.number({ gt: 0, default: 1e-28 }),
      maxSteps: option.integer({ min: 1, default: 100 }),
      init: option.vector(),
      historyEvery: historyEveryOption,
    },
    { name: 'erm options' },
  );
  return {
    name: 'ERM',
    fit(problem: RiskProblem, data: Dataset): FitResult {
      readProblem(problem);
      readDataset(data, problem.d);
      const t0 = performance.now();
      const d = problem.d;
      const w = init === undefined ? problem.center.slice() : readWeights(init, d, 'init').slice();
      let prevDecrement = Number.POSITIVE_INFINITY;
      let evaluations = 0;
      const log = new FitHistory(historyEvery, problem, data);
      for (let step = 0; step < maxSteps; step++) {
        log.record(step, w);
        const g = empiricalGradientUnchecked(problem, data, w, new Float64Array(d));
        const H = empiricalHessianUnchecked(problem, data, w);
        evaluations += data.n;
        const L = cholesky(new Matrix(d, d, H), { symmetryTol: Number.POSITIVE_INFINITY });
        const delta = choleskySolve(L, g);
        let decrement = 0;
        for (let j = 0; j < d; j++) decrement += g[j] * delta[j];
        decrement *= 0.5;
        if (decrement <= tol || (step > 0 && decrement >= prevDecrement && decrement < 1e-20)) {
          log.record(step, w, true);
          return {
            w,
            steps: step,
            evaluations,
            history: log.history,
            timeMs: performance.now() - t0,
            stopReason: 'converged',
          };
        }
        prevDecrement = decrement;
        let t = 1;
        if (decrement > 1e-8) {
          // Armijo backtracking on F_S away from the quadratic-convergence region
          const f0 = empiricalRiskUnchecked(problem, data, w);
          const trial = new Float64Array(d);
          for (let k = 0; k < 60; k++) {
            for (let j = 0; j < d; j++) trial[j] = w[j] - t * delta[j];
            evaluations += data.n;
            if (empiricalRiskUnchecked(problem, data, trial) <= f0 - 0.5 * t * decrement) break;
            t *= 0.5;
          }
        }
        for (let j = 0; j < d; j++) w[j] -= t * delta[j];
      }
      throw new ConvergenceError(
        `erm did not converge within maxSteps = ${maxSteps} Newton steps (decrement ${prevDecrement.toExponential(2)})`,
        'maxSteps',
      );
    },
  };
}

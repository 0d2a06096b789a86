/**
 * Projected (full-batch) gradient descent on the empirical risk:
 *
 *   w_{t+1} = Π_R(w_t − η ∇F_S(w_t)),   η = 1/L_S,   t = 0, …, T − 1,
 *
 * with L_S the smoothness constant of F_S ({@link empiricalSmoothness}) and Π_R the projection
 * onto the ball of radius R. F_S is λ-strongly convex, so ‖w_T − ŵ‖ ≤ (1 − λ/L_S)^T‖w_0 − ŵ‖
 * and T ≍ κ log n steps (κ = L_S/λ) bring the optimisation error below the O(1/n²) statistical
 * error: the default is T = ⌈2κ ln n⌉, i.e. a distance factor n⁻², an excess factor n⁻⁴.
 * @module
 */
import { type VectorLike, assertInteger, option, readInteger, readNumber, resolveOptions } from '@descent/tensor';
import type { Algorithm, FitResult } from './algorithm';
import { FitHistory, historyEveryOption } from './fitHistory';
import { projectInPlace } from './ball';
import {
  type Dataset,
  type RiskProblem,
  empiricalGradientUnchecked,
  empiricalSmoothness,
  readProblem,
  readWeights,
} from './problem';

/** Options of {@link pgd}. */
export interface PgdOptions {
  /** Step size η (default 1/L_S, computed per data set). */
  learningRate?: number;
  /**
   * Number of steps T, or a function of n and κ = L_S/λ (default ⌈2κ ln n⌉); PGD runs exactly
   * T steps (`stopReason: 'maxSteps'`). Renamed from `steps`.
   */
  maxSteps?: number | ((n: number, kappa: number) => number);
  /** Radius R of the ball {‖w‖ ≤ R} to project on (default Infinity: no projection). */
  radius?: number;
  /** Starting point (default 0, projected). */
  init?: VectorLike;
  /** Record F_S every this many steps in `history` (default 0: off). */
  historyEvery?: number;
}

/** A number of steps, or a rule T(n, κ). */
type StepsRule = number | ((n: number, kappa: number) => number);

function readSteps(v: unknown, name: string): StepsRule {
  return typeof v === 'function'
    ? (v as (n: number, kappa: number) => number)
    : readInteger(v, name, { min: 0 });
}

/** The default T = ⌈2κ ln n⌉ (at least 1). */
export function defaultPgdSteps(n: number, kappa: number): number {
  readInteger(n, 'n', { min: 1 });
  readNumber(kappa, 'kappa', { gt: 0 });
  return Math.max(1, Math.ceil(2 * kappa * Math.log(n)));
}

/**
 * Projected gradient descent with T ≍ log n steps as an {@link Algorithm}.
 *
 * ```ts
 * const p = new LeastSquaresProblem();
 * const { w, steps, stopReason } = pgd({ radius: 2 }).fit(p, p.sample(400, new Rng(1)), new Rng(0));
 * ```
 */
export function pgd(options: PgdOptions = {}): Algorithm {
  const {
    maxSteps: steps,
    radius,
    learningRate,
    init,
    historyEvery,
  } = resolveOptions(
    options,
    {
      learningRate: option.number({ gt: 0 }),
      maxSteps: option.custom(readSteps, { default: defaultPgdSteps as StepsRule }),
      radius: option.number({ gt: 0, allowInfinity: true, default: Number.POSITIVE_INFINITY }),
      init: option.vector(),
      historyEvery: historyEveryOption,
    },
    { name: 'pgd options', renamed: { steps: 'maxSteps' } },
  );
  return {
    name: 'PGD',
    fit(problem: RiskProblem, data: Dataset): FitResult {
      const d = readProblem(problem).d;
      const t0 = performance.now();
      const L = empiricalSmoothness(problem, data); // reads data
      const eta = learningRate ?? 1 / L;
      const T = typeof steps === 'number' ? steps : steps(data.n, L / problem.lambda);
      assertInteger('maxSteps', T, 0);
      const w = init === undefined ? new Float64Array(d) : readWeights(init, d, 'init').slice();
      projectInPlace(w, radius);
      const g = new Float64Array(d);
      const log = new FitHistory(historyEvery, problem, data);
      for (let t = 0; t < T; t++) {
        log.record(t, w);
        empiricalGradientUnchecked(problem, data, w, g);
        for (let j = 0; j < d; j++) w[j] -= eta * g[j];
        projectInPlace(w, radius);
      }
      log.record(T, w, true);
      return {
        w,
        steps: T,
        evaluations: T * data.n,
        history: log.history,
        timeMs: performance.now() - t0,
        stopReason: 'maxSteps',
      };
    },
  };
}

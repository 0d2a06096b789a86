/**
 * The learning-algorithm shape shared by {@link erm}, {@link pgd} and {@link sgd}: a named,
 * configured map (problem, sample S, randomness) ↦ A(S). Randomness comes in as an `Rng` so
 * that the replace-one experiments can run A on S and on S^(i) with the same internal coins.
 * @module
 */
import type { HistoryEntry, Rng, RunResult } from '@descent/tensor';
import type { Dataset, RiskProblem } from './problem';

/** One history entry of a fit (recorded every `historyEvery` steps when that option is > 0). */
export interface FitRecord extends HistoryEntry {
  /** Steps taken before this record (0 = the starting point). */
  step: number;
  /** The regularised empirical risk F_S(w_step). */
  empiricalRisk: number;
}

/**
 * What a fit returns: the shared `RunResult` fields plus the trained weights.
 * `stopReason` is `'converged'` for {@link erm} (Newton met `tol`; otherwise it throws a
 * `ConvergenceError`) and `'maxSteps'` for {@link pgd} and {@link sgd} (they run exactly T steps).
 */
export interface FitResult extends RunResult<FitRecord> {
  /** The trained weights A(S). */
  w: Float64Array;
  /** Iterations taken (Newton steps, GD steps or SGD steps). */
  steps: number;
  /**
   * Per-sample gradient evaluations (n per full-gradient step, 1 per SGD step; ERM's line search
   * counts n per trial). The risks recorded in `history` are diagnostics and are not counted.
   */
  evaluations: number;
  /** Empty unless the algorithm was configured with `historyEvery > 0`. */
  history: FitRecord[];
}

/** A learning algorithm A: S ↦ A(S). */
export interface Algorithm {
  /** Label for tables and plots, e.g. `"PGD"` or `"SGD T=n²"`. */
  readonly name: string;
  /** Trains on `data` (drawing any randomness from `rng`; deterministic algorithms ignore it). */
  fit(problem: RiskProblem, data: Dataset, rng: Rng): FitResult;
}

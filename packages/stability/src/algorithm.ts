/**
 * The learning-algorithm shape shared by {@link erm}, {@link pgd} and {@link sgd}: a named,
 * configured map (problem, sample S, randomness) ↦ A(S). Randomness comes in as an `Rng` so
 * that the replace-one experiments can run A on S and on S^(i) with the same internal coins.
 * @module
 */
import type { Rng } from '@descent/tensor';
import type { Dataset, RiskProblem } from './problem';

/** What a fit returns. */
export interface FitResult {
  /** The trained weights A(S). */
  w: Float64Array;
  /** Iterations taken (Newton steps, GD steps or SGD steps). */
  steps: number;
  /** Per-sample gradient evaluations (n per full-gradient step, 1 per SGD step). */
  evaluations: number;
}

/** A learning algorithm A: S ↦ A(S). */
export interface Algorithm {
  /** Label for tables and plots, e.g. `"PGD"` or `"SGD T=n²"`. */
  readonly name: string;
  /** Trains on `data` (drawing any randomness from `rng`; deterministic algorithms ignore it). */
  fit(problem: RiskProblem, data: Dataset, rng: Rng): FitResult;
}

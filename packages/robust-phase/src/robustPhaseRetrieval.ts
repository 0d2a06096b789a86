/**
 * The one-call entry point: picks Buna & Rebeschini's pipeline from the noise regime.
 * `zero-mean`: robust WF on (A, y). `unknown`: pair differences → bilinear model → tailored robust WF.
 * @module
 */
import { assertInteger } from '@descent/tensor';
import { checkChoice } from './inputs';
import { pairDifference } from './pairDifference';
import { robustBilinearWF } from './robustBilinearWF';
import { type RobustWFOptions, robustWF } from './robustWF';
import type { DesignLike, SolveResult, VectorLike } from './types';

/** Options of {@link robustPhaseRetrieval}. */
export interface RobustPhaseRetrievalOptions extends RobustWFOptions {
  /** Noise regime (default `'zero-mean'`). */
  noise?: 'zero-mean' | 'unknown';
}

/** Result of {@link robustPhaseRetrieval}: a {@link SolveResult} and the pipeline used. */
export interface RobustPhaseRetrievalResult extends SolveResult {
  pipeline: 'zero-mean' | 'unknown';
}

/**
 * Robust phase retrieval under heavy-tailed noise and an η-fraction of corrupted pairs.
 *
 * ```ts
 * const { x } = robustPhaseRetrieval(A, y, { noise: 'unknown', eta: 0.05 });
 * ```
 */
export function robustPhaseRetrieval(
  A: DesignLike,
  y: VectorLike,
  options: RobustPhaseRetrievalOptions = {},
): RobustPhaseRetrievalResult {
  const start = performance.now();
  const { noise = 'zero-mean', ...rest } = options;
  const pipeline = checkChoice('noise', noise, ['zero-mean', 'unknown'] as const);
  if (pipeline === 'zero-mean') return { ...robustWF(A, y, rest), pipeline };
  const seed = rest.seed ?? 0;
  assertInteger('seed', seed);
  const { U, V, yTilde } = pairDifference(A, y, seed);
  const r = robustBilinearWF(U, V, yTilde, rest);
  return { ...r, timeMs: performance.now() - start, pipeline };
}

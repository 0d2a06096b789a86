/**
 * The baseline planner: the same open-loop loop maximising smooth STL robustness of the whole
 * trajectory (STLCG-style backpropagation), with the same temperature schedule.
 * @module
 */
import type { tf } from '@descent/tensor/tf';
import { type OpenLoopOptions, type PlanResult, optimizeControls } from '../optimizeControls';
import { type Stl, stlHolds, stlRobustness, stlRobustnessValue } from './stl';

/** Options of {@link planOpenLoopStl}. */
export interface StlPlanOptions extends OpenLoopOptions {
  /** The STL task. */
  formula: Stl;
  /** Robustness implementation (default 'mask'). */
  impl?: 'mask' | 'recurrent';
  /** Optional acceptance test replacing Boolean STL satisfaction (e.g. the automaton's `accepts`). */
  accepts?: (states: number[][]) => boolean;
}

/**
 * Default initial temperature of the STL baseline: best of the grid {1, 0.1, 0.02} (at τ = 1 the
 * soft-min over T steps is biased by −τ·log T, which dominates distances on the unit square).
 */
export const DEFAULT_STL_TAU0 = 0.1;

/** Plans controls maximising the smooth robustness; success = Boolean STL satisfaction (or `accepts`). `tau0` defaults to {@link DEFAULT_STL_TAU0}. */
export function planOpenLoopStl(options: StlPlanOptions): PlanResult {
  options = { ...options, tau0: options.tau0 ?? DEFAULT_STL_TAU0 };
  const { formula } = options;
  const impl = options.impl ?? 'mask';
  return optimizeControls(
    options,
    (xs: tf.Tensor2D, tau: number) => stlRobustness(formula, xs, { impl, tau }),
    (states) => ({
      accepted: options.accepts ? options.accepts(states) : stlHolds(formula, states),
      hardScore: stlRobustnessValue(formula, states),
    }),
  );
}

/**
 * The baseline planner: the same open-loop loop maximising smooth STL robustness of the whole
 * trajectory (STLCG-style backpropagation), with the same temperature schedule.
 * @module
 */
import type { tf } from '@descent/tensor';
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

/** Plans controls maximising the smooth robustness; success = Boolean STL satisfaction (or `accepts`). */
export function planOpenLoopStl(options: StlPlanOptions): PlanResult {
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

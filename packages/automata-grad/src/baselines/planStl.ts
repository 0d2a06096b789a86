/**
 * The baseline planner: the same open-loop loop maximising smooth STL robustness of the whole
 * trajectory (STLCG-style backpropagation), with the same temperature schedule.
 * @module
 */
import { adam, option } from '@descent/tensor';
import type { tf } from '@descent/tensor/tf';
import {
  type OpenLoopOptions,
  type PlanResult,
  openLoopSchema,
  resolveOpenLoop,
  runOpenLoop,
} from '../optimizeControls';
import { checkStl } from '../formulaChecks';
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
  const o = resolveOpenLoop(
    options,
    {
      ...openLoopSchema(300),
      formula: option.custom((v, name) => {
        checkStl(v as Stl, name);
        return v as Stl;
      }, { required: true }),
      impl: option.oneOf(['mask', 'recurrent'] as const, { default: 'mask' }),
      accepts: option.func<(states: number[][]) => boolean>(),
    },
    'planOpenLoopStl options',
  );
  const { formula, impl, accepts } = o;
  return runOpenLoop(
    {
      ...o,
      tau0: o.tau0 ?? DEFAULT_STL_TAU0,
      optimizer: o.optimizer ?? adam({ learningRate: o.learningRate ?? 0.1 }),
    },
    (xs: tf.Tensor2D, tau: number) => stlRobustness(formula, xs, { impl, tau }),
    (states) => ({
      accepted: accepts ? accepts(states) : stlHolds(formula, states),
      hardScore: stlRobustnessValue(formula, states),
    }),
  );
}

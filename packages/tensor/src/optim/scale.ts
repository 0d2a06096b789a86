/**
 * Scaling transformations: constant factors, schedules, learning rates, weight decay.
 * @module
 */
import { ValueError, assertFiniteNumber, checkName, describe } from '../errors';
import { readOptions } from '../options/read';
import { type Schedule, assertSchedule, evaluateSchedule } from './schedule';
import { type GradientTransformation, checkVector, stateCount, stateObject } from './transformation';

/** State of a transformation that only counts steps. */
export interface CountState {
  /** Number of updates done so far. */
  count: number;
}

/** Multiplies the updates by a constant `factor` (stateless; state `{}`). */
export function scaleByConstant(factor: number): GradientTransformation<Record<string, never>> {
  assertFiniteNumber('factor', factor);
  return {
    init: () => ({}),
    update(grads, state) {
      checkVector('grads', grads);
      stateObject(state);
      const u = new Float64Array(grads.length);
      for (let i = 0; i < u.length; i++) u[i] = factor * grads[i];
      return { updates: u, state: {} };
    },
  };
}

/** Multiplies the updates by `schedule(count)` (optax `scale_by_schedule`). */
export function scaleBySchedule(schedule: Schedule, name = 'schedule'): GradientTransformation<CountState> {
  checkName(name);
  assertSchedule(name, schedule, true);
  return {
    init: () => ({ count: 0 }),
    update(grads, state) {
      checkVector('grads', grads);
      const count = stateCount(state);
      const f = evaluateSchedule(schedule, count, name);
      const u = new Float64Array(grads.length);
      for (let i = 0; i < u.length; i++) u[i] = f * grads[i];
      return { updates: u, state: { count: count + 1 } };
    },
  };
}

/**
 * Multiplies the updates by `−learningRate(count)` (descent direction; optax
 * `scale_by_learning_rate`). Pass `{ flipSign: false }` for ascent.
 */
export function scaleByLearningRate(
  learningRate: Schedule,
  options: { flipSign?: boolean } = {},
): GradientTransformation<CountState> {
  const { flipSign = true } = readOptions<{ flipSign?: boolean }>(options);
  if (typeof flipSign !== 'boolean')
    throw new ValueError(`flipSign must be true or false, got ${describe(flipSign)}`, 'flipSign');
  assertSchedule('learningRate', learningRate);
  const s: Schedule =
    typeof learningRate === 'function'
      ? (t: number) => (flipSign ? -1 : 1) * learningRate(t)
      : (flipSign ? -1 : 1) * learningRate;
  return scaleBySchedule(s, 'learningRate');
}

/** Adds `weightDecay · params` to the updates (decoupled weight decay, optax `add_decayed_weights`). */
export function addDecayedWeights(weightDecay: Schedule): GradientTransformation<CountState> {
  assertSchedule('weightDecay', weightDecay);
  return {
    init: () => ({ count: 0 }),
    update(grads, state, params) {
      checkVector('grads', grads);
      checkVector('params', params, grads.length);
      const count = stateCount(state);
      const wd = evaluateSchedule(weightDecay, count, 'weightDecay');
      const u = new Float64Array(grads.length);
      for (let i = 0; i < u.length; i++) u[i] = grads[i] + wd * params[i];
      return { updates: u, state: { count: count + 1 } };
    },
  };
}

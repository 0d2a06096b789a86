/**
 * Scaling transformations over trees: constants, schedules, learning rates, decoupled weight
 * decay with a filter.
 * @module
 */
import {
  type Schedule,
  ValueError,
  assertFiniteNumber,
  assertSchedule,
  describe,
  evaluateSchedule,
} from '@descent/tensor';
import { tf } from '../tf';
import { type ParamTree, type TensorPath, mapTree, mapTreeWithPath } from '../tree';
import { type TreeTransformation, checkGrads } from './transformation';

/** State of a transformation that only counts its updates. */
export interface CountState {
  /** Number of updates done so far. */
  count: number;
}

function readCount(state: unknown): number {
  const c = (state as Record<string, unknown> | null)?.count;
  if (typeof c !== 'number' || !Number.isInteger(c) || c < 0) {
    throw new ValueError(`state.count must be a non-negative integer, got ${describe(c)}`, 'state');
  }
  return c;
}

/** Multiplies the updates by a constant `factor` (state `{}`). */
export function scaleByConstant(factor: number): TreeTransformation<Record<string, never>> {
  assertFiniteNumber('factor', factor);
  return {
    init: () => ({}),
    update(grads) {
      checkGrads(grads, undefined);
      return { updates: mapTree((g) => tf.mul(g, factor), grads), state: {} };
    },
  };
}

/** Multiplies the updates by `schedule(count)` (optax `scale_by_schedule`). */
export function scaleBySchedule(schedule: Schedule, name = 'schedule'): TreeTransformation<CountState> {
  assertSchedule(name, schedule, true);
  return {
    init: () => ({ count: 0 }),
    update(grads, state) {
      checkGrads(grads, undefined);
      const count = readCount(state);
      const f = evaluateSchedule(schedule, count, name);
      return { updates: mapTree((g) => tf.mul(g, f), grads), state: { count: count + 1 } };
    },
  };
}

/**
 * Multiplies the updates by `−learningRate(count)` (the descent direction; optax
 * `scale_by_learning_rate`). `{ flipSign: false }` for ascent.
 */
export function scaleByLearningRate(
  learningRate: Schedule,
  { flipSign = true }: { flipSign?: boolean } = {},
): TreeTransformation<CountState> {
  assertSchedule('learningRate', learningRate);
  const sign = flipSign ? -1 : 1;
  const s: Schedule =
    typeof learningRate === 'function' ? (t: number) => sign * learningRate(t) : sign * learningRate;
  return scaleBySchedule(s, 'learningRate');
}

/** Which tensors a transformation acts on: `(path, tensor) → boolean`. */
export type TensorFilter = (path: TensorPath, tensor: tf.Tensor) => boolean;

/**
 * A {@link TensorFilter} selecting weight matrices and kernels (rank ≥ 2) and leaving out biases,
 * layer-norm scales/shifts and other vectors: the usual weight-decay set (GPT-2, BERT, timm).
 */
export const kernelsOnly: TensorFilter = (_path, tensor) => tensor.rank >= 2;

/** Options of {@link addDecayedWeights}. */
export interface AddDecayedWeightsOptions {
  /** Tensors that are decayed (default: all; optax's `mask`). See {@link kernelsOnly}. */
  filter?: TensorFilter;
}

/**
 * Adds `weightDecay(count) · params` to the updates of the tensors selected by `filter`
 * (decoupled weight decay, optax `add_decayed_weights`). Needs `params` in `update`.
 */
export function addDecayedWeights(
  weightDecay: Schedule,
  options: AddDecayedWeightsOptions = {},
): TreeTransformation<CountState> {
  assertSchedule('weightDecay', weightDecay);
  const filter = options.filter;
  if (filter !== undefined && typeof filter !== 'function') {
    throw new ValueError(
      `filter must be a function (path, tensor) => boolean, got ${describe(filter)}`,
      'filter',
    );
  }
  return {
    init: () => ({ count: 0 }),
    update(grads, state, params?: ParamTree) {
      if (params === undefined)
        throw new ValueError('params is required by addDecayedWeights (decoupled weight decay)', 'params');
      checkGrads(grads, params);
      const count = readCount(state);
      const wd = evaluateSchedule(weightDecay, count, 'weightDecay');
      const updates = mapTreeWithPath(
        (path, g, p) => (filter === undefined || filter(path, p) ? tf.add(g, tf.mul(p, wd)) : tf.clone(g)),
        grads,
        params,
      );
      return { updates, state: { count: count + 1 } };
    },
  };
}

/**
 * Scaling transformations over trees: constants, schedules, learning rates, decoupled weight
 * decay with a filter.
 * @module
 */
import {
  type Schedule,
  ShapeError,
  ValueError,
  assertFiniteNumber,
  assertSchedule,
  describe,
  evaluateSchedule,
  option,
  resolveOptions,
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
  options: { flipSign?: boolean } = {},
): TreeTransformation<CountState> {
  assertSchedule('learningRate', learningRate);
  const { flipSign } = resolveOptions(options, { flipSign: option.boolean({ default: true }) });
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
export const kernelsOnly: TensorFilter = (path, tensor) => {
  if (path == null || typeof path !== 'object' || typeof path.group !== 'string' || typeof path.name !== 'string') {
    throw new ValueError(`path must be a tensor path { group, name }, got ${describe(path)}`, 'path');
  }
  if (!(tensor instanceof tf.Tensor)) throw new ShapeError(`tensor must be a tf.Tensor, got ${describe(tensor)}`, 'tensor');
  return tensor.rank >= 2;
};

/** A filter's answer, which must be a boolean (errors name `filter`). */
function selected(filter: TensorFilter, path: TensorPath, tensor: tf.Tensor): boolean {
  const keep: unknown = filter(path, tensor);
  if (typeof keep !== 'boolean') {
    throw new ValueError(`filter must return true or false, got ${describe(keep)} for ${path.group}.${path.name}`, 'filter');
  }
  return keep;
}

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
  const { filter } = resolveOptions(options, { filter: option.func<TensorFilter>() });
  return {
    init: () => ({ count: 0 }),
    update(grads, state, params?: ParamTree) {
      if (params === undefined)
        throw new ValueError('params is required by addDecayedWeights (decoupled weight decay)', 'params');
      checkGrads(grads, params);
      const count = readCount(state);
      const wd = evaluateSchedule(weightDecay, count, 'weightDecay');
      const updates = mapTreeWithPath(
        (path, g, p) => (filter === undefined || selected(filter, path, p) ? tf.add(g, tf.mul(p, wd)) : tf.clone(g)),
        grads,
        params,
      );
      return { updates, state: { count: count + 1 } };
    },
  };
}

/**
 * Momentum (optax `trace`) and SGD over trees.
 * @module
 */
import { type Schedule, ValueError, describe, option, resolveOptions } from '@descent/tensor';
import { tf } from '../tf';
import { type ParamTree, mapTree, zerosLikeTree } from '../tree';
import { learningRateSpec } from './options';
import { scaleByLearningRate } from './scale';
import { type TreeTransformation, chain, checkGrads } from './transformation';

/** State of {@link trace}. */
export interface TraceState {
  /** The momentum buffer t (a tree like the parameters). */
  trace: ParamTree;
}

/** Options of {@link trace}. */
export interface TraceOptions {
  /** Momentum coefficient β ∈ [0, 1) (default 0.9). */
  decay?: number;
  /** Nesterov momentum (default false). */
  nesterov?: boolean;
}

function readTree(state: unknown, key: string): ParamTree {
  const t = (state as Record<string, unknown> | null)?.[key];
  if (t == null || typeof t !== 'object')
    throw new ValueError(`state.${key} must be a parameter tree, got ${describe(t)}`, 'state');
  return t as ParamTree;
}

/**
 * Heavy-ball momentum (optax `trace`, PyTorch SGD's buffer): t ← g + β t; the update is t, or
 * g + β t with Nesterov.
 */
export function trace(options: TraceOptions = {}): TreeTransformation<TraceState> {
  const { decay, nesterov } = resolveOptions(options, {
    decay: option.number({ min: 0, lt: 1, default: 0.9 }),
    nesterov: option.boolean({ default: false }),
  });
  return {
    init: (params) => ({ trace: zerosLikeTree(params) }),
    update(grads, state) {
      const t0 = readTree(state, 'trace');
      checkGrads(grads, t0);
      const t = mapTree((g, tr) => tf.add(g, tf.mul(tr, decay)), grads, t0);
      const updates = nesterov
        ? mapTree((g, tr) => tf.add(g, tf.mul(tr, decay)), grads, t)
        : mapTree((x) => tf.clone(x), t);
      return { updates, state: { trace: t } };
    },
  };
}

/** Options of {@link sgd}. */
export interface SgdOptions {
  /** Step size η (a constant ≥ 0 or a schedule of the step). Required. */
  learningRate: Schedule;
  /** Momentum β ∈ [0, 1) (default 0: plain SGD). */
  momentum?: number;
  /** Nesterov momentum (default false; needs momentum > 0). */
  nesterov?: boolean;
}

/**
 * SGD with optional (Nesterov) momentum, as optax: `chain(trace({ decay: β, nesterov }),
 * scaleByLearningRate(η))`. Without momentum: w ← w − η g; with: t ← g + β t, w ← w − η t.
 *
 * ```ts
 * const opt = sgd({ learningRate: 0.05, momentum: 0.9 });
 * ```
 */
export function sgd(options: SgdOptions): TreeTransformation<unknown[]> {
  const { learningRate, momentum, nesterov } = resolveOptions(options, {
    learningRate: learningRateSpec(),
    momentum: option.number({ min: 0, lt: 1, default: 0 }),
    nesterov: option.boolean({ default: false }),
  });
  if (nesterov && momentum === 0)
    throw new ValueError('nesterov needs momentum > 0, got momentum 0', 'nesterov');
  return momentum > 0
    ? chain(trace({ decay: momentum, nesterov }), scaleByLearningRate(learningRate))
    : chain(scaleByLearningRate(learningRate));
}

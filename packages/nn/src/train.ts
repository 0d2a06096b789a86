/**
 * One optimisation step and evaluation for the functional models.
 * @module
 */
import { ShapeError, ValueError, assertInteger, describe } from '@descent/tensor';
import { valueAndGradTree } from './grad';
import type { SeedLike, Model } from './layer';
import { type LossFn, accuracy } from './losses';
import { type TreeTransformation, applyUpdates } from './optim/transformation';
import { disposeState } from './serialize';
import { tf } from './tf';
import { type ParamTree, assertParamTree, assertSameStructure, disposeTree } from './tree';

/** What a training run is made of. */
export interface TrainSetup<X = tf.Tensor, S = unknown> {
  /** The model. */
  model: Model<X>;
  /** The loss of `(model output, targets)`. */
  loss: LossFn;
  /** The optimizer (a gradient transformation over parameter trees). */
  optimizer: TreeTransformation<S>;
}

/** Parameters, optimizer state and step count of a training run. */
export interface TrainState<S = unknown> {
  /** Current parameters. */
  params: ParamTree;
  /** Current optimizer state. */
  optState: S;
  /** Steps taken so far. */
  step: number;
}

function checkSetup(setup: TrainSetup<unknown, unknown>): void {
  if (setup == null || typeof setup !== 'object')
    throw new ValueError(`setup must be { model, loss, optimizer }, got ${describe(setup)}`, 'setup');
  if (setup.model == null || typeof setup.model.apply !== 'function')
    throw new ValueError(`model must be a Model, got ${describe(setup.model)}`, 'model');
  if (typeof setup.loss !== 'function')
    throw new ValueError(`loss must be a loss function, got ${describe(setup.loss)}`, 'loss');
  const o = setup.optimizer;
  if (o == null || typeof o.init !== 'function' || typeof o.update !== 'function') {
    throw new ValueError(`optimizer must be a TreeTransformation, got ${describe(o)}`, 'optimizer');
  }
}

/** A fresh {@link TrainState}: `model.init(seed)`, `optimizer.init(params)`, step 0. */
export function initTrainState<X, S>(setup: TrainSetup<X, S>, seed: SeedLike): TrainState<S> {
  checkSetup(setup as TrainSetup<unknown, unknown>);
  const params = setup.model.init(seed);
  try {
    return { params, optState: setup.optimizer.init(params), step: 0 };
  } catch (e) {
    disposeTree(params);
    throw e;
  }
}

/**
 * One step: loss and gradient on the batch (x, y), optimizer update, new parameters. The old
 * state's tensors are disposed and a new state is returned (on an error the old state is left
 * intact and nothing leaks). Throws {@link ValueError} if the loss is not finite.
 *
 * ```ts
 * let state = initTrainState({ model, loss, optimizer }, 0);
 * for (const { x, y } of batches) ({ state } = trainStep({ model, loss, optimizer }, state, x, y));
 * ```
 */
export function trainStep<X, S>(
  setup: TrainSetup<X, S>,
  state: TrainState<S>,
  x: X,
  y: tf.Tensor,
): { state: TrainState<S>; loss: number } {
  checkSetup(setup as TrainSetup<unknown, unknown>);
  if (state == null || typeof state !== 'object')
    throw new ValueError(`state must be a TrainState, got ${describe(state)}`, 'state');
  assertParamTree('state.params', state.params);
  assertInteger('state.step', state.step, 0);
  const { model, loss, optimizer } = setup;
  const { value, grads } = valueAndGradTree((p) => loss(model.apply(p, x), y))(state.params);
  try {
    const next = optimizerStep(optimizer, grads, state.optState, state.params);
    return { state: { params: next.params, optState: next.optState, step: state.step + 1 }, loss: value };
  } finally {
    disposeTree(grads);
  }
}

/**
 * The update half of a step, for loops that compute gradients their own way: the optimizer's
 * updates of `grads` applied to `params`. On success the old `params` and `optState` are
 * disposed and the new ones returned; if the optimizer throws, `params` and `optState` are left
 * intact and nothing leaks. `grads` stay the caller's to dispose.
 *
 * ```ts
 * const { value, grads } = valueAndGradTree(f)(params);
 * ({ params, optState } = optimizerStep(adam({ learningRate: 1e-3 }), grads, optState, params));
 * disposeTree(grads);
 * ```
 */
export function optimizerStep<S>(
  optimizer: TreeTransformation<S>,
  grads: ParamTree,
  optState: S,
  params: ParamTree,
): { params: ParamTree; optState: S } {
  if (optimizer == null || typeof optimizer.init !== 'function' || typeof optimizer.update !== 'function') {
    throw new ValueError(`optimizer must be a TreeTransformation, got ${describe(optimizer)}`, 'optimizer');
  }
  assertParamTree('params', params);
  assertSameStructure('grads', grads, params);
  let updates: ParamTree | null = null;
  let next: { updates: ParamTree; state: S } | null = null;
  try {
    next = optimizer.update(grads, optState, params);
    updates = next.updates;
    const out = applyUpdates(params, updates);
    disposeTree(params);
    disposeState(optState);
    return { params: out, optState: next.state };
  } catch (e) {
    if (next) disposeState(next.state);
    throw e;
  } finally {
    disposeTree(updates);
  }
}

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** The loss to report (default: none). */
  loss?: LossFn;
  /** Examples per forward pass (default 1024). */
  batchSize?: number;
  /** Report classification accuracy (default true). */
  accuracy?: boolean;
}

/** What {@link evaluate} reports. */
export interface Evaluation {
  /** Mean loss over the examples (NaN if no loss was given). */
  loss: number;
  /** Fraction of correct arg-max predictions (NaN if not asked). */
  accuracy: number;
  /** Number of examples. */
  examples: number;
}

/**
 * Mean loss and accuracy of `model` at `params` over all examples of (x, y), in batches along the
 * first axis. Assumes a mean-reduced loss (the batch means are weighted by batch size).
 */
export function evaluate(
  model: Model,
  params: ParamTree,
  x: tf.Tensor,
  y: tf.Tensor,
  options: EvaluateOptions = {},
): Evaluation {
  if (model == null || typeof model.apply !== 'function')
    throw new ValueError(`model must be a Model, got ${describe(model)}`, 'model');
  assertParamTree('params', params);
  if (!(x instanceof tf.Tensor)) throw new ShapeError(`x must be a tf.Tensor, got ${describe(x)}`, 'x');
  if (!(y instanceof tf.Tensor)) throw new ShapeError(`y must be a tf.Tensor, got ${describe(y)}`, 'y');
  const n = x.shape[0];
  if (y.shape[0] !== n)
    throw new ShapeError(`y must have ${n} examples (those of x), got ${y.shape[0]}`, 'y');
  const batchSize = options.batchSize ?? 1024;
  assertInteger('batchSize', batchSize, 1);
  const wantAcc = options.accuracy ?? true;
  let lossSum = 0;
  let hits = 0;
  for (let start = 0; start < n; start += batchSize) {
    const m = Math.min(batchSize, n - start);
    const xb = tf.slice(x, start, m);
    const yb = tf.slice(y, start, m);
    try {
      const out = model.apply(params, xb as never);
      try {
        if (options.loss) {
          const l = options.loss(out, yb);
          lossSum += l.dataSync()[0] * m;
          l.dispose();
        }
        if (wantAcc) hits += accuracy(out, yb) * m;
      } finally {
        out.dispose();
      }
    } finally {
      xb.dispose();
      yb.dispose();
    }
  }
  return {
    loss: options.loss && n > 0 ? lossSum / n : Number.NaN,
    accuracy: wantAcc && n > 0 ? hits / n : Number.NaN,
    examples: n,
  };
}

/**
 * The convenience step for the usual loop: model, loss, minibatch → new parameters, with SAM's
 * second pass (and m-sharpness sub-batches) handled inside.
 * @module
 */
import { ShapeError, ValueError, assertInteger, describe } from '@descent/tensor';
import {
  type LossFn,
  type Model,
  type ParamTree,
  type TrainSetup,
  type TrainState,
  type TreeObjective,
  applyUpdates,
  assertParamTree,
  axpyTree,
  disposeState,
  disposeTree,
  scaleTree,
  trainStep,
  valueAndGradTree,
} from '@descent/nn';
import { isSamTransformation } from './isSamTransformation';
import { type SamStats, type SamTransformation, isSamStepOf } from './sam';
import { tf } from './tf';

/** Sub-batch losses of a minibatch (for m-sharpness) and their weights. */
export interface SubBatchObjectives {
  /** Lᵢ(w) = loss(model(w, xᵢ), yᵢ), the mean over sub-batch i. */
  parts: TreeObjective[];
  /** Sub-batch sizes over the batch size (they sum to 1). */
  weights: number[];
  /** Disposes the sub-batch slices (call when done with `parts`). */
  dispose(): void;
}

/**
 * Splits the minibatch (x, y) into consecutive sub-batches of `m` examples (the last may be
 * smaller) and returns their losses: with a mean-reduced loss, Σ ωᵢ Lᵢ is the minibatch loss.
 * m ≥ batch size gives one part (plain SAM); m = 1 gives one part per example.
 */
export function subBatchObjectives(
  model: Model,
  loss: LossFn,
  x: tf.Tensor,
  y: tf.Tensor,
  m: number,
): SubBatchObjectives {
  if (!(x instanceof tf.Tensor)) throw new ShapeError(`x must be a tf.Tensor, got ${describe(x)}`, 'x');
  if (!(y instanceof tf.Tensor)) throw new ShapeError(`y must be a tf.Tensor, got ${describe(y)}`, 'y');
  const n = x.shape[0];
  if (y.shape[0] !== n)
    throw new ShapeError(`y must have ${n} examples (those of x), got ${y.shape[0]}`, 'y');
  assertInteger('m', m, 1);
  const slices: tf.Tensor[] = [];
  const parts: TreeObjective[] = [];
  const weights: number[] = [];
  for (let start = 0; start < n; start += m) {
    const size = Math.min(m, n - start);
    const xi = tf.slice(x, start, size);
    const yi = tf.slice(y, start, size);
    slices.push(xi, yi);
    parts.push((p) => loss(model.apply(p, xi), yi));
    weights.push(size / n);
  }
  return { parts, weights, dispose: () => tf.dispose(slices) };
}

/** Options of {@link samStep}. */
export interface SamStepOptions {
  /** m-sharpness: sub-batch size m of the per-sub-batch perturbations (default: the whole batch, plain SAM). */
  m?: number;
}

/** What {@link samStep} returns. */
export interface SamStepResult<S> {
  /** The new training state (the old one's tensors are disposed). */
  state: TrainState<S>;
  /** The minibatch loss at the weights before the step. */
  loss: number;
  /** SAM's statistics (null when the optimizer is not a SAM transformation). */
  stats: SamStats | null;
}

/**
 * One training step with `setup.optimizer` = a {@link SamTransformation} (any other optimizer
 * gets a plain step, as nn's `trainStep`). Disposes the old state and returns a new one; on an
 * error the old state is left intact and nothing leaks.
 *
 * ```ts
 * const setup = { model, loss: softmaxCrossEntropyLoss, optimizer: sam(sgd({ learningRate: 0.05, momentum: 0.9 })) };
 * let state = initTrainState(setup, 0);
 * ({ state } = samStep(setup, state, xBatch, yBatch));
 * ```
 */
export function samStep<S>(
  setup: TrainSetup<tf.Tensor, S>,
  state: TrainState<S>,
  x: tf.Tensor,
  y: tf.Tensor,
  options: SamStepOptions = {},
): SamStepResult<S> {
  if (setup == null || typeof setup !== 'object')
    throw new ValueError(`setup must be { model, loss, optimizer }, got ${describe(setup)}`, 'setup');
  const opt = setup.optimizer as unknown;
  if (!isSamTransformation(opt)) {
    const r = trainStep(setup, state, x, y);
    return { state: r.state, loss: r.loss, stats: null };
  }
  const samOpt = opt as SamTransformation<unknown>;
  const { model, loss } = setup;
  if (model == null || typeof model.apply !== 'function')
    throw new ValueError(`model must be a Model, got ${describe(model)}`, 'model');
  if (typeof loss !== 'function')
    throw new ValueError(`loss must be a loss function, got ${describe(loss)}`, 'loss');
  if (state == null || typeof state !== 'object')
    throw new ValueError(`state must be a TrainState, got ${describe(state)}`, 'state');
  assertParamTree('state.params', state.params);
  assertInteger('state.step', state.step, 0);
  if (!(x instanceof tf.Tensor)) throw new ShapeError(`x must be a tf.Tensor, got ${describe(x)}`, 'x');
  const n = x.shape[0];
  const m = options.m ?? n;
  assertInteger('m', m, 1);
  const w = state.params;
  const optState = state.optState as unknown as Parameters<typeof samOpt.update>[1];
  const samNow = isSamStepOf(samOpt, optState);
  const subBatched = samNow && m < n;
  let grads: ParamTree | null = null;
  const partGrads: ParamTree[] = [];
  let sub: SubBatchObjectives | null = null;
  let updates: ParamTree | null = null;
  let next: ReturnType<typeof samOpt.update> | null = null;
  try {
    let value: number;
    let objective: TreeObjective | TreeObjective[];
    if (subBatched) {
      sub = subBatchObjectives(model, loss, x, y, m);
      value = 0;
      for (let i = 0; i < sub.parts.length; i++) {
        const r = valueAndGradTree(sub.parts[i])(w);
        partGrads.push(r.grads);
        value += sub.weights[i] * r.value;
        const acc: ParamTree =
          grads === null ? scaleTree(sub.weights[i], r.grads) : axpyTree(sub.weights[i], r.grads, grads);
        disposeTree(grads);
        grads = acc;
      }
      objective = sub.parts;
    } else {
      objective = (p: ParamTree) => loss(model.apply(p, x), y);
      const r = valueAndGradTree(objective)(w);
      grads = r.grads;
      value = r.value;
    }
    next = samOpt.update(grads as ParamTree, optState, w, {
      objective,
      weights: sub?.weights,
      partGrads: subBatched ? partGrads : undefined,
      loss: value,
    });
    updates = next.updates;
    const params = applyUpdates(w, updates);
    disposeTree(state.params);
    disposeState(state.optState);
    return {
      state: { params, optState: next.state as unknown as S, step: state.step + 1 },
      loss: value,
      stats: next.stats,
    };
  } catch (e) {
    if (next) disposeState(next.state);
    throw e;
  } finally {
    disposeTree(grads);
    for (const g of partGrads) disposeTree(g);
    disposeTree(updates);
    sub?.dispose();
  }
}

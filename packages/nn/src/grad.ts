/**
 * Gradients of scalar functions of parameter trees.
 * @module
 */
import { ShapeError, ValueError, describe, option, resolveOptions } from '@descent/tensor';
import type { LossFn } from './losses';
import type { Model } from './layer';
import { tf, withTapeCleanup } from './tf';
import { type ParamTree, assertParamTree, disposeTree, treeLeaves } from './tree';

/** A scalar function of a parameter tree built from tfjs ops (e.g. a minibatch loss). */
export type TreeObjective = (params: ParamTree) => tf.Scalar | tf.Tensor;

/** Value and gradient of a {@link TreeObjective}. */
export interface TreeValueAndGrad {
  /** f(params). */
  value: number;
  /** ∇f(params), a tree like `params` (owned by the caller: `disposeTree(grads)`). */
  grads: ParamTree;
}

/** Options of {@link valueAndGradTree}. */
export interface TreeGradOptions {
  /** Return a non-finite value instead of throwing {@link ValueError} (default false). */
  allowNonFinite?: boolean;
}

/** Rebuilds a tree from its leaves in tree order. */
export function rebuildTree(like: ParamTree, leaves: tf.Tensor[]): ParamTree {
  const out: ParamTree = {};
  let i = 0;
  for (const g of Object.keys(like)) {
    out[g] = {};
    for (const k of Object.keys(like[g])) out[g][k] = leaves[i++];
  }
  return out;
}

/**
 * Wraps `f` into `params ↦ { value, grads }` (one forward and one backward pass; only the value is
 * read back). Throws {@link ShapeError} if `f` does not return a scalar and {@link ValueError} on
 * a non-finite value (unless `allowNonFinite`). Nothing leaks, also when `f` throws.
 *
 * ```ts
 * const vg = valueAndGradTree((p) => softmaxCrossEntropyLoss(model.apply(p, x), y));
 * const { value, grads } = vg(params); disposeTree(grads);
 * ```
 */
export function valueAndGradTree(
  f: TreeObjective,
  options: TreeGradOptions = {},
): (params: ParamTree) => TreeValueAndGrad {
  if (typeof f !== 'function') throw new ValueError(`f must be a function, got ${describe(f)}`, 'f');
  const { allowNonFinite } = resolveOptions(options, { allowNonFinite: option.boolean({ default: false }) });
  return (params) => {
    assertParamTree('params', params);
    const leaves = treeLeaves(params).map((l) => l.tensor);
    let value = Number.NaN;
    let bad: number[] | null = null;
    let gradLeaves: tf.Tensor[] = [];
    withTapeCleanup(() =>
      tf.tidy(() => {
        const r = tf.valueAndGrads((...xs: tf.Tensor[]) => {
          const y = f(rebuildTree(params, xs));
          if (!(y instanceof tf.Tensor))
            throw new ValueError(`f must return a tf.Tensor, got ${describe(y)}`, 'f');
          if (y.size !== 1) {
            bad = y.shape;
            return tf.sum(y) as tf.Scalar;
          }
          return (y.rank === 0 ? y : tf.reshape(y, [])) as tf.Scalar;
        })(leaves);
        value = r.value.dataSync()[0];
        if (bad === null) gradLeaves = r.grads.map((g) => tf.keep(g));
      }),
    );
    if (bad !== null) throw new ShapeError(`f must return a scalar tensor, got shape [${bad}]`, 'f');
    const grads = rebuildTree(params, gradLeaves);
    if (!allowNonFinite && !Number.isFinite(value)) {
      disposeTree(grads);
      throw new ValueError(`f(params) is not finite: got ${describe(value)}`, 'f');
    }
    return { value, grads };
  };
}

/**
 * The minibatch objective `params ↦ loss(model.apply(params, x), y)` (a {@link TreeObjective}).
 *
 * ```ts
 * const f = objective(model, softmaxCrossEntropyLoss, x, y);
 * ```
 */
export function objective<X = tf.Tensor>(model: Model<X>, loss: LossFn, x: X, y: tf.Tensor): TreeObjective {
  if (model == null || typeof model.apply !== 'function')
    throw new ValueError(`model must be a Model, got ${describe(model)}`, 'model');
  if (typeof loss !== 'function')
    throw new ValueError(`loss must be a loss function, got ${describe(loss)}`, 'loss');
  if (!(y instanceof tf.Tensor)) throw new ShapeError(`y must be a tf.Tensor, got ${describe(y)}`, 'y');
  return (params) => loss(model.apply(params, x), y);
}

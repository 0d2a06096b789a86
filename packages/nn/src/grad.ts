/**
 * Gradients of scalar functions of parameter trees.
 * @module
 */
import { ShapeError, ValueError, describe, option, resolveOptions } from '@descent/tensor';
import type { LossFn } from './losses';
import type { Model } from './layer';
import { tf, withTapeCleanup } from './tf';
import { type ParamTree, type TreeShapes, assertParamTree, assertTreeOrShapes, disposeTree, treeLeaves } from './tree';

/**
 * A scalar function of a parameter tree built from tfjs ops (e.g. a minibatch loss). It may carry
 * its forward mode, `directional(params, v)` = Df(params)·v = ⟨∇f(params), v⟩ as a scalar tensor,
 * built from ops with exact first derivatives: then `hvpTree` computes ∇²f·v as
 * ∇⟨∇f, v⟩ with one reverse pass over the forward-mode pass (its `'rop'` mode). {@link objective}
 * attaches it when the model has a `jvp`.
 */
export type TreeObjective = ((params: ParamTree) => tf.Scalar | tf.Tensor) & {
  directional?: (params: ParamTree, v: ParamTree) => tf.Scalar;
};

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

/**
 * Rebuilds a parameter tree from its leaves in tree order (groups, then names, in key order):
 * `like` is a tree or its `TreeShapes` (only its layout is read); the leaves are used as they are
 * (not copied). Throws {@link ShapeError} naming `like` or `leaves` when they do not fit.
 */
export function rebuildTree(like: ParamTree | TreeShapes, leaves: tf.Tensor[]): ParamTree {
  assertTreeOrShapes('like', like);
  let count = 0;
  for (const g of Object.keys(like)) count += Object.keys(like[g]).length;
  if (!Array.isArray(leaves) || leaves.length !== count || !leaves.every((l) => l instanceof tf.Tensor)) {
    throw new ShapeError(`leaves must be ${count} tensors (one per leaf of like), got ${describe(leaves)}`, 'leaves');
  }
  return rebuildUnchecked(like, leaves);
}

function rebuildUnchecked(like: ParamTree | TreeShapes, leaves: tf.Tensor[]): ParamTree {
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
          const y = f(rebuildUnchecked(params, xs));
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
    const grads = rebuildUnchecked(params, gradLeaves);
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
  const f: TreeObjective = (params) => loss(model.apply(params, x), y);
  const directional = directionalLoss(model, loss, x, y);
  if (directional) f.directional = directional;
  return f;
}

/**
 * The forward mode of `params ↦ loss(model.apply(params, x), y)` when the model has one:
 * `(params, v) ↦ ⟨∇_z loss(z, y), ż⟩` where (z, ż) = model.jvp(params, v, x). ∇_z loss comes from
 * tfjs's gradient of the loss (every loss of this package has exact second derivatives), so the
 * construction holds for any of them without per-loss code. `undefined` without `model.jvp`.
 */
export function directionalLoss<X = tf.Tensor>(
  model: Model<X>,
  loss: LossFn,
  x: X,
  y: tf.Tensor,
): ((params: ParamTree, v: ParamTree) => tf.Scalar) | undefined {
  const jvp = model.jvp;
  if (typeof jvp !== 'function') return undefined;
  return (params, v) => {
    const { y: z, dy: dz } = jvp.call(model, params, v, x);
    if (dz === null) return tf.mul(tf.sum(z), 0) as tf.Scalar; // output independent of the parameters
    const gz = tf.grad((t: tf.Tensor) => loss(t, y))(z);
    return tf.sum(tf.mul(gz, dz)) as tf.Scalar;
  };
}

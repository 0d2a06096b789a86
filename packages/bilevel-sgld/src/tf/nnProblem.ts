/**
 * The tensor path: a {@link BilevelProblem} whose inner parameters θ are an `@descent/nn`
 * parameter tree and whose losses are tfjs functions of (tree, λ). Every oracle is computed by
 * autodiff on the tree (float32 tensors, results read back to float64):
 *
 * - ∇_θ L_T, ∇_θ L_V: nn's `valueAndGradTree`;
 * - H v = ∇²_θθ L_T v: nn's `hvpTree` (double backprop, or its finite-difference mode);
 * - Bᵀv = ∇_λ⟨∇_θ L_T, v⟩ and B u = ∇_θ⟨∇_λ L_T, u⟩: nested tfjs gradients (tape-cleaned by
 *   `@descent/tensor/tf`'s `withTapeCleanup`);
 * - ∇_λ L_T, ∇_λ L_V: one tfjs gradient in λ.
 *
 * The chain state (θ as a flat vector in tree order, nn's `flattenTree`) stays float64, as the
 * float64 estimators accumulate in it; so every estimator of this package (SGLD covariance C,
 * reconstructions A/B, pathwise, RMD/truncated RMD, FMD, IFT-CG/Neumann, T1–T2, DARTS) runs on an
 * nn model through the same `estimate(problem, λ, context)` call. Losses must be built from
 * second-order-safe ops (nn's layers and losses, `@descent/tensor/tf`'s safe ops; tfjs#3252).
 * @module
 */
import { ShapeError, ValueError, describe, option, readVector, resolveOptions } from '@descent/tensor';
import { safeExp, tf, withTapeCleanup } from '@descent/tensor/tf';
import {
  type ParamTree,
  type TreeShapes,
  assertTreeOrShapes,
  disposeTree,
  flattenTree,
  hvpTree,
  rebuildTree,
  shapesSize,
  treeShapes,
  unflattenTree,
  valueAndGradTree,
} from '@descent/nn';
import type { BilevelProblem } from '../problem';

/** A scalar loss of the inner parameters (an nn tree) and the hyperparameters λ (a 1-D tensor of length p). */
export type TreeBilevelLoss = (params: ParamTree, lambda: tf.Tensor1D) => tf.Scalar | tf.Tensor;

/** Options of {@link nnBilevelProblem}. */
export interface NnBilevelOptions {
  /** The structure of θ: a parameter tree (e.g. `model.init(seed)`, not kept) or its shapes. */
  params: ParamTree | TreeShapes;
  /** p = dim λ. */
  hyperDim: number;
  /** L_T(θ, λ): the training loss with its regulariser (second-order-safe ops). */
  innerLoss: TreeBilevelLoss;
  /** L_V(θ, λ): the validation loss. */
  outerLoss: TreeBilevelLoss;
  /** Whether L_V depends on λ (default false: ∇_λ L_V = 0, skipped). */
  outerUsesLambda?: boolean;
  /** How H v is computed: nn's `'autodiff'` (default, exact) or `'fd'` (smooth losses only). */
  hvp?: 'autodiff' | 'fd';
  /**
   * Give the problem the batched oracle `innerGradients` (K chains' gradients from one tape over
   * the K trees, one read-back), so SGLD chains step in one tensor pass. Opt-in, default false:
   * NOT a measured win — on small MLPs under tfjs-wasm it measured 0.75× to 1.07× the per-chain
   * speed at K× the tensor peak (README, "Batched chains"). Estimates are identical either way.
   */
  batchChains?: boolean;
}

/** An nn-backed bilevel problem: the float64 oracle contract plus tree conversions. */
export interface NnBilevelProblem extends BilevelProblem {
  /** The shapes of θ's tree (tree order = the order of the flat vector). */
  readonly shapes: TreeShapes;
  /** θ as a tree of float32 tensors (owned by the caller: `disposeTree`). */
  toTree(theta: ArrayLike<number>): ParamTree;
  /** A tree as the flat float64 θ (tree order). */
  fromTree(tree: ParamTree): Float64Array;
  /** L_T(θ, λ). */
  innerValue(theta: ArrayLike<number>, lambda: ArrayLike<number>): number;
}

function scalarOf(y: unknown, name: string): tf.Scalar {
  if (!(y instanceof tf.Tensor)) throw new ValueError(`${name} must return a tf.Tensor, got ${describe(y)}`, name);
  if (y.size !== 1) throw new ShapeError(`${name} must return a scalar tensor, got shape [${y.shape}]`, name);
  return (y.rank === 0 ? y : tf.reshape(y, [])) as tf.Scalar;
}

/** Reads a tensor's values into a float64 vector, checking finiteness (a bad one names `name`). */
function readBack(t: tf.Tensor, name: string): Float64Array {
  const v = t.dataSync();
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) throw new ValueError(`${name} is not finite (got ${v[i]} at index ${i})`, name);
    out[i] = v[i];
  }
  return out;
}

/** Concatenation of tensors (flattened) into one float64 vector. */
function readLeaves(ts: tf.Tensor[], n: number, name: string): Float64Array {
  const out = new Float64Array(n);
  let off = 0;
  for (const t of ts) {
    out.set(readBack(t, name), off);
    off += t.size;
  }
  return out;
}

/**
 * The bilevel problem of an nn model (see the module comment). λ enters the losses as a float32
 * 1-D tensor; positivity (e.g. weight decays exp(λ)) is the losses' business.
 *
 * ```ts
 * const model = mlp({ sizes: [1, 32, 1], activation: 'tanh' });
 * const problem = nnBilevelProblem({
 *   params: model.init(0), hyperDim: 2,
 *   innerLoss: (p, l) => tf.add(meanSquaredError(model.apply(p, xs), ys), weightDecay(p, l)),
 *   outerLoss: (p) => meanSquaredError(model.apply(p, xq), yq),
 * });
 * sgldFirstOrder({ learningRate: 0.01, temperature: 1e-4 }).estimate(problem, [-3, -3]);
 * ```
 */
export function nnBilevelProblem(options: NnBilevelOptions): NnBilevelProblem {
  if (options === null || typeof options !== 'object') {
    throw new ValueError(`options must be an object { params, hyperDim, innerLoss, outerLoss }, got ${describe(options)}`, 'options');
  }
  const o = resolveOptions(options, {
    params: option.custom((v, name) => {
      assertTreeOrShapes(name, v);
      return v;
    }, { required: true }),
    hyperDim: option.integer({ min: 1, required: true }),
    innerLoss: option.func<TreeBilevelLoss>({ required: true }),
    outerLoss: option.func<TreeBilevelLoss>({ required: true }),
    outerUsesLambda: option.boolean({ default: false }),
    hvp: option.oneOf(['autodiff', 'fd'] as const, { default: 'autodiff' }),
    batchChains: option.boolean({ default: false }),
  }, { name: 'options' });
  const like = o.params;
  const shapes: TreeShapes = isTree(like) ? treeShapes(like) : structuredClone(like as TreeShapes);
  const d = shapesSize(shapes);
  const p = o.hyperDim;
  // every θ leaf and λ connected to the loss (+ 0·Σ): a loss that ignores some of them has zero
  // derivatives there instead of tfjs' "Cannot compute gradient" error
  const connected = (loss: TreeBilevelLoss): TreeBilevelLoss => (q, l) => {
    const y = loss(q, l);
    if (!(y instanceof tf.Tensor)) return y;
    const all = [tf.sum(l), ...Object.values(q).flatMap((g) => Object.values(g).map((t) => tf.sum(t)))];
    return tf.add(y, tf.mul(0, tf.addN(all)));
  };
  const inner = connected(o.innerLoss as TreeBilevelLoss);
  const outer = connected(o.outerLoss as TreeBilevelLoss);
  const th = (theta: ArrayLike<number>) => readVector(theta, 'theta', { length: d });
  const lam = (lambda: ArrayLike<number>) => readVector(lambda, 'lambda', { length: p });

  const leavesOf = (tree: ParamTree) => Object.values(tree).flatMap((g) => Object.values(g));
  /** Runs `fn(tree, λ)` with fresh tensors for θ and λ, disposing them (and the tape on throw). */
  const withInputs = <R>(theta: ArrayLike<number>, lambda: ArrayLike<number>, fn: (tree: ParamTree, l: tf.Tensor1D) => R): R => {
    const t = th(theta);
    const l = lam(lambda);
    const tree = unflattenTree(t, shapes);
    const lt = tf.tensor1d(Float32Array.from(l));
    try {
      return withTapeCleanup(() => fn(tree, lt));
    } finally {
      disposeTree(tree);
      lt.dispose();
    }
  };
  const gradTheta = (loss: TreeBilevelLoss, name: string) => (theta: ArrayLike<number>, lambda: ArrayLike<number>) =>
    withInputs(theta, lambda, (tree, l) => {
      const { grads } = valueAndGradTree((q) => scalarOf(loss(q, l), name))(tree);
      try {
        return readLeaves(leavesOf(grads), d, name);
      } finally {
        disposeTree(grads);
      }
    });
  const gradLambda = (loss: TreeBilevelLoss, name: string) => (theta: ArrayLike<number>, lambda: ArrayLike<number>) =>
    withInputs(theta, lambda, (tree, l) => {
      const g = tf.tidy(() => tf.grad((x: tf.Tensor) => scalarOf(loss(tree, x as tf.Tensor1D), name))(l));
      try {
        return readBack(g, name);
      } finally {
        g.dispose();
      }
    });
  const value = (loss: TreeBilevelLoss, name: string) => (theta: ArrayLike<number>, lambda: ArrayLike<number>) =>
    withInputs(theta, lambda, (tree, l) => {
      const v = tf.tidy(() => scalarOf(loss(tree, l), name).dataSync()[0]);
      if (!Number.isFinite(v)) throw new ValueError(`${name} is not finite: got ${v}`, name);
      return v;
    });
  const problem: NnBilevelProblem = {
    dim: d,
    hyperDim: p,
    shapes,
    toTree: (theta) => unflattenTree(th(theta), shapes),
    fromTree: (tree) => {
      const out = flattenTree(tree);
      if (out.length !== d) throw new ShapeError(`tree must have ${d} parameters, got ${out.length}`, 'tree');
      return out;
    },
    innerValue: value(inner, 'innerLoss'),
    innerGradient: gradTheta(inner, 'innerLoss'),
    innerGradients: !o.batchChains ? undefined : (thetas, lambda) => {
      // K chains in one tape: ∇ of Σ_k L_T(θ_k, λ) w.r.t. every θ_k's leaves is ∇L_T(θ_k, λ);
      // one upload per chain, one read-back for all
      if (!Array.isArray(thetas)) throw new ValueError(`thetas must be an array of vectors, got ${describe(thetas)}`, 'thetas');
      const ts = thetas.map((t, k) => readVector(t, `thetas[${k}]`, { length: d }));
      const l = lam(lambda);
      if (ts.length === 0) return [];
      const trees: ParamTree[] = [];
      const lt = tf.tensor1d(Float32Array.from(l));
      try {
        for (const t of ts) trees.push(unflattenTree(t, shapes));
        const m = leavesOf(trees[0]).length;
        const flat = withTapeCleanup(() =>
          tf.tidy(() => {
            const gs = tf.grads((...ls: tf.Tensor[]) =>
              tf.addN(trees.map((_, k) => scalarOf(inner(rebuildTree(shapes, ls.slice(k * m, (k + 1) * m)), lt), 'innerLoss'))) as tf.Scalar,
            )(trees.flatMap(leavesOf));
            return tf.concat(gs.map((g) => tf.reshape(g, [-1])));
          }),
        );
        try {
          const v = readBack(flat, 'innerLoss');
          return ts.map((_, k) => v.slice(k * d, (k + 1) * d));
        } finally {
          flat.dispose();
        }
      } finally {
        for (const tree of trees) disposeTree(tree);
        lt.dispose();
      }
    },
    innerHyperGradient: gradLambda(inner, 'innerLoss'),
    outerValue: value(outer, 'outerLoss'),
    outerGradient: gradTheta(outer, 'outerLoss'),
    outerHyperGradient: o.outerUsesLambda ? gradLambda(outer, 'outerLoss') : undefined,
    innerHvp(theta, lambda, v) {
      const vt = unflattenTree(readVector(v, 'v', { length: d }), shapes);
      try {
        return withInputs(theta, lambda, (tree, l) => {
          const hv = hvpTree((q) => scalarOf(inner(q, l), 'innerLoss'), tree, vt, { mode: o.hvp });
          try {
            return flattenTree(hv);
          } finally {
            disposeTree(hv);
          }
        });
      } finally {
        disposeTree(vt);
      }
    },
    innerMixedVjp(theta, lambda, v) {
      const vv = readVector(v, 'v', { length: d });
      return withInputs(theta, lambda, (tree, l) => {
        const g = tf.tidy(() => {
          const vLeaves = leavesOf(unflattenTree(vv, shapes));
          const leaves = leavesOf(tree);
          // ∇_λ ⟨∇_θ L_T(θ, λ), v⟩ (nested reverse mode)
          return tf.grad((x: tf.Tensor) => {
            const gs = tf.grads((...ls: tf.Tensor[]) => scalarOf(inner(rebuildTree(shapes, ls), x as tf.Tensor1D), 'innerLoss'))(leaves);
            return tf.addN([tf.mul(0, tf.sum(x)), ...gs.map((gi, i) => tf.sum(tf.mul(gi, vLeaves[i])))]) as tf.Scalar;
          })(l);
        });
        try {
          return readBack(g, 'innerLoss');
        } finally {
          g.dispose();
        }
      });
    },
    innerMixedJvp(theta, lambda, u) {
      const uu = readVector(u, 'u', { length: p });
      return withInputs(theta, lambda, (tree, l) => {
        const gs = tf.tidy(() => {
          const ut = tf.tensor1d(Float32Array.from(uu));
          // ∇_θ ⟨∇_λ L_T(θ, λ), u⟩
          return tf.grads((...ls: tf.Tensor[]) => {
            const gl = tf.grad((x: tf.Tensor) => scalarOf(inner(rebuildTree(shapes, ls), x as tf.Tensor1D), 'innerLoss'))(l);
            return tf.addN([tf.sum(tf.mul(gl, ut)), ...ls.map((t) => tf.mul(0, tf.sum(t)))]) as tf.Scalar;
          })(leavesOf(tree));
        });
        try {
          return readLeaves(gs, d, 'innerLoss');
        } finally {
          tf.dispose(gs);
        }
      });
    },
  };
  return problem;
}

function isTree(x: unknown): x is ParamTree {
  for (const g of Object.values(x as Record<string, Record<string, unknown>>)) {
    for (const t of Object.values(g)) return t instanceof tf.Tensor;
  }
  return false;
}

/** How weight decays are attached to a tree by {@link treeWeightDecay}. */
export type DecayLayout = 'tensor' | 'weight';

/**
 * Number of hyperparameters of {@link treeWeightDecay}: one per tensor of the tree
 * (`'tensor'`, per layer's W and b) or one per weight (`'weight'`, p = d).
 */
export function weightDecayDim(params: ParamTree | TreeShapes, layout: DecayLayout): number {
  assertTreeOrShapes('params', params);
  if (layout !== 'tensor' && layout !== 'weight') {
    throw new ValueError(`layout must be 'tensor' or 'weight', got ${describe(layout)}`, 'layout');
  }
  const shapes = isTree(params) ? treeShapes(params) : (params as TreeShapes);
  if (layout === 'weight') return shapesSize(shapes);
  return Object.values(shapes).reduce((a, g) => a + Object.keys(g).length, 0);
}

/**
 * The weight-decay penalty ½ Σ exp(λ_j) ‖θ_j‖² with λ = log decays (positive by construction, so
 * the outer loop works in log space): one λ per tensor (`'tensor'`) or per weight (`'weight'`, λ
 * in tree order). A tfjs scalar, differentiable to any order in θ and λ (safe exp).
 */
export function treeWeightDecay(params: ParamTree, lambda: tf.Tensor1D, layout: DecayLayout = 'tensor'): tf.Scalar {
  const p = weightDecayDim(params, layout);
  if (!(lambda instanceof tf.Tensor) || lambda.rank !== 1 || lambda.size !== p) {
    throw new ShapeError(`lambda must be a 1-D tensor of length ${p}, got ${describe(lambda)}`, 'lambda');
  }
  return tf.tidy(() => {
    const decay = safeExp(lambda);
    const leaves = Object.values(params).flatMap((g) => Object.values(g));
    const terms: tf.Tensor[] = [];
    let off = 0;
    leaves.forEach((t, j) => {
      if (layout === 'tensor') {
        terms.push(tf.mul(tf.slice(decay, [j], [1]), tf.sum(tf.square(t))));
      } else {
        terms.push(tf.sum(tf.mul(tf.slice(decay, [off], [t.size]), tf.square(tf.reshape(t, [-1])))));
        off += t.size;
      }
    });
    return tf.mul(0.5, tf.sum(tf.stack(terms.map((x) => tf.reshape(x, []))))) as tf.Scalar;
  });
}

/**
 * Hessian-vector products over parameter trees.
 *
 * `'rop'` is Pearlmutter's R-operator (1994) on the forward pass followed by one reverse pass:
 * each layer's forward mode (`Layer.jvp`) carries the directional derivative
 * ż = Dz·v alongside z, the loss turns it into Df(w)·v = ⟨∇_z loss, ż⟩, and tfjs's reverse mode
 * differentiates that scalar: ∇_w(Df(w)·v) = ∇²f(w)·v. Exact (the same quantity as double
 * backprop), but the reverse pass only runs over the forward-mode pass: an MLP's HVP needs three
 * products with its input-facing weight matrix instead of four. It needs `f.directional`, which
 * `objective` and `datasetObjective` attach for models that have a forward mode: `sequential`
 * models whose every layer has a jvp (dense, conv2d, activations, pooling, flatten, layer norm,
 * embedding, self-attention), hence the MLP and CNN builders, and the transformer. `'autodiff'` is double backprop ∇⟨∇f(w), v⟩: exact, also on ReLU networks,
 * provided `f` is built from second-order-safe ops (every layer and loss of this package is;
 * stock tfjs exp/tanh/softmax/logSoftmax are not, tfjs#3252). `'auto'` (default) is `'rop'` when
 * every part of `f` has a forward mode, else `'autodiff'`. `'fd'` is the central difference of
 * gradients [∇f(w + εv) − ∇f(w − εv)]/(2ε) with ‖εv‖ = `fdStep`: first-order only, so it works
 * for any f, but it is wrong on ReLU networks at any float32 step (kinks are crossed) — use it
 * for smooth models only.
 * @module
 */
import { NotSupportedError, ShapeError, ValueError, assertPositive, describe } from '@descent/tensor';
import { type TreeObjective, rebuildTree } from '../grad';
import { tf, withTapeCleanup } from '../tf';
import {
  type ParamTree,
  addTrees,
  assertParamTree,
  assertSameStructure,
  disposeTree,
  mapTree,
  treeLeaves,
  treeNorm,
} from '../tree';
import { type CurvatureObjective, objectiveParts } from './objective';

/** How {@link hvpTree} computes a product (see the module notes). */
export type HvpMode = 'auto' | 'rop' | 'autodiff' | 'fd';

const MODES: readonly HvpMode[] = ['auto', 'rop', 'autodiff', 'fd'];

/** Options of {@link hvpTree}. */
export interface HvpTreeOptions {
  /**
   * `'auto'` (default: `'rop'` when `f` has a forward mode, else `'autodiff'`), `'rop'` (forward
   * mode then one reverse pass, exact), `'autodiff'` (double backprop, exact) or `'fd'` (central
   * difference of gradients, smooth f only).
   */
  mode?: HvpMode;
  /** For `'fd'`: the length ‖εv‖ of the probe step (default 1e-2, the float32 sweet spot). */
  fdStep?: number;
}

function scalarOf(y: unknown): tf.Scalar {
  if (!(y instanceof tf.Tensor)) throw new ValueError(`f must return a tf.Tensor, got ${describe(y)}`, 'f');
  if (y.size !== 1) throw new ShapeError(`f must return a scalar tensor, got shape [${y.shape}]`, 'f');
  return (y.rank === 0 ? y : tf.reshape(y, [])) as tf.Scalar;
}

/** ∇f at `params` as a tree (no checks; used inside tidy scopes). */
function gradLeaves(f: TreeObjective, params: ParamTree, leaves: tf.Tensor[]): tf.Tensor[] {
  return tf.grads((...xs: tf.Tensor[]) => scalarOf(f(rebuildTree(params, xs))))(leaves);
}

/**
 * The Hessian-vector product ∇²f(params)·v as a tree like `params` (owned by the caller). `f` may
 * be a list of parts (their HVPs are summed one part at a time).
 *
 * ```ts
 * const f = objective(model, softmaxCrossEntropyLoss, x, y);
 * const hv = hvpTree(f, params, v); // exact, ≈ 2–3 gradients of cost
 * ```
 */
export function hvpTree(
  f: CurvatureObjective,
  params: ParamTree,
  v: ParamTree,
  options: HvpTreeOptions = {},
): ParamTree {
  const parts = objectiveParts(f);
  assertParamTree('params', params);
  assertSameStructure('v', v, params);
  const mode = resolveMode(parts, options.mode);
  const opts = { ...options, mode };
  if (parts.length === 1) return hvpPart(parts[0], params, v, opts);
  let acc: ParamTree | null = null;
  try {
    for (const part of parts) {
      const h = hvpPart(part, params, v, opts);
      if (acc === null) acc = h;
      else {
        const next = addTrees(acc, h);
        disposeTree(acc);
        disposeTree(h);
        acc = next;
      }
    }
  } catch (e) {
    disposeTree(acc);
    throw e;
  }
  return acc as ParamTree;
}

/** The mode used for `parts` ('auto' resolved); throws on an unknown mode or 'rop' without forward mode. */
function resolveMode(parts: readonly TreeObjective[], mode: unknown = 'auto'): Exclude<HvpMode, 'auto'> {
  if (!MODES.includes(mode as HvpMode))
    throw new ValueError(`mode must be one of ${MODES.map((m) => `'${m}'`).join(', ')}, got ${describe(mode)}`, 'mode');
  const forward = parts.every((p) => typeof p.directional === 'function');
  if (mode === 'auto') return forward ? 'rop' : 'autodiff';
  if (mode === 'rop' && !forward) {
    throw new NotSupportedError(
      "mode 'rop' needs f.directional (the forward mode that objective() and datasetObjective() attach when every layer of the model has a jvp): use mode 'autodiff' for this f",
      'mode',
    );
  }
  return mode as Exclude<HvpMode, 'auto'>;
}

/** The HVP of one part (arguments already checked, mode resolved). */
function hvpPart(f: TreeObjective, params: ParamTree, v: ParamTree, options: HvpTreeOptions): ParamTree {
  const mode = options.mode;
  const leaves = treeLeaves(params).map((l) => l.tensor);
  const vLeaves = treeLeaves(v).map((l) => l.tensor);
  if (mode === 'fd') {
    const fdStep = options.fdStep ?? 1e-2;
    assertPositive('fdStep', fdStep);
    const vn = treeNorm(v);
    if (vn === 0) return mapTree((t) => tf.zerosLike(t), params);
    const eps = fdStep / vn;
    let out: tf.Tensor[] = [];
    withTapeCleanup(() =>
      tf.tidy(() => {
        const plus = leaves.map((p, i) => tf.add(p, tf.mul(vLeaves[i], eps)));
        const minus = leaves.map((p, i) => tf.sub(p, tf.mul(vLeaves[i], eps)));
        const gp = gradLeaves(f, params, plus);
        const gm = gradLeaves(f, params, minus);
        out = gp.map((g, i) => tf.keep(tf.div(tf.sub(g, gm[i]), 2 * eps)));
      }),
    );
    return rebuildTree(params, out);
  }
  let out: tf.Tensor[] = [];
  const directional = f.directional;
  try {
    withTapeCleanup(() =>
      tf.tidy(() => {
        const h = tf.grads((...xs: tf.Tensor[]) => {
          // 'rop': Df(w)·v by forward mode; 'autodiff': ⟨∇f(w), v⟩ by a first reverse pass
          if (mode === 'rop' && directional) return scalarOf(directional(rebuildTree(params, xs), v));
          const g = gradLeaves(f, params, xs);
          return tf.addN(g.map((gi, i) => tf.sum(tf.mul(gi, vLeaves[i])))) as tf.Scalar;
        })(leaves);
        out = h.map((t) => tf.keep(t));
      }),
    );
  } catch (e) {
    if (/Cannot compute gradient|gradient function not found/.test(String(e))) {
      throw new NotSupportedError(
        `the second derivative of f is not available in tfjs (${(e as Error).message.slice(0, 100)}…): build f from this package's layers and losses or the shared safe ops (tfjs#3252), or use { mode: 'fd' } for a smooth f`,
        'f',
      );
    }
    throw e;
  }
  return rebuildTree(params, out);
}

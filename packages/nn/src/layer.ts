/**
 * The functional model protocol (flax/equinox style): a model is a pair of pure functions
 * `init(seed) → params` and `apply(params, x) → output` over an explicit {@link ParamTree}.
 * Nothing is hidden in layer objects: parameters are plain named tensors that optimizers,
 * curvature tools and layer-wise methods read and replace.
 * @module
 */
import { type KeyPart, Rng, ShapeError, ValueError, checkName, describe, readInteger } from '@descent/tensor';
import { tf } from './tf';
import { type ParamTree, type TensorGroup, assertParamTree, assertTreeKey, disposeTree } from './tree';

/** A seed for {@link Model.init}: a number or string, or an {@link Rng} stream. */
export type SeedLike = Rng | KeyPart;

/** The {@link Rng} for a seed (an `Rng` is used as is). */
export function toRng(seed: SeedLike, name = 'seed'): Rng {
  checkName(name);
  if (seed instanceof Rng) return seed;
  if (typeof seed === 'string' || (typeof seed === 'number' && Number.isFinite(seed))) return new Rng(seed);
  throw new ValueError(`${name} must be a number, a string or an Rng, got ${describe(seed)}`, name);
}

/**
 * A functional model: `init(seed)` draws fresh parameters, `apply(params, x)` computes the output
 * (logits for classifiers). `apply` creates tensors: call it inside `tf.tidy` or dispose its
 * result. The same seed gives bit-identical parameters on every backend.
 */
export interface Model<X = tf.Tensor> {
  /** A one-line description, e.g. `mlp(784-128-10, relu)`. */
  readonly name: string;
  /** Fresh parameters; group `g` is drawn from `rng.fold(g)`, so groups do not depend on each other. */
  init(seed: SeedLike): ParamTree;
  /** The forward pass. Throws {@link ShapeError} naming `x` or `params` on a mismatch. */
  apply(params: ParamTree, x: X): tf.Tensor;
  /**
   * Forward mode (present when every layer has a {@link Layer.jvp}): the output and its
   * directional derivative along the parameter direction `tangent` (a tree like `params`), the
   * input being data (zero tangent). Used by `hvpTree`'s `'rop'` mode.
   */
  jvp?(params: ParamTree, tangent: ParamTree, x: X): Dual;
}

/**
 * A value and its directional derivative (forward mode): `y` and ẏ = Dy·(direction); `dy: null`
 * stands for a zero tangent (e.g. the data entering the first layer).
 */
export interface Dual {
  /** The primal value. */
  y: tf.Tensor;
  /** Its tangent (same shape), or `null` for zero. */
  dy: tf.Tensor | null;
}

/** A layer: a pure function of its parameter group and its input. */
export interface Layer {
  /** The kind, used to name its group in {@link sequential} (`dense` → `dense0`, `dense1`, ...). */
  readonly kind: string;
  /** A one-line description, e.g. `dense(784→128)`. */
  readonly name: string;
  /** Whether the layer has parameters (and so a group in the tree). */
  readonly hasParams: boolean;
  /** Fresh parameters drawn from `rng` (an empty group for parameter-free layers). */
  init(rng: Rng): TensorGroup;
  /** The layer's output for input `x`. */
  apply(params: TensorGroup, x: tf.Tensor): tf.Tensor;
  /**
   * Forward mode (optional): the output y and its directional derivative
   * ẏ = ∂y/∂x·ẋ + ∂y/∂θ·θ̇ along the tangent group θ̇ (`tangent`, same names as `params`) and the
   * input tangent ẋ (`dx`, `null` for zero). Pearlmutter's R-operator for one layer; built from
   * ops whose first derivatives are exact, so a reverse pass over it gives exact Hessian-vector
   * products (`hvpTree`'s `'rop'` mode). Layers check `params`, `tangent` and `x` as in `apply`.
   */
  jvp?(params: TensorGroup, tangent: TensorGroup, x: tf.Tensor, dx: tf.Tensor | null): Dual;
}

/** Throws {@link ShapeError} unless `x` is a live tensor whose trailing dimensions match `tail`. */
export function assertInput(
  name: string,
  x: unknown,
  minRank: number,
  tail: Array<number | null> = [],
): asserts x is tf.Tensor {
  checkName(name);
  readInteger(minRank, 'minRank', { min: 0 });
  if (!Array.isArray(tail) || tail.some((t) => t !== null && !(Number.isInteger(t) && (t as number) >= 0))) {
    throw new ValueError(`tail must be an array of sizes (or null for any), got ${describe(tail)}`, 'tail');
  }
  if (!(x instanceof tf.Tensor))
    throw new ShapeError(`${name} must be a tf.Tensor, got ${describe(x)}`, name);
  if (x.isDisposed) throw new ValueError(`${name} is a disposed tensor`, name);
  if (x.rank < minRank)
    throw new ShapeError(`${name} must have rank >= ${minRank}, got shape [${x.shape}]`, name);
  for (let i = 0; i < tail.length; i++) {
    const want = tail[tail.length - 1 - i];
    const got = x.shape[x.rank - 1 - i];
    if (want !== null && want !== got) {
      const expected = tail.map((t) => (t === null ? '*' : String(t))).join(', ');
      throw new ShapeError(`${name} must have trailing shape [${expected}], got shape [${x.shape}]`, name);
    }
  }
}

/** Throws {@link ShapeError} unless `group` holds the listed tensors; returns them in order. */
export function groupTensors(layer: string, group: TensorGroup, names: string[]): tf.Tensor[] {
  checkName(layer);
  if (!Array.isArray(names) || names.length === 0 || names.some((k) => typeof k !== 'string')) {
    throw new ValueError(`names must be a non-empty array of tensor names, got ${describe(names)}`, 'names');
  }
  if (group == null || typeof group !== 'object' || Array.isArray(group) || group instanceof tf.Tensor) {
    throw new ShapeError(
      `params for ${layer} must be a group { ${names.join(', ')} }, got ${describe(group)}`,
      'params',
    );
  }
  return names.map((k) => {
    const t = group[k];
    if (!(t instanceof tf.Tensor))
      throw new ShapeError(`params for ${layer} must contain tensor ${k}, got ${describe(t)}`, 'params');
    if (t.isDisposed) throw new ValueError(`params for ${layer}: ${k} is a disposed tensor`, 'params');
    return t;
  });
}

/** Options of {@link sequential}. */
export interface SequentialOptions {
  /** Description used as the model's `name` (default: the layer names joined by ` → `). */
  name?: string;
}

/**
 * Chains layers into a {@link Model}. Each layer with parameters gets a group named after its
 * kind and its rank among layers of that kind (`conv0`, `conv1`, `dense0`, ...), or the name
 * given in the `[name, layer]` form.
 *
 * ```ts
 * const model = sequential([dense({ inputs: 4, units: 8 }), activation('relu'), dense({ inputs: 8, units: 3 })]);
 * const params = model.init(0); // { dense0: { W, b }, dense1: { W, b } }
 * ```
 */
export function sequential(layers: Array<Layer | [string, Layer]>, options: SequentialOptions = {}): Model {
  if (!Array.isArray(layers) || layers.length === 0) {
    throw new ValueError(`layers must be a non-empty array of layers, got ${describe(layers)}`, 'layers');
  }
  const counts: Record<string, number> = {};
  const entries = layers.map((entry, i) => {
    const [given, layer] = Array.isArray(entry) ? entry : [undefined, entry];
    if (!layer || typeof layer.init !== 'function' || typeof layer.apply !== 'function') {
      throw new ValueError(`layers[${i}] must be a Layer, got ${describe(layer)}`, `layers[${i}]`);
    }
    let group: string | null = null;
    if (layer.hasParams) {
      group = given ?? `${layer.kind}${counts[layer.kind] ?? 0}`;
      counts[layer.kind] = (counts[layer.kind] ?? 0) + 1;
      assertTreeKey(`layers[${i}] group name`, group);
    }
    return { group, layer };
  });
  const groups = entries.filter((e) => e.group !== null).map((e) => e.group as string);
  if (new Set(groups).size !== groups.length)
    throw new ValueError(`group names must be distinct, got ${groups.join(', ')}`, 'layers');
  const name = options.name ?? entries.map((e) => e.layer.name).join(' → ');
  const forwardMode = entries.every((e) => typeof e.layer.jvp === 'function');
  const groupOf = (tree: ParamTree, group: string, layer: Layer, what: string) => {
    if (!(group in tree))
      throw new ShapeError(`${what} is missing group ${JSON.stringify(group)} (${layer.name})`, what);
    return tree[group];
  };
  const model: Model = {
    name,
    init(seed: SeedLike): ParamTree {
      const rng = toRng(seed);
      const params: ParamTree = {};
      try {
        for (const { group, layer } of entries)
          if (group !== null) params[group] = layer.init(rng.fold(group));
      } catch (e) {
        disposeTree(params);
        throw e;
      }
      return params;
    },
    apply(params: ParamTree, x: tf.Tensor): tf.Tensor {
      assertParamTree('params', params);
      return tf.tidy(() => {
        let h = x;
        for (const { group, layer } of entries) {
          if (group !== null && !(group in params)) {
            throw new ShapeError(
              `params is missing group ${JSON.stringify(group)} (${layer.name})`,
              'params',
            );
          }
          h = layer.apply(group === null ? {} : params[group], h);
        }
        return h;
      });
    },
  };
  if (forwardMode) {
    model.jvp = (params: ParamTree, tangent: ParamTree, x: tf.Tensor): Dual => {
      assertParamTree('params', params);
      assertParamTree('tangent', tangent);
      let cur: Dual = { y: x, dy: null };
      for (const { group, layer } of entries) {
        const p = group === null ? {} : groupOf(params, group, layer, 'params');
        const t = group === null ? {} : groupOf(tangent, group, layer, 'tangent');
        cur = (layer.jvp as NonNullable<Layer['jvp']>)(p, t, cur.y, cur.dy);
      }
      return cur;
    };
  }
  return model;
}

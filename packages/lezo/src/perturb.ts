/**
 * The two tensor operations of seed-regenerated ZO-SGD, made as cheap as tfjs allows.
 *
 * tfjs tensors are immutable, so "in place" means: build the new tensor, dispose the old one and
 * put the new handle where the old one was. Per tensor and pass this costs one noise fill into a
 * reused float32 host buffer (the shared {@link Rng}'s bulk normal kernel), one scaling loop in the
 * same buffer, one upload, and one tfjs kernel (`add`; the decayed update adds a `mul`), with
 * one extra tensor alive at a time. Scaling on the host instead of with `tf.mul` saves a kernel
 * and a tensor-sized temporary per pass.
 *
 * Arithmetic (float32, every backend; `fround` = round to float32):
 *
 *   perturb:  p ← fround(p + fround(scale · z))
 *   update:   p ← fround(fround(c · p) + fround(−a · z))     (c = 1: p ← fround(p + fround(−a · z)))
 *
 * with z the float32 noise of the tensor ({@link fillNoise}). Both are element-wise IEEE
 * operations, so the cpu and wasm backends and the typed-array mirror in `reference.ts` agree bit
 * for bit.
 * @internal
 * @module
 */
import { fillNoiseUnchecked, scaleNoise } from './noise';
import { tf } from './tf';

/** One parameter tensor as the ZO optimizer sees it. */
export interface ZoLeaf {
  /** Its group (layer). */
  group: string;
  /** Its name in the group. */
  name: string;
  /** Its index among all tensors of the tree, in tree order (the noise key). */
  index: number;
  /** Number of scalars. */
  size: number;
  /** Whether weight decay applies to it. */
  decay: boolean;
}

/** The scaled noise `fround(scale · z(seed, index))` of a tensor shaped like `p`, as a new tensor. */
function scaledNoiseTensor(
  p: tf.Tensor,
  seed: number,
  index: number,
  scale: number,
  scratch: Float32Array,
): tf.Tensor {
  const z = scratch.subarray(0, p.size);
  fillNoiseUnchecked(z, seed, index);
  scaleNoise(z, scale);
  // tf.tensor may keep a reference to `z` (cpu backend): the caller disposes it before `scratch` is reused
  return tf.tensor(z, p.shape, 'float32');
}

/**
 * `p + fround(scale · z)` as a new tensor, z the noise of tensor `index` under step seed `seed`.
 * Does not dispose `p`. `scratch` must hold at least `p.size` floats.
 */
export function perturbTensor(
  p: tf.Tensor,
  seed: number,
  index: number,
  scale: number,
  scratch: Float32Array,
): tf.Tensor {
  const u = scaledNoiseTensor(p, seed, index, scale, scratch);
  try {
    return tf.add(p, u);
  } finally {
    u.dispose();
  }
}

/**
 * The ZO-SGD update of one tensor for one direction, `c · p − a · z` as a new tensor, with
 * `a = η · g / n` (learning rate × projected gradient / directions) and `c = 1 − η λ / n` for a
 * decayed tensor (1 otherwise). Does not dispose `p`.
 */
export function updateTensor(
  p: tf.Tensor,
  seed: number,
  index: number,
  a: number,
  c: number,
  scratch: Float32Array,
): tf.Tensor {
  const u = scaledNoiseTensor(p, seed, index, -a, scratch);
  try {
    if (c === 1) return tf.add(p, u);
    return tf.tidy(() => tf.add(tf.mul(p, c), u));
  } finally {
    u.dispose();
  }
}

/** Replaces `tree[group][name]` by `next`, disposing the old tensor. */
export function replaceLeaf(
  tree: Record<string, Record<string, tf.Tensor>>,
  leaf: ZoLeaf,
  next: tf.Tensor,
): void {
  const old = tree[leaf.group][leaf.name];
  tree[leaf.group][leaf.name] = next;
  old.dispose();
}

/** The leaves of `leaves` whose group is in `groups`. */
export function leavesOf(leaves: readonly ZoLeaf[], groups: readonly string[]): ZoLeaf[] {
  const set = new Set(groups);
  return leaves.filter((l) => set.has(l.group));
}

/** `p ← p + fround(scale · z)` for every listed leaf of `tree` (handles replaced, old tensors disposed). */
export function perturbLeaves(
  tree: Record<string, Record<string, tf.Tensor>>,
  leaves: readonly ZoLeaf[],
  seed: number,
  scale: number,
  scratch: Float32Array,
): void {
  for (const leaf of leaves) {
    replaceLeaf(tree, leaf, perturbTensor(tree[leaf.group][leaf.name], seed, leaf.index, scale, scratch));
  }
}

/** One direction of a logged step: its seed, projected gradient and active groups. */
export interface UpdateDirection {
  /** Step seed of the direction. */
  seed: number;
  /** Projected gradient g = (ℓ₊ − ℓ₋)/(2ε). */
  projectedGrad: number;
  /** Active groups. */
  groups: readonly string[];
}

/**
 * The ZO-SGD update of a step with `directions.length` = n directions, applied direction after
 * direction: for each active leaf, `p ← (1 − η λ/n) p − (η g_j/n) z_j` (λ only on decayed leaves).
 */
export function updateLeaves(
  tree: Record<string, Record<string, tf.Tensor>>,
  leaves: readonly ZoLeaf[],
  directions: readonly UpdateDirection[],
  learningRate: number,
  weightDecay: number,
  scratch: Float32Array,
): void {
  const n = directions.length;
  for (const d of directions) {
    const a = (learningRate * d.projectedGrad) / n;
    const decayFactor = 1 - (learningRate * weightDecay) / n;
    for (const leaf of leavesOf(leaves, d.groups)) {
      const c = leaf.decay ? decayFactor : 1;
      replaceLeaf(tree, leaf, updateTensor(tree[leaf.group][leaf.name], d.seed, leaf.index, a, c, scratch));
    }
  }
}

/**
 * Token embedding E[ids] whose gradient is a matrix product oneHot(ids)ᵀ·dY, so it trains on wasm
 * (the gradient of `tf.gather` needs UnsortedSegmentSum, which wasm lacks, tfjs#8082) and is exact
 * to every order. The backward pass costs O(tokens × vocab × dim): meant for the small
 * vocabularies (≤ a few thousand) of CPU-sized experiments.
 * @module
 */
import { type Rng, ShapeError, ValueError, assertInteger, describe } from '@descent/tensor';
import { type Initializer, assertInitializer, initTensor } from '../init';
import { type Layer, assertInput, groupTensors } from '../layer';
import { fastMatMul } from '../tf';
import { tf } from '../tf';

/**
 * E[ids] for flat int32 ids as a custom op: the forward pass is a gather (no gradient needed for
 * it), the gradient w.r.t. E is oneHot(ids)ᵀ·dY with the transposed one-hot matrix built
 * directly (a constant), a {@link fastMatMul} that can itself be differentiated (HVPs).
 */
const embedOp = tf.customGrad(((E: tf.Tensor, ids: tf.Tensor, save: tf.GradSaveFunc) => {
  save([ids]);
  const vocab = E.shape[0];
  return {
    value: tf.gather(E, ids),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const v = saved[0].dataSync();
      const n = v.length;
      const ohT = new Float32Array(vocab * n);
      for (let i = 0; i < n; i++) ohT[v[i] * n + i] = 1;
      return [fastMatMul(tf.tensor2d(ohT, [vocab, n]), dy), tf.zeros(saved[0].shape)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (
  E: tf.Tensor,
  ids: tf.Tensor,
) => tf.Tensor;

/**
 * Rows `ids` of E [vocab, dim] for int32 ids of any shape: output [...ids.shape, dim]. Ids must
 * lie in [0, vocab) (checked).
 */
export function embed(E: tf.Tensor2D, ids: tf.Tensor): tf.Tensor {
  if (!(ids instanceof tf.Tensor))
    throw new ShapeError(`ids must be an int32 tf.Tensor, got ${describe(ids)}`, 'ids');
  if (ids.dtype !== 'int32') throw new ShapeError(`ids must have dtype int32, got ${ids.dtype}`, 'ids');
  const [vocab, dim] = E.shape;
  const v = ids.dataSync();
  for (let i = 0; i < v.length; i++) {
    if (v[i] < 0 || v[i] >= vocab)
      throw new ValueError(`ids must be token ids in [0, ${vocab - 1}], got ${v[i]} at index ${i}`, 'ids');
  }
  return tf.tidy(() => tf.reshape(embedOp(E, tf.reshape(ids, [-1])), [...ids.shape, dim]));
}

/** Options of {@link embedding}. */
export interface EmbeddingOptions {
  /** Vocabulary size (ids in [0, vocab)). */
  vocab: number;
  /** Embedding dimension. */
  dim: number;
  /** Initialisation (default `{ normal: 0.02 }`, GPT-2's). */
  init?: Initializer;
}

/**
 * An embedding layer: group `{ E: [vocab, dim] }`; input int32 ids of any shape, output
 * [...ids.shape, dim]. Out-of-range ids are a {@link ValueError}.
 */
export function embedding(options: EmbeddingOptions): Layer {
  const { vocab, dim, init = { normal: 0.02 } } = options ?? ({} as EmbeddingOptions);
  assertInteger('vocab', vocab, 1);
  assertInteger('dim', dim, 1);
  assertInitializer('init', init);
  const name = `embedding(${vocab}×${dim})`;
  return {
    kind: 'embedding',
    name,
    hasParams: true,
    init: (rng: Rng) => ({ E: initTensor(init, [vocab, dim], rng.fold('E')) }),
    apply(params, x) {
      assertInput('x', x, 1);
      const [E] = groupTensors(name, params, ['E']);
      return embed(E as tf.Tensor2D, x);
    },
    // linear in E, and the ids are data: ẏ = embed(Ė, ids)
    jvp(params, tangent, x) {
      assertInput('x', x, 1);
      const [E] = groupTensors(name, params, ['E']);
      const [dE] = groupTensors(name, tangent, ['E']);
      return { y: embed(E as tf.Tensor2D, x), dy: embed(dE as tf.Tensor2D, x) };
    },
  };
}

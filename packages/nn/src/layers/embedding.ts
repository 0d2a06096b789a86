/**
 * Token embedding as a one-hot product: E[ids] = oneHot(ids)·E. The gradient is a plain matrix
 * product, so it trains on wasm (the gradient of `tf.gather` needs UnsortedSegmentSum, which wasm
 * lacks, tfjs#8082) and is exact to every order. Cost O(tokens × vocab × dim): meant for the
 * small vocabularies (≤ a few thousand) of CPU-sized experiments.
 * @module
 */
import { type Rng, ShapeError, assertInteger, describe } from '@descent/tensor';
import { type Initializer, assertInitializer, initTensor } from '../init';
import { type Layer, assertInput, groupTensors } from '../layer';
import { fastMatMul } from '../matMul';
import { tf } from '../tf';

/** Rows `ids` of E [vocab, dim] for int32 ids of any shape: output [...ids.shape, dim]. */
export function embed(E: tf.Tensor2D, ids: tf.Tensor): tf.Tensor {
  if (!(ids instanceof tf.Tensor))
    throw new ShapeError(`ids must be an int32 tf.Tensor, got ${describe(ids)}`, 'ids');
  if (ids.dtype !== 'int32') throw new ShapeError(`ids must have dtype int32, got ${ids.dtype}`, 'ids');
  const [vocab, dim] = E.shape;
  return tf.tidy(() => {
    const flat = tf.reshape(ids, [-1]) as tf.Tensor1D;
    const oh = tf.oneHot(flat, vocab);
    return tf.reshape(fastMatMul(oh, E), [...ids.shape, dim]);
  });
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
 * [...ids.shape, dim]. Out-of-range ids give a zero row (tf.oneHot's behaviour): validate ids
 * upstream (the tokenizer does).
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
  };
}

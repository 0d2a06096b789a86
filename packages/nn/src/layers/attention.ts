/**
 * Multi-head causal self-attention (Vaswani et al. 2017; GPT-style causal mask):
 *
 *   [Q K V] = x·W_qkv + b_qkv,  A_h = softmax(Q_h K_hᵀ/√d_h + M) V_h,  y = [A_1 … A_H]·W_o + b_o
 *
 * with M = −1e9 above the diagonal (position t attends to positions ≤ t). The softmax is the
 * shared second-order-safe one and every product is {@link fastMatMul}, so HVPs are exact.
 * @module
 */
import { type Rng, ShapeError, ValueError, assertInteger } from '@descent/tensor';
import { type Initializer, assertInitializer, initTensor } from '../init';
import { type Layer, assertInput, groupTensors } from '../layer';
import { fastMatMul } from '../tf';
import { safeSoftmax, tf } from '../tf';

/** The additive causal mask [T, T]: 0 on and below the diagonal, −1e9 above. */
export function causalMask(T: number): tf.Tensor2D {
  const m = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) m[i * T + j] = -1e9;
  return tf.tensor2d(m, [T, T]);
}

/** [B, T, H·dh] → [B·H, T, dh]. */
function splitHeads(x: tf.Tensor, B: number, T: number, H: number, dh: number): tf.Tensor3D {
  return tf.reshape(tf.transpose(tf.reshape(x, [B, T, H, dh]), [0, 2, 1, 3]), [B * H, T, dh]);
}

/**
 * Causal self-attention of x [B, T, d] with the tensors of an attention group
 * (`Wqkv` [d, 3d], `bqkv` [3d], `Wo` [d, d], `bo` [d]) and `heads` heads. Output [B, T, d].
 */
export function causalSelfAttention(
  x: tf.Tensor,
  Wqkv: tf.Tensor,
  bqkv: tf.Tensor,
  Wo: tf.Tensor,
  bo: tf.Tensor,
  heads: number,
): tf.Tensor3D {
  assertInput('x', x, 3);
  if (x.rank !== 3) throw new ShapeError(`x must be [batch, time, dim], got shape [${x.shape}]`, 'x');
  const [B, T, d] = x.shape;
  assertInteger('heads', heads, 1);
  if (d % heads !== 0) throw new ShapeError(`x's last dimension ${d} must be divisible by heads ${heads}`, 'x');
  assertInput('Wqkv', Wqkv, 2, [d, 3 * d]);
  if (Wqkv.rank !== 2) throw new ShapeError(`Wqkv must have shape [${d}, ${3 * d}], got [${Wqkv.shape}]`, 'Wqkv');
  assertInput('bqkv', bqkv, 1, [3 * d]);
  if (bqkv.rank !== 1) throw new ShapeError(`bqkv must have shape [${3 * d}], got [${bqkv.shape}]`, 'bqkv');
  assertInput('Wo', Wo, 2, [d, d]);
  if (Wo.rank !== 2) throw new ShapeError(`Wo must have shape [${d}, ${d}], got [${Wo.shape}]`, 'Wo');
  assertInput('bo', bo, 1, [d]);
  if (bo.rank !== 1) throw new ShapeError(`bo must have shape [${d}], got [${bo.shape}]`, 'bo');
  const dh = d / heads;
  return tf.tidy(() => {
    const qkv = tf.add(fastMatMul(tf.reshape(x, [B * T, d]), Wqkv), bqkv);
    const [q, k, v] = tf.split(qkv, 3, 1);
    const Q = splitHeads(q, B, T, heads, dh);
    const K = splitHeads(k, B, T, heads, dh);
    const V = splitHeads(v, B, T, heads, dh);
    const scores = tf.add(
      tf.mul(fastMatMul(Q, tf.transpose(K, [0, 2, 1])), 1 / Math.sqrt(dh)),
      causalMask(T),
    );
    const P = safeSoftmax(scores, -1);
    const A = fastMatMul(P, V); // [B·H, T, dh]
    const merged = tf.reshape(tf.transpose(tf.reshape(A, [B, heads, T, dh]), [0, 2, 1, 3]), [B * T, d]);
    return tf.reshape(tf.add(fastMatMul(merged, Wo), bo), [B, T, d]) as tf.Tensor3D;
  });
}

/** Options of {@link selfAttention}. */
export interface SelfAttentionOptions {
  /** Model dimension d (divisible by `heads`). */
  dim: number;
  /** Number of heads H. */
  heads: number;
  /** Initialisation of W_qkv (default `{ normal: 0.02 }`, GPT-2). */
  init?: Initializer;
  /** Initialisation of the output projection W_o (default `{ normal: 0.02 }`). */
  outputInit?: Initializer;
}

/** A causal self-attention layer: group `{ Wqkv, bqkv, Wo, bo }`; input and output [B, T, dim]. */
export function selfAttention(options: SelfAttentionOptions): Layer {
  const {
    dim,
    heads,
    init = { normal: 0.02 },
    outputInit = { normal: 0.02 },
  } = options ?? ({} as SelfAttentionOptions);
  assertInteger('dim', dim, 1);
  assertInteger('heads', heads, 1);
  if (dim % heads !== 0) throw new ValueError(`dim must be divisible by heads = ${heads}, got ${dim}`, 'dim');
  assertInitializer('init', init);
  assertInitializer('outputInit', outputInit);
  const name = `causalSelfAttention(${dim}, ${heads} heads)`;
  return {
    kind: 'attention',
    name,
    hasParams: true,
    init: (rng: Rng) => ({
      Wqkv: initTensor(init, [dim, 3 * dim], rng.fold('Wqkv')),
      bqkv: tf.zeros([3 * dim]),
      Wo: initTensor(outputInit, [dim, dim], rng.fold('Wo')),
      bo: tf.zeros([dim]),
    }),
    apply(params, x) {
      assertInput('x', x, 3, [dim]);
      if (x.rank !== 3)
        throw new ShapeError(`x must be a rank-3 tensor [B, T, ${dim}], got shape [${x.shape}]`, 'x');
      const [Wqkv, bqkv, Wo, bo] = groupTensors(name, params, ['Wqkv', 'bqkv', 'Wo', 'bo']);
      return causalSelfAttention(x, Wqkv, bqkv, Wo, bo, heads);
    },
  };
}

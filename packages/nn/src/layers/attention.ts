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

/** Shape checks of {@link causalSelfAttention}'s arguments (typed errors naming each). */
function checkAttention(x: unknown, Wqkv: unknown, bqkv: unknown, Wo: unknown, bo: unknown, heads: number): void {
  assertInput('x', x, 3);
  if (x.rank !== 3) throw new ShapeError(`x must be [batch, time, dim], got shape [${x.shape}]`, 'x');
  const d = x.shape[2] as number;
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
  checkAttention(x, Wqkv, bqkv, Wo, bo, heads);
  const [B, T, d] = x.shape;
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

/**
 * Forward mode of {@link causalSelfAttention}: the output and its directional derivative along
 * the tangents of x (`dx`, `null` for zero) and of the four parameters. Each product is bilinear
 * (Q̇Kᵀ + QK̇ᵀ, ṖV + PV̇, ...) and the softmax tangent is Ṗ = P·(ṡ − Σ_j P·ṡ), built from ops with
 * exact first derivatives (hvpTree's 'rop' mode). Arguments are trusted (checked by the caller).
 */
export function causalSelfAttentionJvp(
  x: tf.Tensor,
  dx: tf.Tensor | null,
  [Wqkv, bqkv, Wo, bo]: tf.Tensor[],
  [dWqkv, dbqkv, dWo, dbo]: tf.Tensor[],
  heads: number,
): { y: tf.Tensor; dy: tf.Tensor } {
  const [B, T, d] = x.shape;
  const dh = d / heads;
  const x2 = tf.reshape(x, [B * T, d]);
  const qkv = tf.add(fastMatMul(x2, Wqkv), bqkv);
  let dqkv = tf.add(fastMatMul(x2, dWqkv), dbqkv);
  if (dx !== null) dqkv = tf.add(dqkv, fastMatMul(tf.reshape(dx, [B * T, d]), Wqkv));
  const [Q, K, V] = tf.split(qkv, 3, 1).map((t) => splitHeads(t, B, T, heads, dh));
  const [dQ, dK, dV] = tf.split(dqkv, 3, 1).map((t) => splitHeads(t, B, T, heads, dh));
  const Kt = tf.transpose(K, [0, 2, 1]);
  const c = 1 / Math.sqrt(dh);
  const P = safeSoftmax(tf.add(tf.mul(fastMatMul(Q, Kt), c), causalMask(T)), -1);
  const ds = tf.mul(tf.add(fastMatMul(dQ, Kt), fastMatMul(Q, tf.transpose(dK, [0, 2, 1]))), c);
  const dP = tf.mul(P, tf.sub(ds, tf.sum(tf.mul(P, ds), -1, true)));
  const merge = (A: tf.Tensor) =>
    tf.reshape(tf.transpose(tf.reshape(A, [B, heads, T, dh]), [0, 2, 1, 3]), [B * T, d]);
  const merged = merge(fastMatMul(P, V));
  const dMerged = merge(tf.add(fastMatMul(dP, V), fastMatMul(P, dV)));
  const y = tf.add(fastMatMul(merged, Wo), bo);
  const dy = tf.add(tf.add(fastMatMul(dMerged, Wo), fastMatMul(merged, dWo)), dbo);
  return { y: tf.reshape(y, [B, T, d]), dy: tf.reshape(dy, [B, T, d]) };
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
    jvp(params, tangent, x, dx) {
      const keys = ['Wqkv', 'bqkv', 'Wo', 'bo'];
      const p = groupTensors(name, params, keys);
      const t = groupTensors(name, tangent, keys);
      checkAttention(x, p[0], p[1], p[2], p[3], heads);
      checkAttention(x, t[0], t[1], t[2], t[3], heads);
      return causalSelfAttentionJvp(x, dx, p, t, heads);
    },
  };
}

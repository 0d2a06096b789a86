/**
 * A tiny pre-LN decoder-only transformer (GPT-2 layout, Radford et al. 2019) for sequence
 * classification and next-token prediction on CPU-sized problems.
 *
 *   h₀ = E[tokens] + P[0..T)
 *   h ← h + Attn(LN₁(h));  h ← h + MLP(LN₂(h))        (per block; MLP = W₂·GELU(W₁·))
 *   z = LN_f(h);  logits = z·W_head + b   (per position, or after pooling over positions)
 *
 * Groups: `embed` {tokens, positions}, `block0 … block{L−1}` (each one transformer block, the unit
 * LeZO samples) {ln1.gamma, ln1.beta, attn.Wqkv, attn.bqkv, attn.Wo, attn.bo, ln2.gamma,
 * ln2.beta, mlp.W1, mlp.b1, mlp.W2, mlp.b2}, `norm` {gamma, beta}, `head` {W, b}.
 * Initialisation as GPT-2: N(0, 0.02²) weights, zero biases, unit LN scales, and the two residual
 * projections (attn.Wo, mlp.W2) scaled by 1/√(2L).
 * @module
 */
import { type Rng, ShapeError, ValueError, assertInteger, describe } from '@descent/tensor';
import { initTensor } from '../init';
import { type Dual, type Model, type SeedLike, toRng } from '../layer';
import { activateJvp, gelu } from '../layers/activation';
import { causalSelfAttention, causalSelfAttentionJvp } from '../layers/attention';
import { embed } from '../layers/embedding';
import { layerNormApply, layerNormJvp } from '../layers/layerNorm';
import { fastMatMul } from '../tf';
import { tf } from '../tf';
import { type ParamTree, type TensorGroup, assertParamTree, disposeTree } from '../tree';

/** Options of {@link transformer}. */
export interface TransformerOptions {
  /** Vocabulary size (token ids in [0, vocab)). */
  vocab: number;
  /** Longest sequence the positional table covers. */
  maxLength: number;
  /** Model dimension d (default 64). */
  dim?: number;
  /** Attention heads (default 4; must divide dim). */
  heads?: number;
  /** Transformer blocks (default 2). */
  layers?: number;
  /** MLP hidden width as a multiple of dim (default 4). */
  mlpRatio?: number;
  /**
   * `'classify'` (default): logits [B, classes] from the pooled sequence;
   * `'nextToken'`: logits [B, T, vocab] at every position (causal language model).
   */
  task?: 'classify' | 'nextToken';
  /** Number of classes (required for `'classify'`). */
  classes?: number;
  /** Pooling for `'classify'`: `'mean'` over (non-pad) positions (default) or the `'last'` (non-pad) position. */
  pool?: 'mean' | 'last';
  /** Padding token id: pad positions are left out of the pooling (default: none). */
  padId?: number;
}

/** Tensor names of a transformer block group. */
export const BLOCK_TENSORS = [
  'ln1.gamma',
  'ln1.beta',
  'attn.Wqkv',
  'attn.bqkv',
  'attn.Wo',
  'attn.bo',
  'ln2.gamma',
  'ln2.beta',
  'mlp.W1',
  'mlp.b1',
  'mlp.W2',
  'mlp.b2',
] as const;

/**
 * A tiny causal transformer as a {@link Model} over int32 token ids [B, T] (T ≤ maxLength).
 *
 * ```ts
 * const model = transformer({ vocab: 1000, maxLength: 32, dim: 64, heads: 4, layers: 2, classes: 2 });
 * const params = model.init(0);
 * const logits = model.apply(params, tf.tensor2d(ids, [8, 32], 'int32')); // [8, 2]
 * ```
 */
export function transformer(options: TransformerOptions): Model {
  const o = options ?? ({} as TransformerOptions);
  const {
    vocab,
    maxLength,
    dim = 64,
    heads = 4,
    layers = 2,
    mlpRatio = 4,
    task = 'classify',
    pool = 'mean',
    padId,
  } = o;
  assertInteger('vocab', vocab, 1);
  assertInteger('maxLength', maxLength, 1);
  assertInteger('dim', dim, 1);
  assertInteger('heads', heads, 1);
  if (dim % heads !== 0) throw new ValueError(`dim must be divisible by heads = ${heads}, got ${dim}`, 'dim');
  assertInteger('layers', layers, 1);
  assertInteger('mlpRatio', mlpRatio, 1);
  if (task !== 'classify' && task !== 'nextToken') {
    throw new ValueError(`task must be 'classify' or 'nextToken', got ${describe(task)}`, 'task');
  }
  if (pool !== 'mean' && pool !== 'last')
    throw new ValueError(`pool must be 'mean' or 'last', got ${describe(pool)}`, 'pool');
  if (padId !== undefined) assertInteger('padId', padId, 0, vocab - 1);
  const classes = task === 'classify' ? o.classes : vocab;
  if (task === 'classify') assertInteger('classes', classes, 1);
  const out = classes as number;
  const hidden = mlpRatio * dim;
  const residualStd = 0.02 / Math.sqrt(2 * layers);

  function initBlock(rng: Rng): TensorGroup {
    return {
      'ln1.gamma': tf.ones([dim]),
      'ln1.beta': tf.zeros([dim]),
      'attn.Wqkv': initTensor({ normal: 0.02 }, [dim, 3 * dim], rng.fold('attn.Wqkv')),
      'attn.bqkv': tf.zeros([3 * dim]),
      'attn.Wo': initTensor({ normal: residualStd }, [dim, dim], rng.fold('attn.Wo')),
      'attn.bo': tf.zeros([dim]),
      'ln2.gamma': tf.ones([dim]),
      'ln2.beta': tf.zeros([dim]),
      'mlp.W1': initTensor({ normal: 0.02 }, [dim, hidden], rng.fold('mlp.W1')),
      'mlp.b1': tf.zeros([hidden]),
      'mlp.W2': initTensor({ normal: residualStd }, [hidden, dim], rng.fold('mlp.W2')),
      'mlp.b2': tf.zeros([dim]),
    };
  }

  function need(params: ParamTree, group: string, names: readonly string[]): tf.Tensor[] {
    const g = params[group];
    if (g === undefined) throw new ShapeError(`params is missing group ${JSON.stringify(group)}`, 'params');
    return names.map((k) => {
      const t = g[k];
      if (!(t instanceof tf.Tensor))
        throw new ShapeError(`params.${group} must contain tensor ${JSON.stringify(k)}`, 'params');
      return t;
    });
  }

  function block(params: ParamTree, i: number, h: tf.Tensor): tf.Tensor {
    const [g1, b1, Wqkv, bqkv, Wo, bo, g2, b2, W1, c1, W2, c2] = need(params, `block${i}`, BLOCK_TENSORS);
    const [B, T] = h.shape;
    const a = causalSelfAttention(layerNormApply(h, g1, b1), Wqkv, bqkv, Wo, bo, heads);
    const h1 = tf.add(h, a);
    const z = tf.reshape(layerNormApply(h1, g2, b2), [B * T, dim]);
    const m = tf.add(fastMatMul(gelu(tf.add(fastMatMul(z, W1), c1)), W2), c2);
    return tf.add(h1, tf.reshape(m, [B, T, dim]));
  }

  /** Forward mode of {@link block}: (h, ḣ) → (block output, its tangent). */
  function blockJvp(params: ParamTree, tangent: ParamTree, i: number, h: tf.Tensor, dh: tf.Tensor): Dual {
    const [g1, b1, Wqkv, bqkv, Wo, bo, g2, b2, W1, c1, W2, c2] = need(params, `block${i}`, BLOCK_TENSORS);
    const [dg1, db1, dWqkv, dbqkv, dWo, dbo, dg2, db2, dW1, dc1, dW2, dc2] = need(tangent, `block${i}`, BLOCK_TENSORS);
    const [B, T] = h.shape;
    const n1 = layerNormJvp(h, dh, g1, b1, dg1, db1);
    const a = causalSelfAttentionJvp(n1.y, n1.dy, [Wqkv, bqkv, Wo, bo], [dWqkv, dbqkv, dWo, dbo], heads);
    const h1 = tf.add(h, a.y);
    const dh1 = tf.add(dh, a.dy);
    const n2 = layerNormJvp(h1, dh1, g2, b2, dg2, db2);
    const z = tf.reshape(n2.y, [B * T, dim]);
    const dz = tf.reshape(n2.dy as tf.Tensor, [B * T, dim]);
    const u = tf.add(fastMatMul(z, W1), c1);
    const du = tf.add(tf.add(fastMatMul(dz, W1), fastMatMul(z, dW1)), dc1);
    const g = activateJvp(u, du, 'gelu');
    const m = tf.add(fastMatMul(g.y, W2), c2);
    const dm = tf.add(tf.add(fastMatMul(g.dy as tf.Tensor, W2), fastMatMul(g.y, dW2)), dc2);
    return { y: tf.add(h1, tf.reshape(m, [B, T, dim])), dy: tf.add(dh1, tf.reshape(dm, [B, T, dim])) };
  }

  function checkTokens(tokens: unknown): asserts tokens is tf.Tensor {
    if (!(tokens instanceof tf.Tensor) || tokens.rank !== 2 || tokens.dtype !== 'int32') {
      throw new ShapeError(
        `x must be an int32 tensor of token ids [batch, length], got ${describe(tokens)}${tokens instanceof tf.Tensor ? ` ${tokens.dtype} [${tokens.shape}]` : ''}`,
        'x',
      );
    }
    if (tokens.shape[1] > maxLength)
      throw new ShapeError(`x must have length <= maxLength = ${maxLength}, got ${tokens.shape[1]}`, 'x');
  }

  const name = `transformer(vocab ${vocab}, d ${dim}, ${heads} heads, ${layers} blocks, ${task}${task === 'classify' ? ` ${out}` : ''})`;
  return {
    name,
    init(seed: SeedLike): ParamTree {
      const rng = toRng(seed);
      const params: ParamTree = {};
      try {
        params.embed = {
          tokens: initTensor({ normal: 0.02 }, [vocab, dim], rng.fold('embed', 'tokens')),
          positions: initTensor({ normal: 0.01 }, [maxLength, dim], rng.fold('embed', 'positions')),
        };
        for (let i = 0; i < layers; i++) params[`block${i}`] = initBlock(rng.fold(`block${i}`));
        params.norm = { gamma: tf.ones([dim]), beta: tf.zeros([dim]) };
        params.head = {
          W: initTensor({ normal: 0.02 }, [dim, out], rng.fold('head', 'W')),
          b: tf.zeros([out]),
        };
      } catch (e) {
        disposeTree(params);
        throw e;
      }
      return params;
    },
    apply(params: ParamTree, tokens: tf.Tensor): tf.Tensor {
      assertParamTree('params', params);
      checkTokens(tokens);
      const [B, T] = tokens.shape;
      return tf.tidy(() => {
        const [E, P] = need(params, 'embed', ['tokens', 'positions']);
        let h = tf.add(embed(E as tf.Tensor2D, tokens), tf.slice(P, [0, 0], [T, dim]));
        for (let i = 0; i < layers; i++) h = block(params, i, h);
        const [gf, bf] = need(params, 'norm', ['gamma', 'beta']);
        const [Wh, bh] = need(params, 'head', ['W', 'b']);
        const z = layerNormApply(h, gf, bf);
        if (task === 'nextToken') {
          return tf.reshape(tf.add(fastMatMul(tf.reshape(z, [B * T, dim]), Wh), bh), [B, T, out]);
        }
        const pooled = poolPositions(z, tokens, pool, padId);
        return tf.add(fastMatMul(pooled, Wh), bh);
      });
    },
    // forward mode (hvpTree 'rop'): every step above with its tangent; the token ids are data
    jvp(params: ParamTree, tangent: ParamTree, tokens: tf.Tensor): Dual {
      assertParamTree('params', params);
      assertParamTree('tangent', tangent);
      checkTokens(tokens);
      const [B, T] = tokens.shape;
      const [E, P] = need(params, 'embed', ['tokens', 'positions']);
      const [dE, dP] = need(tangent, 'embed', ['tokens', 'positions']);
      let h = tf.add(embed(E as tf.Tensor2D, tokens), tf.slice(P, [0, 0], [T, dim]));
      let dh = tf.add(embed(dE as tf.Tensor2D, tokens), tf.slice(dP, [0, 0], [T, dim]));
      for (let i = 0; i < layers; i++) ({ y: h, dy: dh } = blockJvp(params, tangent, i, h, dh) as { y: tf.Tensor; dy: tf.Tensor });
      const [gf, bf] = need(params, 'norm', ['gamma', 'beta']);
      const [dgf, dbf] = need(tangent, 'norm', ['gamma', 'beta']);
      const [Wh, bh] = need(params, 'head', ['W', 'b']);
      const [dWh, dbh] = need(tangent, 'head', ['W', 'b']);
      const n = layerNormJvp(h, dh, gf, bf, dgf, dbf);
      const head = (z: tf.Tensor, dz: tf.Tensor): Dual => ({
        y: tf.add(fastMatMul(z, Wh), bh),
        dy: tf.add(tf.add(fastMatMul(dz, Wh), fastMatMul(z, dWh)), dbh),
      });
      if (task === 'nextToken') {
        const r = head(tf.reshape(n.y, [B * T, dim]), tf.reshape(n.dy as tf.Tensor, [B * T, dim]));
        return { y: tf.reshape(r.y, [B, T, out]), dy: tf.reshape(r.dy as tf.Tensor, [B, T, out]) };
      }
      return head(poolPositions(n.y, tokens, pool, padId), poolPositions(n.dy as tf.Tensor, tokens, pool, padId));
    },
  };
}

/** Pools z [B, T, d] over positions: mean over non-pad positions, or the last non-pad position. */
function poolPositions(
  z: tf.Tensor,
  tokens: tf.Tensor,
  pool: 'mean' | 'last',
  padId: number | undefined,
): tf.Tensor {
  const [B, T, d] = z.shape;
  // the weights depend on the token ids only (constants for autodiff)
  const w = new Float32Array(B * T);
  const ids = padId === undefined ? null : tokens.dataSync();
  for (let b = 0; b < B; b++) {
    let count = 0;
    let last = -1;
    for (let t = 0; t < T; t++) {
      if (ids === null || ids[b * T + t] !== padId) {
        count++;
        last = t;
      }
    }
    if (last < 0) continue; // an all-pad row pools to zeros
    if (pool === 'last') w[b * T + last] = 1;
    else for (let t = 0; t < T; t++) if (ids === null || ids[b * T + t] !== padId) w[b * T + t] = 1 / count;
  }
  const W = tf.tensor3d(w, [B, 1, T]);
  return tf.reshape(fastMatMul(W, z), [B, d]);
}

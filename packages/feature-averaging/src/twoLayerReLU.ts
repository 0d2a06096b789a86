/**
 * The paper's networks, as one functional model family in float64: a trainable first layer
 * (weights W ∈ ℝ^{M×d}, biases b ∈ ℝ^M), ReLU, and a FIXED second layer (head A ∈ ℝ^{o×M}):
 *
 *   out(x) = A · ReLU(W x + b).
 *
 * - Binary (Section 3.2): M = 2m, o = 1, A = [+1/m … +1/m, −1/m … −1/m], so
 *   f(x) = (1/m) Σ_r ReLU(⟨w₊,r, x⟩ + b₊,r) − (1/m) Σ_r ReLU(⟨w₋,r, x⟩ + b₋,r), trained with the
 *   logistic loss on y = ±1.
 * - Multi-class ("fine-grained supervision"): one sub-network f_j = (1/h) Σ_r ReLU(⟨w_j,r, x⟩ + b_j,r)
 *   per cluster, M = k·h, o = k, trained with softmax cross-entropy on the cluster index, and
 *   read out as a binary classifier through Σ_{j∈J₊} f_j − Σ_{j∈J₋} f_j.
 *
 * This file is the exact float64 reference (forward, loss, parameter and input gradients); the
 * tensor path for large sizes builds the same model on @descent/nn.
 * @module
 */
import {
  type KeyPart,
  Rng,
  ShapeError,
  ValueError,
  assertInteger,
  describe,
  option,
  readSeed,
  resolveOptions,
} from '@descent/tensor';

/** The parameters: W (M×d, row r = neuron r's weight), b (M). */
export interface TwoLayerParams {
  W: Float64Array;
  b: Float64Array;
}

/** A two-layer ReLU network with a fixed head, as a functional model. */
export interface TwoLayerReLU {
  /** `'binary'` (±1/m head, logistic loss) or `'multiclass'` (1/h block head, cross-entropy). */
  readonly kind: 'binary' | 'multiclass';
  /** Input dimension d. */
  readonly d: number;
  /** Hidden neurons M. */
  readonly neurons: number;
  /** Outputs o (1 or k). */
  readonly outputs: number;
  /** The fixed head A, row-major o×M. */
  readonly head: Float64Array;
  /** Standard deviation of the Gaussian initialisation of W and b. */
  readonly initStd: number;
  /**
   * Fresh parameters N(0, initStd²): W from `rng.fold('W')`, b from `rng.fold('b')`, where
   * rng = `seed` if it is an `Rng`, else `new Rng(seed)`.
   */
  init(seed: KeyPart | Rng): TwoLayerParams;
  /** The outputs A·ReLU(Wx + b) for the n rows of X, row-major n×o. */
  apply(params: TwoLayerParams, X: Float64Array): Float64Array;
}

/** Options of {@link binaryReLU}. */
export interface BinaryReLUOptions {
  /** Input dimension. */
  d: number;
  /** Neurons per sign, m (M = 2m; default 5, the reproduction's Figure-2 setting). */
  m?: number;
  /** Init standard deviation (default 1e-5, the reproduction's). */
  initStd?: number;
}

/** Options of {@link multiClassReLU}. */
export interface MultiClassReLUOptions {
  /** Input dimension. */
  d: number;
  /** Classes (clusters) k. */
  k: number;
  /** Neurons per class, h (default 1, the reproduction's Figure-2 setting). */
  h?: number;
  /** Init standard deviation (default 1e-5). */
  initStd?: number;
}

function makeModel(
  kind: 'binary' | 'multiclass',
  d: number,
  neurons: number,
  outputs: number,
  head: Float64Array,
  initStd: number,
): TwoLayerReLU {
  return {
    kind,
    d,
    neurons,
    outputs,
    head,
    initStd,
    init(seed: KeyPart | Rng): TwoLayerParams {
      const rng = seed instanceof Rng ? seed : new Rng(readSeed(seed));
      return {
        W: rng.fold('W').fillNormal(new Float64Array(neurons * d), 0, initStd),
        b: rng.fold('b').fillNormal(new Float64Array(neurons), 0, initStd),
      };
    },
    apply(params: TwoLayerParams, X: Float64Array): Float64Array {
      const n = rowsOf(X, d);
      checkParams(this, params);
      return headTimes(hiddenActivations(params, X, n, d, neurons).act, n, head, outputs, neurons);
    },
  };
}

/**
 * The binary network with fixed head ±1/m.
 *
 * ```ts
 * const net = binaryReLU({ d: 256, m: 4 });
 * const params = net.init(0);
 * ```
 */
export function binaryReLU(options: BinaryReLUOptions): TwoLayerReLU {
  const { d, m, initStd } = resolveOptions(
    options,
    {
      d: option.integer({ min: 1, required: true }),
      m: option.integer({ min: 1, default: 5 }),
      initStd: option.number({ min: 0, default: 1e-5 }),
    },
    { name: 'binaryReLU options' },
  );
  const head = new Float64Array(2 * m);
  for (let r = 0; r < 2 * m; r++) head[r] = r < m ? 1 / m : -1 / m;
  return makeModel('binary', d, 2 * m, 1, head, initStd);
}

/**
 * The multi-class network: k sub-networks of h neurons with fixed averaging heads 1/h.
 *
 * ```ts
 * const net = multiClassReLU({ d: 256, k: 8 });
 * ```
 */
export function multiClassReLU(options: MultiClassReLUOptions): TwoLayerReLU {
  const { d, k, h, initStd } = resolveOptions(
    options,
    {
      d: option.integer({ min: 1, required: true }),
      k: option.integer({ min: 2, required: true }),
      h: option.integer({ min: 1, default: 1 }),
      initStd: option.number({ min: 0, default: 1e-5 }),
    },
    { name: 'multiClassReLU options' },
  );
  const M = k * h;
  const head = new Float64Array(k * M);
  for (let j = 0; j < k; j++) for (let r = 0; r < h; r++) head[j * M + j * h + r] = 1 / h;
  return makeModel('multiclass', d, M, k, head, initStd);
}

/** Number of rows of a row-major X with d columns; throws naming `X` otherwise. */
export function rowsOf(X: unknown, d: number, name = 'X'): number {
  if (!(X instanceof Float64Array))
    throw new ValueError(`${name} must be a Float64Array (row-major n×d), got ${describe(X)}`, name);
  if (X.length === 0 || X.length % d !== 0) {
    throw new ShapeError(
      `${name} must have length n·d with d = ${d} and n ≥ 1, got length ${X.length}`,
      name,
    );
  }
  return X.length / d;
}

/**
 * Throws a ValueError/ShapeError naming `name` unless `model` is a {@link TwoLayerReLU} (from
 * {@link binaryReLU} or {@link multiClassReLU}): kind, integer sizes and a head of length o·M.
 */
export function checkModel(model: unknown, name = 'model'): asserts model is TwoLayerReLU {
  const m = model as Partial<TwoLayerReLU> | null;
  if (m === null || typeof m !== 'object' || (m.kind !== 'binary' && m.kind !== 'multiclass')) {
    throw new ValueError(
      `${name} must be a TwoLayerReLU (from binaryReLU or multiClassReLU), got ${describe(model)}`,
      name,
    );
  }
  for (const key of ['d', 'neurons', 'outputs'] as const) {
    const v = m[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      throw new ValueError(`${name}.${key} must be an integer >= 1, got ${describe(v)}`, name);
    }
  }
  const o = m.outputs as number;
  if (!(m.head instanceof Float64Array) || m.head.length !== o * (m.neurons as number)) {
    throw new ShapeError(`${name}.head must be a Float64Array of length o·M, got ${describe(m.head)}`, name);
  }
}

/** Throws unless `model` is a TwoLayerReLU and params fit it (W: M×d, b: M). */
export function checkParams(model: TwoLayerReLU, params: TwoLayerParams, name = 'params'): void {
  checkModel(model);
  if (params == null || !(params.W instanceof Float64Array) || !(params.b instanceof Float64Array)) {
    throw new ValueError(`${name} must be {W: Float64Array, b: Float64Array}, got ${describe(params)}`, name);
  }
  if (params.W.length !== model.neurons * model.d) {
    throw new ShapeError(
      `${name}.W must have length M·d = ${model.neurons * model.d}, got ${params.W.length}`,
      `${name}.W`,
    );
  }
  if (params.b.length !== model.neurons) {
    throw new ShapeError(
      `${name}.b must have length M = ${model.neurons}, got ${params.b.length}`,
      `${name}.b`,
    );
  }
}

/** Pre-activations Wx + b (n×M) and activations ReLU(·). */
export function hiddenActivations(
  params: TwoLayerParams,
  X: Float64Array,
  n: number,
  d: number,
  M: number,
): { pre: Float64Array; act: Float64Array } {
  const { W, b } = params;
  const pre = new Float64Array(n * M);
  const act = new Float64Array(n * M);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let r = 0; r < M; r++) {
      const w = r * d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let t = 0;
      for (; t + 3 < d; t += 4) {
        s0 += X[o + t] * W[w + t];
        s1 += X[o + t + 1] * W[w + t + 1];
        s2 += X[o + t + 2] * W[w + t + 2];
        s3 += X[o + t + 3] * W[w + t + 3];
      }
      for (; t < d; t++) s0 += X[o + t] * W[w + t];
      const v = s0 + s1 + s2 + s3 + b[r];
      pre[i * M + r] = v;
      act[i * M + r] = Math.max(v, 0);
    }
  }
  return { pre, act };
}

/** act (n×M) · headᵀ (M×o) → n×o. */
function headTimes(act: Float64Array, n: number, head: Float64Array, o: number, M: number): Float64Array {
  const out = new Float64Array(n * o);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < o; c++) {
      let s = 0;
      for (let r = 0; r < M; r++) s += act[i * M + r] * head[c * M + r];
      out[i * o + c] = s;
    }
  }
  return out;
}

/**
 * How a network's outputs become one binary score s(x) (predict +1 iff s(x) > 0):
 *
 * - `'sum'`: s = Σ_c σ_c out_c with σ_c = +1 on J₊ and −1 on J₋: the binary net's own output
 *   (o = 1, σ = +1), and for the multi-class net the reproduction's readout
 *   Σ_{j∈J₊} f_j − Σ_{j∈J₋} f_j (the paper's derived binary classifier);
 * - `'max'`: s = max_{j∈J₊} f_j − max_{j∈J₋} f_j, i.e. "is the predicted cluster in J₊" (the
 *   usual way to read a 10-class classifier as a binary one).
 */
export interface BinaryReadout {
  readonly mode: 'sum' | 'max';
  /** σ_c = ±1: the class of each output. */
  readonly sign: Float64Array;
}

/** The binary readout of a model (`positive` = J₊, required for a multi-class model). */
export function binaryReadout(
  model: TwoLayerReLU,
  positive?: ArrayLike<number>,
  mode: 'sum' | 'max' = 'sum',
): BinaryReadout {
  checkModel(model);
  if (mode !== 'sum' && mode !== 'max')
    throw new ValueError(`mode must be 'sum' or 'max', got ${describe(mode)}`, 'mode');
  if (model.kind === 'binary') return { mode: 'sum', sign: Float64Array.of(1) };
  if (positive == null || typeof positive.length !== 'number') {
    throw new ValueError(
      `positive must list J₊ for a multi-class readout, got ${describe(positive)}`,
      'positive',
    );
  }
  const sign = new Float64Array(model.outputs).fill(-1);
  for (let i = 0; i < positive.length; i++) {
    assertInteger(`positive[${i}]`, positive[i], 0, model.outputs - 1);
    sign[positive[i]] = 1;
  }
  if (!sign.includes(1) || !sign.includes(-1))
    throw new ValueError('positive must leave both classes non-empty', 'positive');
  return { mode, sign };
}

function checkReadout(model: TwoLayerReLU, readout: BinaryReadout): void {
  if (
    readout == null ||
    !(readout.sign instanceof Float64Array) ||
    readout.sign.length !== model.outputs ||
    (readout.mode !== 'sum' && readout.mode !== 'max')
  ) {
    throw new ShapeError(
      `readout must be a BinaryReadout with ${model.outputs} signs (see binaryReadout)`,
      'readout',
    );
  }
}

/**
 * Scores s(x_i) and the per-sample neuron weights ρ_i with s = ρ_i · ReLU(W x_i + b) locally
 * (for `'max'` the argmax outputs are fixed at x_i).
 */
function scoresAndNeuronWeights(
  model: TwoLayerReLU,
  readout: BinaryReadout,
  act: Float64Array,
  n: number,
): { scores: Float64Array; rho: Float64Array } {
  const { neurons: M, outputs: o, head } = model;
  const scores = new Float64Array(n);
  const rho = new Float64Array(n * M);
  const out = new Float64Array(o);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < o; c++) {
      let v = 0;
      for (let r = 0; r < M; r++) v += head[c * M + r] * act[i * M + r];
      out[c] = v;
    }
    if (readout.mode === 'sum') {
      let v = 0;
      for (let c = 0; c < o; c++) {
        v += readout.sign[c] * out[c];
        for (let r = 0; r < M; r++) rho[i * M + r] += readout.sign[c] * head[c * M + r];
      }
      scores[i] = v;
    } else {
      let bp = -1;
      let bn = -1;
      for (let c = 0; c < o; c++) {
        if (readout.sign[c] > 0) {
          if (bp < 0 || out[c] > out[bp]) bp = c;
        } else if (bn < 0 || out[c] > out[bn]) bn = c;
      }
      scores[i] = out[bp] - out[bn];
      for (let r = 0; r < M; r++) rho[i * M + r] = head[bp * M + r] - head[bn * M + r];
    }
  }
  return { scores, rho };
}

/** Binary scores s(x_i) of the n rows of X (see {@link BinaryReadout}). */
export function binaryScores(
  model: TwoLayerReLU,
  params: TwoLayerParams,
  readout: BinaryReadout,
  X: Float64Array,
): Float64Array {
  checkParams(model, params);
  checkReadout(model, readout);
  const n = rowsOf(X, model.d);
  const { act } = hiddenActivations(params, X, n, model.d, model.neurons);
  return scoresAndNeuronWeights(model, readout, act, n).scores;
}

/**
 * Scores and their input gradients ∇ₓ s(x) = Σ_r ρ_r 1[⟨w_r, x⟩ + b_r > 0] w_r (row-major
 * n×d): what an L2 attack on the binary decision needs, exact in float64 (subgradient 0 at a
 * ReLU kink; for `'max'` the gradient of the currently largest outputs).
 */
export function binaryScoresAndInputGradients(
  model: TwoLayerReLU,
  params: TwoLayerParams,
  readout: BinaryReadout,
  X: Float64Array,
): { scores: Float64Array; gradients: Float64Array } {
  checkParams(model, params);
  checkReadout(model, readout);
  const d = model.d;
  const M = model.neurons;
  const n = rowsOf(X, d);
  const { pre, act } = hiddenActivations(params, X, n, d, M);
  const { scores, rho } = scoresAndNeuronWeights(model, readout, act, n);
  const gradients = new Float64Array(n * d);
  const W = params.W;
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let r = 0; r < M; r++) {
      const c = pre[i * M + r] > 0 ? rho[i * M + r] : 0;
      if (c === 0) continue;
      const w = r * d;
      for (let t = 0; t < d; t++) gradients[o + t] += c * W[w + t];
    }
  }
  return { scores, gradients };
}

/**
 * Second-order-safe elementwise and softmax-family ops for tfjs 4.22.
 *
 * The problem (tensorflow/tfjs#3252): the stock gradients of exp, sigmoid, tanh, softmax,
 * logSoftmax and logSumExp are written in terms of the *saved forward output* (or use
 * `Equal`/`Greater` masks), so differentiating them again under an outer `tf.grad` is silently
 * wrong (a softmax cross-entropy tanh MLP: HVP off by 0.7–0.8 relative, see the bench
 * `autodiff`) or throws "Cannot compute gradient" (stock sigmoid alone).
 *
 * What we checked: nested gradients *do* flow through a `tf.customGrad`'s gradient function in
 * tfjs 4.22, provided that function is built from differentiable ops of the **saved input**:
 * `save([x])` stores a clone of x that the engine links to x by an Identity tape node, so ops
 * run inside `gradFunc` on it are recorded by an enclosing tape (verified by the third
 * derivative of `safeExp` and by HVP-vs-finite-difference tests on wasm and cpu).
 *
 * The construction: each op is a `tf.customGrad` whose forward pass uses the stable stock kernel
 * (max-shifted for the softmax family) and whose gradient is expressed through safe ops again
 * (recursively: the derivative of `safeSigmoid` calls `safeSigmoid`, that of `safeLogSumExp`
 * calls `safeSoftmax`, whose own derivative calls `safeSoftmax`), so every order of derivative
 * is on the tape. Masks (`isFinite`, the max shift) are computed inside the forward pass, where
 * the tape is off, so no comparison op ever needs a gradient.
 * @module
 */
import { tf } from './backend';
import { ShapeError, ValueError, assertInteger, assertPositive, describe, readOptions } from '@descent/tensor';

type T = tf.Tensor;

function assertTensor(name: string, x: unknown): asserts x is tf.Tensor {
  if (!(x instanceof tf.Tensor))
    throw new ShapeError(`${name} must be a tf.Tensor, got ${describe(x)}`, name);
  if ((x as tf.Tensor).isDisposed) throw new ValueError(`${name} is a disposed tensor`, name);
}

function normAxis(name: string, axis: number, rank: number): number {
  assertInteger(name, axis, -Math.max(rank, 1), Math.max(rank, 1) - 1);
  return axis < 0 ? axis + rank : axis;
}

type Unary = (x: T) => T;

/**
 * A unary op as a `tf.customGrad` that saves its *input* x and whose gradient `grad(dy, x)` is
 * built from differentiable ops of x (the saved clone of x is linked to x on the tape), so the
 * gradient itself can be differentiated.
 */
function unaryCustomGrad(forward: (x: T) => T, grad: (dy: T, x: T) => T): Unary {
  const f = (x: T, save: tf.GradSaveFunc) => {
    save([x]);
    return { value: forward(x), gradFunc: (dy: T, saved: T[]) => grad(dy, saved[0]) };
  };
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as Unary;
}

const expImpl: Unary = unaryCustomGrad(
  (x) => tf.exp(x),
  (dy, x) => tf.mul(dy, expImpl(x)),
);

/** `exp(x)` whose derivatives of every order are correct under nested `tf.grad` (tfjs#3252). */
export function safeExp<R extends T>(x: R): R {
  assertTensor('x', x);
  return expImpl(x) as R;
}

const sigmoidImpl: Unary = unaryCustomGrad(
  (x) => tf.sigmoid(x),
  (dy, x) => {
    const s = sigmoidImpl(x);
    return tf.mul(dy, tf.mul(s, tf.sub(1, s)));
  },
);

/** Logistic sigmoid σ(x) = 1/(1+e^{−x}) (stable forward; σ' = σ(1−σ) built from safe ops). */
export function safeSigmoid<R extends T>(x: R): R {
  assertTensor('x', x);
  return sigmoidImpl(x) as R;
}

const tanhImpl: Unary = unaryCustomGrad(
  (x) => tf.tanh(x),
  (dy, x) => {
    const t = tanhImpl(x);
    return tf.mul(dy, tf.sub(1, tf.square(t)));
  },
);

/** tanh(x) with tanh' = 1 − tanh² built from safe ops. */
export function safeTanh<R extends T>(x: R): R {
  assertTensor('x', x);
  return tanhImpl(x) as R;
}

// log1p(exp(x)) = max(x, 0) + log1p(exp(−|x|)), stable for large |x|
const softplusImpl: Unary = unaryCustomGrad(
  (x) => tf.tidy(() => tf.add(tf.relu(x), tf.log1p(tf.exp(tf.neg(tf.abs(x)))))),
  (dy, x) => tf.mul(dy, sigmoidImpl(x)),
);

/** softplus(x) = log(1 + eˣ), computed stably; derivative σ(x) via {@link safeSigmoid}. */
export function safeSoftplus<R extends T>(x: R): R {
  assertTensor('x', x);
  return softplusImpl(x) as R;
}

/** Finite max along `axis` (kept), with non-finite maxima replaced by 0: a constant shift. */
function stableShift(x: T, axis: number): T {
  return tf.tidy(() => {
    const m = tf.max(x, axis, true);
    return tf.where(tf.isFinite(m), m, tf.zerosLike(m));
  });
}

const softmaxImplCache = new Map<number, Unary>();
/** softmax along a fixed (non-negative) axis as a customGrad; 0 (not NaN) on all −∞ slices. */
function softmaxImpl(axis: number): Unary {
  const cached = softmaxImplCache.get(axis);
  if (cached) return cached;
  const g: Unary = unaryCustomGrad(
    (x) =>
      tf.tidy(() => {
        const e = tf.exp(tf.sub(x, stableShift(x, axis)));
        // the max entry contributes 1, so s ≥ 1 unless the slice is all −∞ (then e = 0: return 0, not 0/0)
        return tf.div(e, tf.maximum(tf.sum(e, axis, true), 1e-30));
      }),
    (dy, x) => {
      const s = g(x);
      // Jᵀdy = s ⊙ (dy − Σ dy ⊙ s)
      return tf.mul(s, tf.sub(dy, tf.sum(tf.mul(dy, s), axis, true)));
    },
  );
  softmaxImplCache.set(axis, g);
  return g;
}

const lseImplCache = new Map<number, Unary>();
/** logSumExp along a fixed axis, keeping the axis; −∞ on all −∞ slices, gradient 0 there. */
function lseImpl(axis: number): Unary {
  const cached = lseImplCache.get(axis);
  if (cached) return cached;
  const g: Unary = unaryCustomGrad(
    (x) =>
      tf.tidy(() => {
        const m = stableShift(x, axis);
        return tf.add(m, tf.log(tf.sum(tf.exp(tf.sub(x, m)), axis, true)));
      }),
    (dy, x) => tf.mul(dy, softmaxImpl(axis)(x)),
  );
  lseImplCache.set(axis, g);
  return g;
}

/**
 * log Σ exp(x) along `axis` (default −1), stable (max-shifted), with correct second derivatives.
 * A slice that is entirely −∞ gives −∞ (and a zero gradient, never NaN).
 *
 * ```ts
 * safeLogSumExp(tf.tensor2d([[0, 0]]), -1); // [log 2]
 * ```
 */
export function safeLogSumExp(x: T, axis = -1, keepDims = false): T {
  if (typeof keepDims !== 'boolean') throw new ValueError(`keepDims must be true or false, got ${describe(keepDims)}`, 'keepDims');
  assertTensor('x', x);
  const ax = normAxis('axis', axis, x.rank);
  if (keepDims) return lseImpl(ax)(x);
  return tf.tidy(() => tf.squeeze(lseImpl(ax)(x), [ax]));
}

/** softmax along `axis` (default −1) with correct second derivatives; an all −∞ slice gives zeros. */
export function safeSoftmax<R extends T>(x: R, axis = -1): R {
  assertTensor('x', x);
  return softmaxImpl(normAxis('axis', axis, x.rank))(x) as R;
}

const logSoftmaxImplCache = new Map<number, Unary>();
/** log-softmax along a fixed axis as a customGrad; −∞ entries on all −∞ slices. */
function logSoftmaxImpl(axis: number): Unary {
  const cached = logSoftmaxImplCache.get(axis);
  if (cached) return cached;
  const g: Unary = unaryCustomGrad(
    (x) =>
      tf.tidy(() => {
        const shifted = tf.sub(x, stableShift(x, axis));
        const l = tf.log(tf.sum(tf.exp(shifted), axis, true));
        // an all −∞ slice has l = −∞: subtract 0 there instead (−∞ − (−∞) would be NaN)
        return tf.sub(shifted, tf.where(tf.isFinite(l), l, tf.zerosLike(l)));
      }),
    // Jᵀdy = dy − softmax(x)·Σ dy
    (dy, x) => tf.sub(dy, tf.mul(softmaxImpl(axis)(x), tf.sum(dy, axis, true))),
  );
  logSoftmaxImplCache.set(axis, g);
  return g;
}

/**
 * log-softmax x − logSumExp(x) along `axis` (default −1) with correct second derivatives.
 * An all −∞ slice gives −∞ entries (and a zero gradient).
 */
export function safeLogSoftmax<R extends T>(x: R, axis = -1): R {
  assertTensor('x', x);
  return logSoftmaxImpl(normAxis('axis', axis, x.rank))(x) as R;
}

const LOWEST_FLOAT32 = -3.4028234663852886e38;

/** Reduction of {@link softmaxCrossEntropy}. */
export type Reduction = 'mean' | 'sum' | 'none';

/**
 * Softmax cross-entropy −Σ_c y_c log softmax(z)_c along the last axis, averaged over the batch by
 * default (the value equals `tf.losses.softmaxCrossEntropy`), with correct HVPs. Masked classes
 * (logit −∞) with label 0 contribute 0 (the stock loss returns NaN there).
 *
 * ```ts
 * const loss = softmaxCrossEntropy(oneHotLabels, logits); // scalar
 * ```
 */
export function softmaxCrossEntropy(labels: T, logits: T, options: { reduction?: Reduction } = {}): T {
  const { reduction = 'mean' as Reduction } = readOptions<{ reduction?: Reduction }>(options);
  assertTensor('labels', labels);
  assertTensor('logits', logits);
  if (labels.shape.join(',') !== logits.shape.join(',')) {
    throw new ShapeError(
      `labels must have the shape of logits [${logits.shape}], got [${labels.shape}]`,
      'labels',
    );
  }
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new ValueError(
      `reduction must be 'mean', 'sum' or 'none', got ${describe(reduction)}`,
      'reduction',
    );
  }
  return tf.tidy(() => {
    // clamp log p at float32's lowest finite value so that a masked class (logit −∞) with label 0
    // contributes 0, not 0·(−∞) = NaN; Maximum's gradient (a GreaterEqual mask) is second-order safe
    const logp = tf.maximum(safeLogSoftmax(logits, -1), LOWEST_FLOAT32);
    const per = tf.neg(tf.sum(tf.mul(labels, logp), -1));
    if (reduction === 'none') return per;
    return reduction === 'sum' ? tf.sum(per) : tf.mean(per);
  });
}

/**
 * √(Σ x² + ε) along `axis` (all axes by default): differentiable everywhere, including at 0
 * where `tf.norm`'s gradient is NaN. Default ε = 1e-12.
 */
export function safeNorm(
  x: T,
  options: { eps?: number; axis?: number; keepDims?: boolean } = {},
): T {
  const { eps = 1e-12, axis, keepDims = false } = readOptions<{ eps?: number; axis?: number; keepDims?: boolean }>(options);
  if (typeof keepDims !== 'boolean') throw new ValueError(`keepDims must be true or false, got ${describe(keepDims)}`, 'keepDims');
  assertTensor('x', x);
  assertPositive('eps', eps);
  if (axis !== undefined) normAxis('axis', axis, x.rank);
  return tf.tidy(() => tf.sqrt(tf.add(tf.sum(tf.square(x), axis, keepDims), eps)));
}

/**
 * Rows `indices` of a rank-2 tensor as a one-hot matmul (m × n)·(n × d), which is differentiable
 * on every backend (the gradient of `tf.gather` needs UnsortedSegmentSum, missing on wasm,
 * tfjs#8082). Indices may repeat.
 */
export function gatherRows(x: tf.Tensor2D, indices: ArrayLike<number>): tf.Tensor2D {
  assertTensor('x', x);
  if (x.rank !== 2) throw new ShapeError(`x must be a rank-2 tensor, got rank ${x.rank}`, 'x');
  if (indices == null || typeof indices.length !== 'number')
    throw new ShapeError(`indices must be an array of integers, got ${describe(indices)}`, 'indices');
  const n = x.shape[0];
  const m = indices.length;
  const oh = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    const j = indices[i];
    if (!Number.isInteger(j) || j < 0 || j >= n) {
      throw new ValueError(
        `indices must be integers in [0, ${n - 1}], got ${describe(j)} at index ${i}`,
        'indices',
      );
    }
    oh[i * n + j] = 1;
  }
  return tf.tidy(() => tf.matMul(tf.tensor2d(oh, [m, n]), x));
}

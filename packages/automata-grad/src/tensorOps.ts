/**
 * Small differentiable tensor helpers with the gradients planning needs on tfjs:
 * a max that splits the gradient evenly among ties (tf.max gives every tied entry the full
 * upstream gradient, which double-counts under max-plus where ties are common), and a square
 * root / Euclidean norm whose gradient is 0 instead of NaN at 0 (inside a region, the outside
 * part of a box distance is exactly 0).
 * @module
 */
import { tf } from '@descent/tensor/tf';

type CustomGradFn = (
  input: tf.Tensor,
  save: tf.GradSaveFunc,
) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor };

/** tf.customGrad for a unary function (its public typing does not express the save argument). */
function customGrad(f: CustomGradFn): (x: tf.Tensor) => tf.Tensor {
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (
    x: tf.Tensor,
  ) => tf.Tensor;
}

function normAxis(x: tf.Tensor, axis: number): number {
  return axis < 0 ? x.rank + axis : axis;
}

/**
 * max over `axis` (removed) with the sub-gradient split evenly among tied maxima:
 * ∂/∂x_i = 1{x_i = max}/#ties. Comparisons live inside the custom gradient, never on the tape.
 */
export function hardMax(x: tf.Tensor, axis: number): tf.Tensor {
  const ax = normAxis(x, axis);
  const f = customGrad((input: tf.Tensor, save: tf.GradSaveFunc) => {
    const m = tf.max(input, ax, true);
    save([input, m]);
    return {
      value: tf.squeeze(m, [ax]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, mk] = saved;
        const mask = tf.cast(tf.equal(xs, mk), 'float32');
        const cnt = tf.sum(mask, ax, true);
        return tf.mul(tf.expandDims(dy, ax), tf.div(mask, cnt));
      },
    };
  });
  return f(x);
}

/** min over `axis` with the tie-splitting sub-gradient of {@link hardMax}. */
export function hardMin(x: tf.Tensor, axis: number): tf.Tensor {
  return tf.neg(hardMax(tf.neg(x), axis));
}

/** √s with gradient 1/(2√s) for s > 0 and 0 at s = 0 (instead of ∞·0 = NaN downstream). */
export function safeSqrt(s: tf.Tensor): tf.Tensor {
  const f = customGrad((input: tf.Tensor, save: tf.GradSaveFunc) => {
    const r = tf.sqrt(tf.relu(input));
    save([r]);
    return {
      value: r,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [root] = saved;
        const pos = tf.cast(tf.greater(root, 0), 'float32');
        return tf.mul(dy, tf.div(pos, tf.add(tf.mul(root, 2), tf.sub(1, pos))));
      },
    };
  });
  return f(s);
}

/** Euclidean norm over the last axis, safe at 0 (gradient 0 there). */
export function safeNormLast(x: tf.Tensor): tf.Tensor {
  return safeSqrt(tf.sum(tf.square(x), -1));
}

/**
 * τ·log Σ exp(x/τ) over `axis` (removed) for FINITE inputs (the semiring zero is the finite
 * sentinel −1e9), as one custom op whose backward pass is dy·exp((x − y)/τ): a few kernels
 * instead of the ~12 of @descent/tensor's `safeLogSumExp`, which additionally handles −∞ and
 * second derivatives (use that one when you need an HVP). First-order only.
 */
export function softMaxReduce(x: tf.Tensor, axis: number, tau: number): tf.Tensor {
  const ax = normAxis(x, axis);
  const f = customGrad((input: tf.Tensor, save: tf.GradSaveFunc) => {
    const m = tf.max(input, ax, true);
    const z = tf.sub(input, m);
    const lse = tf.log(tf.sum(tf.exp(tau === 1 ? z : tf.div(z, tau)), ax, true));
    const y = tf.add(m, tau === 1 ? lse : tf.mul(lse, tau));
    save([input, y]);
    return {
      value: tf.squeeze(y, [ax]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const d = tf.sub(saved[0], saved[1]);
        return tf.mul(tf.expandDims(dy, ax), tf.exp(tau === 1 ? d : tf.div(d, tau)));
      },
    };
  });
  return f(x);
}

/** Elementwise soft-max of two tensors: τ·log(e^{a/τ} + e^{b/τ}) = max + τ·softplus(−|a−b|/τ). */
export function softMax2(a: tf.Tensor, b: tf.Tensor, tau: number): tf.Tensor {
  return tf.add(tf.maximum(a, b), tf.mul(tf.softplus(tf.div(tf.neg(tf.abs(tf.sub(a, b))), tau)), tau));
}

/** Elementwise soft-min of two tensors: −τ·log(e^{−a/τ} + e^{−b/τ}). */
export function softMin2(a: tf.Tensor, b: tf.Tensor, tau: number): tf.Tensor {
  return tf.sub(tf.minimum(a, b), tf.mul(tf.softplus(tf.div(tf.neg(tf.abs(tf.sub(a, b))), tau)), tau));
}

/**
 * Non-overlapping pooling (window = stride = `size`) over NHWC tensors, with gradients that can
 * be differentiated again.
 *
 * Max pooling: tfjs's `MaxPoolGrad` has no gradient of its own (and `tf.max`'s gradient uses
 * `Equal`, which has none), so Hessian-vector products through `tf.maxPool` fail. Here max
 * pooling is a custom op whose gradient routes dY to the window maxima through a mask computed
 * in the forward pass (a constant: the pooling is piecewise linear, so its second derivative is
 * 0 almost everywhere). On ties the gradient is shared equally among the tied entries (a valid
 * subgradient; PyTorch picks the first).
 *
 * Rows/columns that do not fill a whole window are dropped (`'valid'`), as in Keras/PyTorch.
 * @module
 */
import { assertInteger } from '@descent/tensor';
import { type Layer, assertInput } from '../layer';
import { tf } from '../tf';

type T = tf.Tensor;

function crop(x: T, s: number): T {
  const [n, h, w, c] = x.shape;
  const H = Math.floor(h / s) * s;
  const W = Math.floor(w / s) * s;
  return H === h && W === w ? x : tf.slice(x, [0, 0, 0, 0], [n, H, W, c]);
}

/** Nearest-neighbour upsampling of [N, h, w, C] by `s` (rank 4 throughout: fast on wasm). */
function upsample(y: T, s: number): T {
  const [, h, w] = y.shape;
  return tf.image.resizeNearestNeighbor(y as tf.Tensor4D, [h * s, w * s]);
}

/**
 * mask = [x is its window's max] / (number of maxima in the window); all rank-4 ops
 * (broadcasting rank-6 comparisons are very slow on wasm).
 */
function maxMask(x: T, y: T, s: number): T {
  return tf.tidy(() => {
    const eq = tf.cast(tf.equal(x, upsample(y, s)), 'float32');
    const count = upsample(tf.mul(tf.avgPool(eq as tf.Tensor4D, s, s, 'valid'), s * s), s);
    return tf.div(eq, count);
  });
}

const maxPoolOps = new Map<number, (x: T) => T>();
function maxPoolOp(s: number): (x: T) => T {
  const hit = maxPoolOps.get(s);
  if (hit) return hit;
  const op = tf.customGrad(((x: T, save: tf.GradSaveFunc) => {
    const y = tf.maxPool(x as tf.Tensor4D, s, s, 'valid');
    const mask = maxMask(x, y, s);
    save([mask]);
    return {
      value: y,
      gradFunc: (dy: T, saved: T[]) => tf.mul(upsample(dy, s), saved[0]),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: T) => T;
  maxPoolOps.set(s, op);
  return op;
}

/**
 * Max pooling of x [N, H, W, C] over non-overlapping `size`×`size` windows:
 * [N, ⌊H/size⌋, ⌊W/size⌋, C]. Differentiable to any order (see the module notes).
 */
export function maxPool(x: tf.Tensor4D, size: number): tf.Tensor4D {
  assertInput('x', x, 4);
  assertInteger('size', size, 1);
  return tf.tidy(() => maxPoolOp(size)(crop(x, size))) as tf.Tensor4D;
}

/**
 * Forward mode of {@link maxPool}: y = maxPool(x) and ẏ = Σ_window mask·ẋ, the tangent routed
 * from the window maxima (shared equally on ties, as the gradient). One op computes both, stacked
 * along the batch axis, so the mask is formed once; it is piecewise constant in x, so no
 * derivative flows through it, and the op's gradient routes each half back through the mask.
 */
function maxPoolJvp(x: tf.Tensor4D, dx: tf.Tensor4D | null, size: number): { y: T; dy: T | null } {
  const s = size;
  if (dx === null) return { y: maxPoolOp(s)(crop(x, s)), dy: null };
  const op = tf.customGrad(((xi: T, dxi: T, save: tf.GradSaveFunc) => {
    const y = tf.maxPool(xi as tf.Tensor4D, s, s, 'valid');
    const mask = maxMask(xi, y, s);
    save([mask]);
    const dy = tf.mul(tf.avgPool(tf.mul(dxi, mask) as tf.Tensor4D, s, s, 'valid'), s * s);
    return {
      value: tf.concat([y, dy], 0),
      gradFunc: (g: T, saved: T[]) => {
        const [gy, gdy] = tf.split(upsample(g, s), 2, 0);
        return [tf.mul(gy, saved[0]), tf.mul(gdy, saved[0])];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: T, dx: T) => T;
  const both = op(crop(x, s), crop(dx, s));
  const [y, dy] = tf.split(both, 2, 0);
  return { y, dy };
}

/** Average pooling of x [N, H, W, C] over non-overlapping `size`×`size` windows. */
export function avgPool(x: tf.Tensor4D, size: number): tf.Tensor4D {
  assertInput('x', x, 4);
  assertInteger('size', size, 1);
  return tf.tidy(() => {
    const xc = crop(x, size);
    const [n, h, w, c] = xc.shape;
    return tf.mean(tf.reshape(xc, [n, h / size, size, w / size, size, c]), [2, 4]);
  }) as tf.Tensor4D;
}

/** A parameter-free max-pooling layer (window = stride = `size`, default 2). */
export function maxPool2d(size = 2): Layer {
  assertInteger('size', size, 1);
  return {
    kind: 'maxPool',
    name: `maxPool${size}`,
    hasParams: false,
    init: () => ({}),
    apply: (_params, x) => {
      assertInput('x', x, 4);
      return maxPool(x as tf.Tensor4D, size);
    },
    jvp: (_params, _tangent, x, dx) => {
      assertInput('x', x, 4);
      return maxPoolJvp(x as tf.Tensor4D, dx as tf.Tensor4D | null, size);
    },
  };
}

/** A parameter-free average-pooling layer (window = stride = `size`, default 2). */
export function avgPool2d(size = 2): Layer {
  assertInteger('size', size, 1);
  return {
    kind: 'avgPool',
    name: `avgPool${size}`,
    hasParams: false,
    init: () => ({}),
    apply: (_params, x) => {
      assertInput('x', x, 4);
      return avgPool(x as tf.Tensor4D, size);
    },
    // linear: ẏ = avgPool(ẋ)
    jvp: (_params, _tangent, x, dx) => {
      assertInput('x', x, 4);
      return { y: avgPool(x as tf.Tensor4D, size), dy: dx === null ? null : avgPool(dx as tf.Tensor4D, size) };
    },
  };
}

/**
 * 2-D convolution (stride 1, NHWC) that trains on wasm and has exact second derivatives.
 *
 * tfjs's `conv2d` gradient needs `Conv2DBackpropFilter` (missing on wasm, tfjs#8474) and its
 * `Conv2DBackpropInput` is slow on wasm; neither has a gradient of its own. Here
 * `y = conv(x, W, p)` (pad p on each side, kernel k×k) is a custom op whose gradients are
 *
 *   ∂L/∂x = conv(dY, flipT(W), k − 1 − p)         (a forward conv with the flipped kernel,
 *                                                   flipT(W)[a,b,o,c] = W[k−1−a, k−1−b, c, o])
 *   ∂L/∂W = reshape(im2col(x)ᵀ · dY)              (im2col: patches [N·Ho·Wo, k·k·C])
 *
 * where im2col is itself a forward conv with a fixed one-hot kernel, and the transpose-conv of
 * a conv with padding p is a conv with padding k − 1 − p. Every gradient is built from forward
 * convs, explicit transposes and {@link fastMatMul}, so it can be differentiated again
 * (Hessian-vector products through CNNs) on every backend.
 * @module
 */
import { type Rng, ShapeError, ValueError, assertInteger, describe } from '@descent/tensor';
import { type Initializer, assertInitializer, initTensor } from '../init';
import { type Dual, type Layer, assertInput, groupTensors } from '../layer';
import type { TensorGroup } from '../tree';
import { fastMatMul } from '../tf';
import { tf } from '../tf';

type T = tf.Tensor;

/** conv2d(x, K) stride 1 with symmetric padding p (tfjs numeric padding). */
function rawConv(x: T, K: T, p: number): T {
  return tf.conv2d(x as tf.Tensor4D, K as tf.Tensor4D, 1, p);
}

/** flipT(K)[a, b, o, c] = K[k−1−a, k−1−b, c, o] (differentiable: reverse + transpose). */
function flipT(K: T): T {
  return tf.transpose(tf.reverse(K, [0, 1]), [0, 1, 3, 2]);
}

/**
 * Conv (stride 1, pad p) with a constant kernel as a single-input op whose gradient is the same
 * construction with the flipped, channel-swapped kernel and pad k − 1 − p (ops cached per key;
 * the small kernel tensor is rebuilt per call, so nothing persists between calls).
 */
const fixedConvCache = new Map<string, (x: T) => T>();
function fixedConv(key: string, makeKernel: () => T, k: number, p: number): (x: T) => T {
  const id = `${key}|${p}`;
  const hit = fixedConvCache.get(id);
  if (hit) return hit;
  const op = tf.customGrad(((x: T) => ({
    value: rawConv(x, makeKernel(), p),
    gradFunc: (dy: T) => fixedConv(`${key}T`, () => flipT(makeKernel()), k, k - 1 - p)(dy),
  })) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: T) => T;
  fixedConvCache.set(id, op);
  return op;
}

/** The one-hot im2col kernel [k, k, C, k·k·C]: channel (a·k + b)·C + c picks x[a, b, c]. */
function oneHotKernel(k: number, C: number): T {
  const q = k * k * C;
  const buf = new Float32Array(k * k * C * q);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      for (let c = 0; c < C; c++) {
        const out = (a * k + b) * C + c;
        buf[((a * k + b) * C + c) * q + out] = 1;
      }
    }
  }
  return tf.tensor4d(buf, [k, k, C, q]);
}

/**
 * Patches of `x` [N, H, W, C] for a k×k kernel with padding p (stride 1), as a
 * [N, Ho, Wo, k·k·C] tensor whose last axis is ordered like a flattened [k, k, C] kernel.
 * Differentiable to any order (its gradient is col2im, again a fixed-kernel conv).
 */
export function im2col(x: tf.Tensor4D, k: number, p: number): tf.Tensor4D {
  const C = x.shape[3];
  return fixedConv(`im2col|${k}|${C}`, () => oneHotKernel(k, C), k, p)(x) as tf.Tensor4D;
}

/** The trainable conv y = conv(x, W, p) as a custom op (one per padding p). */
const convOps = new Map<number, (x: T, W: T) => T>();
function convOp(p: number): (x: T, W: T) => T {
  const hit = convOps.get(p);
  if (hit) return hit;
  const op = tf.customGrad(((x: T, W: T, save: tf.GradSaveFunc) => {
    save([x, W]);
    return {
      value: rawConv(x, W, p),
      gradFunc: (dy: T, saved: T[]) => {
        const [xs, Ws] = saved;
        const k = Ws.shape[0];
        // ∂L/∂x: a forward conv of dY with the flipped kernel
        const dx = convOp(k - 1 - p)(dy, flipT(Ws));
        // ∂L/∂W = im2col(x)ᵀ · dY
        return [dx, filterGrad(xs, dy, Ws.shape, p)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: T, W: T) => T;
  convOps.set(p, op);
  return op;
}

/** ∂L/∂W = reshape(im2col(x)ᵀ · dY) for y = conv(x, W, p). */
function filterGrad(x: T, dy: T, kernelShape: number[], p: number): T {
  const [k, , C, O] = kernelShape;
  const patches = im2col(x as tf.Tensor4D, k, p);
  const rows = patches.shape[0] * patches.shape[1] * patches.shape[2];
  const P2 = tf.reshape(patches, [rows, k * k * C]);
  return tf.reshape(fastMatMul(tf.transpose(P2), tf.reshape(dy, [rows, O])), kernelShape);
}

/**
 * conv(x, K, p) as a function of x alone (K a constant): its gradient is only
 * ∂L/∂x = conv(dY, flipT(K), k − 1 − p) (no filter gradient is computed). Forward mode uses it
 * for x·Ẇ-like terms, whose kernel is the fixed direction.
 */
function convOfInput(x: T, K: T, p: number): T {
  const k = K.shape[0];
  const op = tf.customGrad(((xi: T) => ({
    value: rawConv(xi, K, p),
    gradFunc: (dy: T) => convOfInput(dy, flipT(K), k - 1 - p),
  })) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: T) => T;
  return op(x);
}

/**
 * conv(x, W, p) as a function of W alone (x constant data): its gradient is only the filter
 * gradient (no ∂L/∂x for an input that does not depend on the parameters).
 */
function convOfKernel(x: T, W: T, p: number): T {
  const op = tf.customGrad(((Wi: T) => ({
    value: rawConv(x, Wi, p),
    gradFunc: (dy: T) => filterGrad(x, dy, Wi.shape, p),
  })) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (W: T) => T;
  return op(W);
}

/**
 * Forward mode of {@link conv2dStride1}: y = conv(x, W), ẏ = conv(ẋ, W) + conv(x, Ẇ)
 * (bilinear). `dx: null` means x is data (independent of the parameters): then no input
 * gradient is ever formed for it.
 */
export function conv2dJvp(x: T, dx: T | null, W: T, dW: T, pad: number): { y: T; dy: T } {
  const y = dx === null ? convOfKernel(x, W, pad) : convOp(pad)(x, W);
  let dy = convOfInput(x, dW, pad);
  if (dx !== null) dy = tf.add(dy, convOp(pad)(dx, W));
  return { y, dy };
}

/**
 * Stride-1 convolution of x [N, H, W, C] with kernel [k, k, C, O] and symmetric zero padding
 * `pad` (0 ≤ pad ≤ k − 1; `(k − 1)/2` keeps the size for odd k): output
 * [N, H + 2·pad − k + 1, W + 2·pad − k + 1, O]. Trains on wasm and has exact second derivatives
 * (see the module notes).
 */
export function conv2dStride1(x: tf.Tensor4D, kernel: tf.Tensor4D, pad: number): tf.Tensor4D {
  if (!(x instanceof tf.Tensor) || x.rank !== 4)
    throw new ShapeError(`x must be a rank-4 tensor [N, H, W, C], got ${describe(x)}`, 'x');
  if (!(kernel instanceof tf.Tensor) || kernel.rank !== 4) {
    throw new ShapeError(`kernel must be a rank-4 tensor [k, k, C, O], got ${describe(kernel)}`, 'kernel');
  }
  const [kh, kw, C] = kernel.shape;
  if (kh !== kw) throw new ShapeError(`kernel must be square, got [${kernel.shape}]`, 'kernel');
  if (C !== x.shape[3])
    throw new ShapeError(`kernel must have ${x.shape[3]} input channels (those of x), got ${C}`, 'kernel');
  assertInteger('pad', pad, 0, kh - 1);
  if (x.shape[1] + 2 * pad < kh || x.shape[2] + 2 * pad < kh) {
    throw new ShapeError(`x [${x.shape}] is smaller than the kernel ${kh}×${kh} with pad ${pad}`, 'x');
  }
  return convOp(pad)(x, kernel) as tf.Tensor4D;
}

/** Options of {@link conv2d}. */
export interface Conv2dOptions {
  /** Input channels C. */
  inChannels: number;
  /** Output channels O (filters). */
  outChannels: number;
  /** Kernel size k (square k×k). */
  kernelSize: number;
  /** `'same'` (pad (k−1)/2, k odd; default) or `'valid'` (no padding). Stride is always 1. */
  padding?: 'same' | 'valid';
  /** Kernel initialisation (default `'heNormal'`, fanIn = k·k·C). */
  init?: Initializer;
  /** Add a bias per output channel (default true; zeros). */
  bias?: boolean;
}

/**
 * A convolution layer (stride 1, NHWC): group `{ W: [k, k, C, O], b: [O] }`. Use pooling layers
 * to downsample.
 *
 * ```ts
 * const layer = conv2d({ inChannels: 1, outChannels: 8, kernelSize: 3 }); // 'same' padding
 * ```
 */
export function conv2d(options: Conv2dOptions): Layer {
  const {
    inChannels,
    outChannels,
    kernelSize,
    padding = 'same',
    init = 'heNormal',
    bias = true,
  } = options ?? ({} as Conv2dOptions);
  assertInteger('inChannels', inChannels, 1);
  assertInteger('outChannels', outChannels, 1);
  assertInteger('kernelSize', kernelSize, 1);
  if (padding !== 'same' && padding !== 'valid') {
    throw new ValueError(`padding must be 'same' or 'valid', got ${describe(padding)}`, 'padding');
  }
  if (padding === 'same' && kernelSize % 2 === 0) {
    throw new ValueError(`kernelSize must be odd with padding 'same', got ${kernelSize}`, 'kernelSize');
  }
  assertInitializer('init', init);
  const pad = padding === 'same' ? (kernelSize - 1) / 2 : 0;
  const name = `conv${kernelSize}x${kernelSize}(${inChannels}→${outChannels}, ${padding})`;
  return {
    kind: 'conv',
    name,
    hasParams: true,
    init(rng: Rng): TensorGroup {
      const W = initTensor(init, [kernelSize, kernelSize, inChannels, outChannels], rng.fold('W'));
      return bias ? { W, b: tf.zeros([outChannels]) } : { W };
    },
    apply(params, x) {
      assertInput('x', x, 4, [inChannels]);
      if (x.rank !== 4)
        throw new ShapeError(
          `x must be a rank-4 tensor [N, H, W, ${inChannels}], got shape [${x.shape}]`,
          'x',
        );
      const [W] = groupTensors(name, params, ['W']);
      return tf.tidy(() => {
        const y = conv2dStride1(x as tf.Tensor4D, W as tf.Tensor4D, pad);
        return bias ? tf.add(y, groupTensors(name, params, ['b'])[0]) : y;
      });
    },
    jvp(params, tangent, x, dx): Dual {
      assertInput('x', x, 4, [inChannels]);
      if (x.rank !== 4)
        throw new ShapeError(
          `x must be a rank-4 tensor [N, H, W, ${inChannels}], got shape [${x.shape}]`,
          'x',
        );
      const keys = bias ? ['W', 'b'] : ['W'];
      const [W, b] = groupTensors(name, params, keys);
      const [VW, Vb] = groupTensors(name, tangent, keys);
      const r = conv2dJvp(x, dx, W, VW, pad);
      return bias ? { y: tf.add(r.y, b), dy: tf.add(r.dy, Vb) } : r;
    },
  };
}

/**
 * Reverse-mode autodiff over tfjs on flat parameter vectors and named tensors, and
 * Hessian-vector products by double backprop. Inputs are float64 typed arrays (converted to
 * float32 tensors); outputs are read back into Float64Array. Nothing leaks: every tensor made
 * here is disposed before returning (tensors passed in are never disposed).
 *
 * Second derivatives through tfjs's exp/sigmoid/tanh/softmax/logSoftmax/logSumExp are wrong or
 * throw (tfjs#3252): build `f` from the ops of `safeOps.ts` when you need {@link hvp}.
 * @module
 */
import { tf } from './backend';
import { withTapeCleanup } from './tape';
import { matrixToTensor } from './tensors';
import {
  Matrix,
  type MatrixLike,
  NotSupportedError,
  ShapeError,
  ValueError,
  assertAllFinite,
  assertPositive,
  describe,
  readMatrix,
  readOptions,
} from '@descent/tensor';

/** A flat parameter vector: float64/other typed array, a number array or a rank-1 tensor. */
export type VectorInput = Float64Array | Float32Array | number[] | tf.Tensor;

/** A scalar function of a rank-1 tensor, built from tfjs ops. */
export type ScalarFn = (x: tf.Tensor1D) => tf.Scalar | tf.Tensor;

/** Value and gradient of a scalar function at a point. */
export interface ValueAndGrad {
  /** f(x). */
  value: number;
  /** ∇f(x) (float64 copy of the float32 autodiff gradient). */
  grad: Float64Array;
}

/** Options shared by the autodiff helpers. */
export interface AutodiffOptions {
  /** Return non-finite values/gradients instead of throwing {@link ValueError} (default false). */
  allowNonFinite?: boolean;
}

/** Makes a float32 rank-1 tensor from `x` (owned by the caller unless `x` is already a tensor). */
function toVectorTensor(name: string, x: VectorInput): { t: tf.Tensor1D; owned: boolean } {
  if (x instanceof tf.Tensor) {
    if (x.isDisposed) throw new ValueError(`${name} is a disposed tensor`, name);
    if (x.rank !== 1) throw new ShapeError(`${name} must be a rank-1 tensor, got rank ${x.rank}`, name);
    if (x.dtype === 'float32') return { t: x as tf.Tensor1D, owned: false };
    return { t: tf.cast(x, 'float32') as tf.Tensor1D, owned: true };
  }
  if (x == null || typeof (x as ArrayLike<number>).length !== 'number' || typeof x === 'string') {
    throw new ShapeError(
      `${name} must be a Float64Array, a number array or a rank-1 tensor, got ${describe(x)}`,
      name,
    );
  }
  const a = x as ArrayLike<number>;
  if (a.length === 0) throw new ShapeError(`${name} must be non-empty, got length 0`, name);
  const f = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ValueError(
        `${name} must contain only finite numbers, got ${describe(v)} at index ${i}`,
        name,
      );
    }
    f[i] = v;
  }
  return { t: tf.tensor1d(f, 'float32'), owned: true };
}

/** Records a non-scalar output instead of throwing inside a tape (see {@link asScalar}). */
interface ShapeFlag {
  bad: number[] | null;
}

/**
 * `y` as a rank-0 tensor. A non-scalar `y` is summed and flagged, and the caller throws *after*
 * the gradient completes: throwing inside `tf.grad` would leave the tape's saved tensors
 * undisposed (a tfjs behaviour).
 */
function asScalar(y: unknown, flag: ShapeFlag): tf.Tensor {
  if (!(y instanceof tf.Tensor)) throw new ValueError(`f must return a tf.Tensor, got ${describe(y)}`, 'f');
  if (y.size !== 1) {
    flag.bad = y.shape;
    return tf.sum(y);
  }
  return y.rank === 0 ? y : tf.reshape(y, []);
}

function throwIfFlagged(flag: ShapeFlag): void {
  if (flag.bad) {
    const shape = flag.bad;
    flag.bad = null;
    throw new ShapeError(`f must return a scalar tensor, got shape [${shape}]`, 'f');
  }
}

/** Reads {@link AutodiffOptions} (an options object; `allowNonFinite` true or false). */
function readAutodiffOptions(options: unknown): AutodiffOptions {
  const o = readOptions<AutodiffOptions>(options);
  if (o.allowNonFinite !== undefined && typeof o.allowNonFinite !== 'boolean') {
    throw new ValueError(
      `options.allowNonFinite must be true or false, got ${describe(o.allowNonFinite)}`,
      'options.allowNonFinite',
    );
  }
  return o;
}

function checkFinite(what: string, arr: ArrayLike<number>, allow: boolean): void {
  if (allow) return;
  for (let i = 0; i < arr.length; i++) {
    if (!Number.isFinite(arr[i])) {
      throw new ValueError(
        `${what} is not finite: got ${describe(arr[i])}${arr.length > 1 ? ` at index ${i}` : ''}`,
        'f',
      );
    }
  }
}

/**
 * Wraps a scalar function of a rank-1 tensor into `x ↦ { value, grad }` on float64 arrays.
 *
 * ```ts
 * const vg = valueAndGrad((x) => tf.sum(tf.square(x)));
 * vg(new Float64Array([1, 2])); // { value: 5, grad: Float64Array [2, 4] }
 * ```
 */
export function valueAndGrad(f: ScalarFn, options: AutodiffOptions = {}): (x: VectorInput) => ValueAndGrad {
  if (typeof f !== 'function') throw new ValueError(`f must be a function, got ${describe(f)}`, 'f');
  readAutodiffOptions(options);
  const flag: ShapeFlag = { bad: null };
  const vg = tf.valueAndGrad((x: tf.Tensor) => asScalar(f(x as tf.Tensor1D), flag));
  return (x) => {
    const { t, owned } = toVectorTensor('x', x);
    let value = Number.NaN;
    let grad: Float64Array = new Float64Array(0);
    flag.bad = null;
    try {
      withTapeCleanup(() =>
        tf.tidy(() => {
          const r = vg(t);
          value = r.value.dataSync()[0];
          grad = Float64Array.from(r.grad.dataSync());
        }),
      );
    } finally {
      if (owned) t.dispose();
    }
    throwIfFlagged(flag);
    checkFinite('f(x)', [value], options.allowNonFinite ?? false);
    checkFinite('the gradient of f', grad, options.allowNonFinite ?? false);
    return { value, grad };
  };
}

/** Just the gradient (see {@link valueAndGrad}). */
export function grad(f: ScalarFn, options: AutodiffOptions = {}): (x: VectorInput) => Float64Array {
  const vg = valueAndGrad(f, options);
  return (x) => vg(x).grad;
}

/** Per-row values and gradients of a row-wise function (see {@link valueAndGradRows}). */
export interface RowValuesAndGrads {
  /** f(X)ᵢ for each row i. */
  values: Float64Array;
  /** ∇ₓᵢ f(X)ᵢ as the rows of an n × d matrix. */
  grads: Matrix;
}

/**
 * Batched value and gradient for many points at once (particles, a population, restarts):
 * `f` maps an n × d tensor to n values **where value i depends on row i only** (e.g. a log
 * density applied row-wise). One backward pass of Σᵢ f(X)ᵢ then gives every row's gradient.
 * If rows interact, the result is the gradient of the sum, not per-row gradients.
 *
 * ```ts
 * const scores = valueAndGradRows((X) => tf.mul(-0.5, tf.sum(tf.square(X), 1)));
 * scores(particles).grads; // ∇log p(xᵢ) = −xᵢ for a standard normal
 * ```
 */
export function valueAndGradRows(
  f: (X: tf.Tensor2D) => tf.Tensor,
  options: AutodiffOptions = {},
): (X: MatrixLike) => RowValuesAndGrads {
  if (typeof f !== 'function') throw new ValueError(`f must be a function, got ${describe(f)}`, 'f');
  readAutodiffOptions(options);
  return (X) => {
    const M = readMatrix(X, 'X');
    if (M.rows === 0 || M.cols === 0)
      throw new ShapeError(`X must be non-empty, got ${M.rows}x${M.cols}`, 'X');
    assertAllFinite('X', M.data);
    const n = M.rows;
    const Xt = matrixToTensor(M);
    let values: Float64Array = new Float64Array(0);
    let grads = new Matrix(n, M.cols);
    let badShape: number[] | null = null;
    try {
      withTapeCleanup(() =>
        tf.tidy(() => {
          let out: tf.Tensor | null = null;
          const g = tf.grad((Z: tf.Tensor) => {
            const y = f(Z as tf.Tensor2D);
            if (!(y instanceof tf.Tensor))
              throw new ValueError(`f must return a tf.Tensor, got ${describe(y)}`, 'f');
            // a wrong count is reported after the backward pass (throwing inside would leak the tape)
            if (y.size !== n) badShape = y.shape;
            out = tf.keep(y);
            return tf.sum(y);
          })(Xt);
          try {
            values = Float64Array.from((out as unknown as tf.Tensor).dataSync());
          } finally {
            (out as unknown as tf.Tensor | null)?.dispose();
          }
          grads = new Matrix(n, M.cols, Float64Array.from(g.dataSync()));
        }),
      );
    } finally {
      Xt.dispose();
    }
    if (badShape)
      throw new ShapeError(`f must return ${n} values (one per row of X), got shape [${badShape}]`, 'f');
    checkFinite('f(X)', values, options.allowNonFinite ?? false);
    checkFinite('the gradient of f', grads.data, options.allowNonFinite ?? false);
    return { values, grads };
  };
}

/** Named tensors (e.g. the weights of a network). */
export type NamedTensors = Record<string, tf.Tensor>;

/** Value and named gradients (tensors owned by the caller: dispose with `tf.dispose(grads)`). */
export interface ValueAndGrads {
  /** f(params). */
  value: number;
  /** ∂f/∂params[name] for every name (tensors owned by the caller). */
  grads: NamedTensors;
}

/**
 * Value and gradients of a scalar function of named tensors. The returned gradient tensors belong
 * to the caller (`tf.dispose(r.grads)`); nothing else is kept.
 *
 * ```ts
 * const vg = valueAndGrads(({ W, b }) => tf.sum(tf.square(tf.add(tf.matMul(X, W), b))));
 * const { value, grads } = vg({ W, b }); tf.dispose(grads);
 * ```
 */
export function valueAndGrads(
  f: (params: NamedTensors) => tf.Scalar | tf.Tensor,
  options: AutodiffOptions = {},
): (params: NamedTensors) => ValueAndGrads {
  if (typeof f !== 'function') throw new ValueError(`f must be a function, got ${describe(f)}`, 'f');
  readAutodiffOptions(options);
  return (params) => {
    if (params == null || typeof params !== 'object' || params instanceof tf.Tensor) {
      throw new ShapeError(`params must be a record of named tensors, got ${describe(params)}`, 'params');
    }
    const names = Object.keys(params);
    if (names.length === 0) throw new ShapeError('params must contain at least one tensor, got {}', 'params');
    for (const k of names) {
      const p = params[k];
      if (!(p instanceof tf.Tensor))
        throw new ShapeError(`params.${k} must be a tf.Tensor, got ${describe(p)}`, `params.${k}`);
      if (p.isDisposed) throw new ValueError(`params.${k} is a disposed tensor`, `params.${k}`);
    }
    let value = Number.NaN;
    const grads: NamedTensors = {};
    const flag: ShapeFlag = { bad: null };
    withTapeCleanup(() =>
      tf.tidy(() => {
        const inputs = names.map((k) => params[k]);
        const r = tf.valueAndGrads((...xs: tf.Tensor[]) => {
          const rec: NamedTensors = {};
          names.forEach((k, i) => {
            rec[k] = xs[i];
          });
          return asScalar(f(rec), flag);
        })(inputs);
        value = r.value.dataSync()[0];
        if (flag.bad) return;
        names.forEach((k, i) => {
          grads[k] = tf.keep(r.grads[i]);
        });
      }),
    );
    throwIfFlagged(flag);
    if (!(options.allowNonFinite ?? false)) {
      try {
        checkFinite('f(params)', [value], false);
        for (const k of names)
          checkFinite(`the gradient of f w.r.t. params.${k}`, grads[k].dataSync(), false);
      } catch (e) {
        tf.dispose(grads);
        throw e;
      }
    }
    return { value, grads };
  };
}

/** Options of {@link hvp}. */
export interface HvpOptions extends AutodiffOptions {
  /**
   * `'autodiff'` (default): double backprop, ∇⟨∇f(x), v⟩ (needs second-order-safe ops);
   * `'fd'`: central difference of autodiff gradients [∇f(x+εv) − ∇f(x−εv)]/(2ε).
   */
  mode?: 'autodiff' | 'fd';
  /** For `mode: 'fd'`: the length ‖εv‖ of the probe step (default 1e-2, best in float32 per the notes). */
  fdStep?: number;
}

/**
 * Hessian-vector product ∇²f(x)·v.
 *
 * ```ts
 * hvp((x) => tf.sum(tf.pow(x, 3)), [1, 2], [1, 0]); // [6, 0]
 * ```
 */
export function hvp(f: ScalarFn, x: VectorInput, v: VectorInput, options: HvpOptions = {}): Float64Array {
  if (typeof f !== 'function') throw new ValueError(`f must be a function, got ${describe(f)}`, 'f');
  readAutodiffOptions(options);
  const mode = options.mode ?? 'autodiff';
  if (mode !== 'autodiff' && mode !== 'fd')
    throw new ValueError(`mode must be 'autodiff' or 'fd', got ${describe(mode)}`, 'mode');
  const allow = options.allowNonFinite ?? false;
  const xs = toVectorTensor('x', x);
  let vs: { t: tf.Tensor1D; owned: boolean };
  try {
    vs = toVectorTensor('v', v);
  } catch (e) {
    if (xs.owned) xs.t.dispose();
    throw e;
  }
  let out: Float64Array = new Float64Array(0);
  try {
    if (vs.t.size !== xs.t.size)
      throw new ShapeError(`v must have length ${xs.t.size} (the length of x), got length ${vs.t.size}`, 'v');
    const flag: ShapeFlag = { bad: null };
    const scalarF = (z: tf.Tensor) => asScalar(f(z as tf.Tensor1D), flag);
    if (mode === 'autodiff') {
      try {
        tf.tidy(() => {
          const g = tf.grad(scalarF);
          const h = tf.grad((z: tf.Tensor) => tf.sum(tf.mul(g(z), vs.t)))(xs.t);
          out = Float64Array.from(h.dataSync());
        });
      } catch (e) {
        if (/Cannot compute gradient/.test(String(e))) {
          throw new NotSupportedError(
            `the second derivative of f is not available in tfjs (${(e as Error).message.slice(0, 80)}…): build f from the safe ops (safeExp, safeSigmoid, safeTanh, safeSoftmax, ...; tfjs#3252) or use { mode: 'fd' }`,
            'f',
          );
        }
        throw e;
      }
    } else {
      const fdStep = options.fdStep ?? 1e-2;
      assertPositive('fdStep', fdStep);
      tf.tidy(() => {
        const vnorm = tf.norm(vs.t).dataSync()[0];
        if (vnorm === 0) {
          out = new Float64Array(xs.t.size);
          return;
        }
        const eps = fdStep / vnorm;
        const g = tf.grad(scalarF);
        const gp = g(tf.add(xs.t, tf.mul(vs.t, eps)));
        const gm = g(tf.sub(xs.t, tf.mul(vs.t, eps)));
        const a = gp.dataSync();
        const b = gm.dataSync();
        out = new Float64Array(a.length);
        for (let i = 0; i < a.length; i++) out[i] = (a[i] - b[i]) / (2 * eps);
      });
    }
    throwIfFlagged(flag);
  } finally {
    if (xs.owned) xs.t.dispose();
    if (vs.owned) vs.t.dispose();
  }
  checkFinite('the Hessian-vector product', out, allow);
  return out;
}

/**
 * The full Hessian ∇²f(x) as a d × d {@link Matrix}, one double-backprop HVP per basis vector
 * (d passes: for small d, tests and diagnostics), symmetrised as (H + Hᵀ)/2.
 *
 * ```ts
 * hessian((x) => tf.sum(tf.pow(x, 3)), [1, 2]); // diag(6, 12)
 * ```
 */
export function hessian(f: ScalarFn, x: VectorInput, options: HvpOptions = {}): Matrix {
  if (typeof f !== 'function') throw new ValueError(`f must be a function, got ${describe(f)}`, 'f');
  readAutodiffOptions(options);
  const { t, owned } = toVectorTensor('x', x);
  try {
    const d = t.size;
    const H = new Matrix(d, d);
    const e = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      e.fill(0);
      e[j] = 1;
      const col = hvp(f, t, e, options);
      for (let i = 0; i < d; i++) H.data[i * d + j] = col[i];
    }
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < i; j++) {
        const m = 0.5 * (H.data[i * d + j] + H.data[j * d + i]);
        H.data[i * d + j] = m;
        H.data[j * d + i] = m;
      }
    }
    return H;
  } finally {
    if (owned) t.dispose();
  }
}

/**
 * Splits a flat rank-1 tensor into named tensors of the given shapes (slice + reshape, both
 * differentiable), in the key order of `shapes`. Use inside `f` to keep flat-vector optimizers.
 *
 * ```ts
 * const { W, b } = unflatten(x, { W: [3, 2], b: [2] });
 * ```
 */
export function unflatten(x: tf.Tensor1D, shapes: Record<string, number[]>): NamedTensors {
  const total = flatSize(shapes);
  if (!(x instanceof tf.Tensor) || x.isDisposed)
    throw new ValueError(`x must be a live rank-1 tensor, got ${describe(x)}`, 'x');
  if (x.rank !== 1 || x.size !== total)
    throw new ShapeError(`x must be a rank-1 tensor of length ${total}, got shape [${x.shape}]`, 'x');
  const out: NamedTensors = {};
  let off = 0;
  for (const [k, sh] of Object.entries(shapes)) {
    const n = sh.reduce((a, b) => a * b, 1);
    out[k] = tf.reshape(tf.slice(x, [off], [n]), sh);
    off += n;
  }
  return out;
}

/** Total length of the parameters described by `shapes` (see {@link unflatten}). */
export function flatSize(shapes: Record<string, number[]>): number {
  if (
    shapes === null ||
    typeof shapes !== 'object' ||
    Array.isArray(shapes) ||
    Object.keys(shapes).length === 0
  ) {
    throw new ValueError(
      `shapes must be an object of named shapes { W: [3, 2], b: [2] }, got ${describe(shapes)}`,
      'shapes',
    );
  }
  for (const [k, sh] of Object.entries(shapes)) {
    if (!Array.isArray(sh) || sh.some((n) => !Number.isInteger(n) || n < 0)) {
      throw new ValueError(
        `shapes.${k} must be a shape (an array of integers >= 0), got ${describe(sh)}`,
        `shapes.${k}`,
      );
    }
  }
  return Object.values(shapes).reduce((s, sh) => s + sh.reduce((a, b) => a * b, 1), 0);
}

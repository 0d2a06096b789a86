/**
 * Central finite differences in float64 for functions on Float64Array. The checkers comparing
 * tfjs autodiff against them (`checkGrad`, `checkHvp`) are in `@descent/tensor/tf`.
 * @module
 */
import { ShapeError, ValueError, assertPositive, describe } from './errors';
import { readVector } from './input';
import { readOptions } from './options/read';

function readVec(name: string, x: unknown): Float64Array {
  return readVector(x, name, { copy: true });
}

function callScalar(f: (x: Float64Array) => number, x: Float64Array): number {
  const y = f(x);
  if (typeof y !== 'number' || !Number.isFinite(y))
    throw new ValueError(`f must return a finite number, got ${describe(y)}`, 'f');
  return y;
}

/** Options of {@link fdGrad}. */
export interface FdOptions {
  /** Relative step: coordinate i moves by h·max(1, |xᵢ|) (default 6e-6 ≈ ε^{1/3}, optimal for central differences in float64). */
  h?: number;
}

/**
 * Central-difference gradient [f(x + hᵢeᵢ) − f(x − hᵢeᵢ)]/(2hᵢ), 2d evaluations, O(h²) error.
 *
 * ```ts
 * fdGrad((x) => x[0] ** 2 + 3 * x[1], [1, 2]); // ≈ [2, 3]
 * ```
 */
export function fdGrad(
  f: (x: Float64Array) => number,
  x: ArrayLike<number>,
  options: FdOptions = {},
): Float64Array {
  const { h = 6e-6 } = readOptions<FdOptions>(options);
  if (typeof f !== 'function') throw new ValueError(`f must be a function, got ${describe(f)}`, 'f');
  assertPositive('h', h);
  const x0 = readVec('x', x);
  const g = new Float64Array(x0.length);
  const z = Float64Array.from(x0);
  for (let i = 0; i < x0.length; i++) {
    const hi = h * Math.max(1, Math.abs(x0[i]));
    // f gets its own copy each time, so it may keep or modify its argument
    z[i] = x0[i] + hi;
    const fp = callScalar(f, z.slice());
    z[i] = x0[i] - hi;
    const fm = callScalar(f, z.slice());
    z[i] = x0[i];
    g[i] = (fp - fm) / (2 * hi);
  }
  return g;
}

/** Options of {@link fdHvp}. */
export interface FdHvpOptions {
  /** Step length ‖εv‖ (default 1e-5·max(1, ‖x‖) with `grad`, 1e-4·max(1, ‖x‖) without). */
  h?: number;
  /** The gradient of f (exact or autodiff); without it, gradients are themselves central differences. */
  grad?: (x: Float64Array) => ArrayLike<number>;
}

/**
 * Central-difference Hessian-vector product [∇f(x + εv) − ∇f(x − εv)]/(2ε) in float64, with
 * ∇f from `options.grad` or from {@link fdGrad}.
 */
export function fdHvp(
  f: (x: Float64Array) => number,
  x: ArrayLike<number>,
  v: ArrayLike<number>,
  options: FdHvpOptions = {},
): Float64Array {
  readOptions(options);
  const x0 = readVec('x', x);
  const v0 = readVec('v', v);
  if (v0.length !== x0.length)
    throw new ShapeError(`v must have length ${x0.length} (the length of x), got length ${v0.length}`, 'v');
  let xn = 0;
  let vn = 0;
  for (let i = 0; i < x0.length; i++) {
    xn += x0[i] * x0[i];
    vn += v0[i] * v0[i];
  }
  xn = Math.sqrt(xn);
  vn = Math.sqrt(vn);
  if (vn === 0) return new Float64Array(x0.length);
  const g = options.grad ?? ((z: Float64Array) => fdGrad(f, z, { h: 1e-5 }));
  const step = options.h ?? (options.grad ? 1e-5 : 1e-4) * Math.max(1, xn);
  assertPositive('h', step);
  const eps = step / vn;
  const xp = new Float64Array(x0.length);
  const xm = new Float64Array(x0.length);
  for (let i = 0; i < x0.length; i++) {
    xp[i] = x0[i] + eps * v0[i];
    xm[i] = x0[i] - eps * v0[i];
  }
  const gp = g(xp);
  const gm = g(xm);
  if (gp.length !== x0.length || gm.length !== x0.length) {
    throw new ShapeError(`grad must return length ${x0.length}, got length ${gp.length}`, 'grad');
  }
  const out = new Float64Array(x0.length);
  for (let i = 0; i < out.length; i++) out[i] = (gp[i] - gm[i]) / (2 * eps);
  return out;
}

/**
 * Max relative error max_i |aᵢ − bᵢ| / max(‖b‖∞, floor) of `a` against the reference `b`
 * (normwise in ∞-norm, so tiny components do not blow up the ratio).
 */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-12): number {
  const av = readVector(a, 'a', { allowEmpty: true });
  const bv = readVector(b, 'b', { length: av.length, allowEmpty: true });
  assertPositive('floor', floor);
  a = av;
  b = bv;
  if (a.length !== b.length)
    throw new ShapeError(`a must have length ${b.length} (the length of b), got length ${a.length}`, 'a');
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / Math.max(den, floor);
}

/** Result of `checkGrad` / `checkHvp` of `@descent/tensor/tf`: autodiff against finite differences. */
export interface DerivativeCheck {
  /** Max relative error of the autodiff value against the finite difference (see {@link maxRelativeError}). */
  maxRelError: number;
  /** `maxRelError <= tol`. */
  ok: boolean;
  /** The autodiff result. */
  autodiff: Float64Array;
  /** The finite-difference result. */
  finiteDiff: Float64Array;
}

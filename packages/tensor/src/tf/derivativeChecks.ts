/**
 * Checkers comparing tfjs autodiff gradients and HVPs against finite differences (for tests).
 * @module
 */
import { type DerivativeCheck, fdGrad, maxRelativeError, readOptions, readVector } from '@descent/tensor';
import { type ScalarFn, type VectorInput, hvp, valueAndGrad } from './autodiff';
import { tf } from './backend';

function readVec(name: string, x: unknown): Float64Array {
  return readVector(x, name, { copy: true });
}

/** Evaluates a tensor function at a float64 point (float32 internally). */
function evalTensorFn(f: ScalarFn, x: Float64Array): number {
  return tf.tidy(() => {
    const y = f(tf.tensor1d(Float32Array.from(x)));
    return y.dataSync()[0];
  });
}

/** Options of {@link checkGrad}. */
export interface CheckGradOptions {
  /** Pass threshold for `ok` (default 1e-3). */
  tol?: number;
  /** Central-difference step per coordinate (default 1e-2·max(1, |xᵢ|): tfjs evaluates in float32). */
  h?: number;
}

/**
 * Checks the tfjs autodiff gradient of `f` at `x` against central differences of `f` itself
 * (evaluated through tfjs in float32, so the default step is large, 1e-2).
 *
 * ```ts
 * expect(checkGrad((x) => tf.sum(safeTanh(x)), [0.1, -0.3]).maxRelError).toBeLessThan(1e-3);
 * ```
 */
export function checkGrad(
  f: ScalarFn,
  x: VectorInput,
  options: CheckGradOptions = {},
): DerivativeCheck {
  const { tol = 1e-3, h = 1e-2 } = readOptions<CheckGradOptions>(options);
  const { grad: ad } = valueAndGrad(f)(x);
  const x0 = readVec('x', x instanceof tf.Tensor ? x.dataSync() : (x as ArrayLike<number>));
  const fd = fdGrad((z) => evalTensorFn(f, z), x0, { h });
  const e = maxRelativeError(ad, fd);
  return { maxRelError: e, ok: e <= tol, autodiff: ad, finiteDiff: fd };
}

/** Options of {@link checkHvp}. */
export interface CheckHvpOptions {
  /** Pass threshold for `ok` (default 1e-3). */
  tol?: number;
  /** Probe length ‖εv‖ of the finite difference of autodiff gradients (default 1e-2). */
  fdStep?: number;
}

/**
 * Checks the double-backprop HVP of `f` at `x` along `v` against the central difference of
 * (first-order, trustworthy) autodiff gradients.
 */
export function checkHvp(
  f: ScalarFn,
  x: VectorInput,
  v: VectorInput,
  options: CheckHvpOptions = {},
): DerivativeCheck {
  const { tol = 1e-3, fdStep = 1e-2 } = readOptions<CheckHvpOptions>(options);
  const ad = hvp(f, x, v, { mode: 'autodiff', allowNonFinite: true });
  const fd = hvp(f, x, v, { mode: 'fd', fdStep });
  const e = Number.isFinite(maxRelativeError(ad, fd)) ? maxRelativeError(ad, fd) : Number.POSITIVE_INFINITY;
  return { maxRelError: e, ok: e <= tol, autodiff: ad, finiteDiff: fd };
}

/**
 * MMD² on float32 tensors, differentiable (for MMD flows or generative training).
 * @module
 */
import { type Kernel, type Mmd2Options, ShapeError, describe } from '@descent/tensor';
import { tf } from './backend';
import { kernelMatrixTensor } from './kernels';

/**
 * MMD² of two float32 tensors (rows = points) as a scalar tensor, differentiable w.r.t. X and Y
 * (for MMD-flows or generative training); same estimators as `mmd2` of `@descent/tensor`.
 */
export function mmd2Tensor(
  X: tf.Tensor2D,
  Y: tf.Tensor2D,
  kernel: Kernel,
  { unbiased = false }: Mmd2Options = {},
): tf.Scalar {
  if (!(X instanceof tf.Tensor) || X.rank !== 2)
    throw new ShapeError(`X must be a rank-2 tensor, got ${describe(X)}`, 'X');
  if (!(Y instanceof tf.Tensor) || Y.rank !== 2)
    throw new ShapeError(`Y must be a rank-2 tensor, got ${describe(Y)}`, 'Y');
  const m = X.shape[0];
  const n = Y.shape[0];
  if (unbiased && (m < 2 || n < 2))
    throw new ShapeError(
      `the unbiased MMD² needs at least 2 rows in X and Y, got ${m} and ${n}`,
      m < 2 ? 'X' : 'Y',
    );
  return tf.tidy(() => {
    // two-stage sums (rows, then the row sums): wasm accumulates in float32
    const total = (K: tf.Tensor) => tf.sum(tf.sum(K, 1));
    const kxx = total(kernelMatrixTensor(kernel, X));
    const kyy = total(kernelMatrixTensor(kernel, Y));
    const kxy = tf.div(total(kernelMatrixTensor(kernel, X, Y)), m * n);
    if (!unbiased) return tf.sub(tf.add(tf.div(kxx, m * m), tf.div(kyy, n * n)), tf.mul(kxy, 2)) as tf.Scalar;
    // diagonal entries k(x, x) = φ(0)
    const phi0 = kernel.phi(0);
    const ux = tf.div(tf.sub(kxx, m * phi0), m * (m - 1));
    const uy = tf.div(tf.sub(kyy, n * phi0), n * (n - 1));
    return tf.sub(tf.add(ux, uy), tf.mul(kxy, 2)) as tf.Scalar;
  });
}

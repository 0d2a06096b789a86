/**
 * Maximum mean discrepancy MMD²(P, Q) between two samples (Gretton et al., JMLR 2012).
 * @module
 */
import { tf } from './backend';
import { ShapeError, ValueError, describe } from './errors';
import type { Kernel } from './kernels';
import { Matrix, type MatrixLike } from './matrix';

/** Options of {@link mmd2}. */
export interface Mmd2Options {
  /**
   * false (default): the biased V-statistic mean(Kxx) + mean(Kyy) − 2 mean(Kxy), ≥ 0.
   * true: the unbiased U-statistic (diagonals of Kxx and Kyy excluded; can be negative).
   */
  unbiased?: boolean;
}

function sumAll(M: Matrix): number {
  let s = 0;
  for (let i = 0; i < M.data.length; i++) s += M.data[i];
  return s;
}

function trace(M: Matrix): number {
  let s = 0;
  for (let i = 0; i < M.rows; i++) s += M.data[i * M.cols + i];
  return s;
}

function checkKernel(kernel: unknown): asserts kernel is Kernel {
  if (kernel == null || typeof (kernel as Kernel).matrix !== 'function') {
    throw new ValueError(
      `kernel must be a Kernel (e.g. rbf({bandwidth})), got ${describe(kernel)}`,
      'kernel',
    );
  }
}

/**
 * MMD² between the samples X (m × d) and Y (n × d) in float64.
 *
 * ```ts
 * mmd2(X, Y, rbf({ bandwidth: 1 }), { unbiased: true });
 * ```
 */
export function mmd2(
  X: MatrixLike,
  Y: MatrixLike,
  kernel: Kernel,
  { unbiased = false }: Mmd2Options = {},
): number {
  checkKernel(kernel);
  const A = Matrix.of(X, 'X');
  const B = Matrix.of(Y, 'Y');
  const m = A.rows;
  const n = B.rows;
  if (unbiased && (m < 2 || n < 2))
    throw new ShapeError(
      `the unbiased MMD² needs at least 2 rows in X and Y, got ${m} and ${n}`,
      m < 2 ? 'X' : 'Y',
    );
  const Kxx = kernel.matrix(A);
  const Kyy = kernel.matrix(B);
  const Kxy = kernel.matrix(A, B);
  const sxy = sumAll(Kxy) / (m * n);
  if (!unbiased) return sumAll(Kxx) / (m * m) + sumAll(Kyy) / (n * n) - 2 * sxy;
  return (sumAll(Kxx) - trace(Kxx)) / (m * (m - 1)) + (sumAll(Kyy) - trace(Kyy)) / (n * (n - 1)) - 2 * sxy;
}

/**
 * MMD² of two float32 tensors (rows = points) as a scalar tensor, differentiable w.r.t. X and Y
 * (for MMD-flows or generative training); same estimators as {@link mmd2}.
 */
export function mmd2Tensor(
  X: tf.Tensor2D,
  Y: tf.Tensor2D,
  kernel: Kernel,
  { unbiased = false }: Mmd2Options = {},
): tf.Scalar {
  checkKernel(kernel);
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
    const kxx = total(kernel.matrixTensor(X));
    const kyy = total(kernel.matrixTensor(Y));
    const kxy = tf.div(total(kernel.matrixTensor(X, Y)), m * n);
    if (!unbiased) return tf.sub(tf.add(tf.div(kxx, m * m), tf.div(kyy, n * n)), tf.mul(kxy, 2)) as tf.Scalar;
    // diagonal entries k(x, x) = φ(0)
    const phi0 = kernel.phi(0);
    const ux = tf.div(tf.sub(kxx, m * phi0), m * (m - 1));
    const uy = tf.div(tf.sub(kyy, n * phi0), n * (n - 1));
    return tf.sub(tf.add(ux, uy), tf.mul(kxy, 2)) as tf.Scalar;
  });
}

/**
 * Maximum mean discrepancy MMD²(P, Q) between two samples (Gretton et al., JMLR 2012), in
 * float64. The differentiable tensor version `mmd2Tensor` is in `@descent/tensor/tf`.
 * @module
 */
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

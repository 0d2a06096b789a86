/**
 * Stage 3 of the learner (Ren & Lee 2024, arXiv 2410.09678; notes §2.2): the second layer by
 * ridge regression on the hidden features, a = argmin (1/n)‖Φa − y‖² + λ‖a‖², i.e.
 * (ΦᵀΦ/n + λI) a = Φᵀy/n, solved by Cholesky from @descent/tensor.
 * @module
 */
import {
  Matrix,
  ShapeError,
  assertAllFinite,
  assertPositive,
  cholesky,
  choleskySolve,
  describe,
  gram,
  matTvec,
} from '@descent/tensor';

/**
 * Ridge regression without intercept. `lambda` may be 0 when ΦᵀΦ is positive definite; a tiny
 * relative jitter (1e-12·trace/m) keeps duplicated neurons (identical columns) solvable.
 */
export function ridgeRegression(Phi: Matrix, y: ArrayLike<number>, lambda: number): Float64Array {
  if (!(Phi instanceof Matrix))
    throw new ShapeError(`Phi must be a Matrix (n×m), got ${describe(Phi)}`, 'Phi');
  if (y == null || y.length !== Phi.rows)
    throw new ShapeError(`y must have length ${Phi.rows} (rows of Phi), got ${describe(y)}`, 'y');
  assertPositive('lambda', lambda, true);
  assertAllFinite('Phi', Phi.data);
  assertAllFinite('y', y);
  const n = Phi.rows;
  const m = Phi.cols;
  const A = gram(Phi);
  let trace = 0;
  for (let i = 0; i < m; i++) trace += A.data[i * m + i];
  const jitter = (1e-12 * (trace / Math.max(1, m))) / n;
  for (let q = 0; q < m * m; q++) A.data[q] /= n;
  for (let i = 0; i < m; i++) A.data[i * m + i] += lambda + jitter;
  const b = matTvec(Phi, Float64Array.from(y));
  for (let i = 0; i < m; i++) b[i] /= n;
  return choleskySolve(cholesky(A), b);
}

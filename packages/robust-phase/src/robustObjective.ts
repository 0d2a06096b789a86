/**
 * The robust objective median_i |(a_iᵀz)² − y_i| as a public function.
 * @module
 */
import { ShapeError, readVector } from '@descent/tensor';
import { readPhaseData } from './inputs';
import { robustObjectiveFromProducts } from './metrics';
import type { DesignLike, VectorLike } from './types';

/**
 * median_i |(a_iᵀz)² − y_i|: a least-median-of-residuals score (breakdown 1/2 in the responses) that
 * needs no ground truth; used to select among initialisations and restarts.
 */
export function robustObjective(A: DesignLike, y: VectorLike, z: VectorLike): number {
  const { A: M, y: yv, n, m } = readPhaseData(A, y);
  const zv = readVector(z, 'z');
  if (zv.length !== n) throw new ShapeError(`z must have length n = ${n}, got length ${zv.length}`, 'z');
  const Az = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += M.data[i * n + j] * zv[j];
    Az[i] = s;
  }
  return robustObjectiveFromProducts(Az, yv);
}

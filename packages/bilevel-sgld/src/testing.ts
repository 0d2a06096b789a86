/**
 * Test helpers (not exported from the package): the ridge family used by the estimator tests and
 * the "within k standard errors" check.
 * @module
 */
import { eigh } from '@descent/tensor';
import { type RidgePenalty, type RidgeProblem, ridgeData, ridgeProblem } from './ridge';

/** A small ridge problem, its λ and the largest / smallest eigenvalue of A. */
export function smallRidge(
  seed: number,
  penalty: RidgePenalty = 'perParameter',
  dim = 4,
): { problem: RidgeProblem; lambda: Float64Array; lmax: number; lmin: number } {
  const problem = ridgeProblem(ridgeData({ dim, nTrain: 20, nVal: 30, seed }), { penalty });
  const lambda = Float64Array.from({ length: problem.hyperDim }, (_, i) => 0.5 + ((i * 7 + seed) % 5) * 0.6);
  const values = eigh(problem.hessian(lambda)).values;
  return { problem, lambda, lmax: Math.max(...values), lmin: Math.min(...values) };
}

/** The largest |estimate − target| / SE over coordinates. */
export function maxZ(estimate: ArrayLike<number>, target: ArrayLike<number>, se: ArrayLike<number> | undefined): number {
  if (se === undefined) throw new Error('no standard error');
  let z = 0;
  for (let i = 0; i < target.length; i++) z = Math.max(z, Math.abs(estimate[i] - target[i]) / se[i]);
  return z;
}

/** max |a − b| / max |b| (the largest error relative to the largest reference entry). */
export function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / den;
}

/**
 * Selection objectives: scores of a candidate z that need no ground truth, used to pick among
 * starts and methods. Both have breakdown point 1/2 in the pairs: as long as fewer than half of the
 * pairs are corrupted, the signal minimises them on noiseless data.
 * - `lms`: median_i |(a_iᵀz)² − y_i| (least median of residuals; zero-mean noise);
 * - `shorth`: half the width of the shortest interval holding half of the residuals y_i − (a_iᵀz)²
 *   (least median with an intercept: invariant to an unknown offset of the noise).
 * @module
 */
import { medianInPlace } from '@descent/tensor';
import type { Matrix } from '@descent/tensor';

/** Selection objectives; see the module documentation. */
export type SelectionObjective = 'lms' | 'shorth';

/** Half-width of the shortest interval holding ⌊k/2⌋ + 1 of the values (reorders `r`). */
export function shorthHalfWidth(r: Float64Array): number {
  const k = r.length;
  if (k === 0) return Number.NaN;
  r.sort();
  const h = (k >> 1) + 1;
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i + h - 1 < k; i++) best = Math.min(best, r[i + h - 1] - r[i]);
  return best / 2;
}

/** The objective `kind` of z on (A, y), with float64 products (comparable across candidates). */
export function selectionObjective(
  A: Matrix,
  y: Float64Array,
  z: ArrayLike<number>,
  kind: SelectionObjective,
): number {
  const { rows: m, cols: n, data } = A;
  const r = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    const o = i * n;
    for (let j = 0; j < n; j++) s += data[o + j] * z[j];
    r[i] = kind === 'lms' ? Math.abs(s * s - y[i]) : y[i] - s * s;
  }
  return kind === 'lms' ? medianInPlace(r) : shorthHalfWidth(r);
}

/**
 * Margin losses ℓ(f, y) of the online learners and their negative derivative −∂ℓ/∂f.
 * @module
 */
import type { LossName } from './types';

/** ℓ(f, y): hinge `max(0, 1 − yf)` or squared hinge `max(0, 1 − yf)²`. */
export function marginLoss(loss: LossName, f: number, y: number): number {
  const m = 1 - y * f;
  if (m <= 0) return 0;
  return loss === 'hinge' ? m : m * m;
}

/**
 * −∂ℓ/∂f at (f, y): hinge `y·1[yf < 1]`; squared hinge `2y(1 − yf)·1[yf < 1]`.
 * (FORKS's reference code multiplies this by η to get the step g.)
 */
export function negLossDerivative(loss: LossName, f: number, y: number): number {
  const m = 1 - y * f;
  if (m <= 0) return 0;
  return loss === 'hinge' ? y : 2 * y * m;
}

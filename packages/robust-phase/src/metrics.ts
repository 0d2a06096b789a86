/**
 * Distances modulo the global sign, sign alignment and the robust objective.
 * @module
 */
import { ShapeError, ValueError, medianInPlace } from '@descent/tensor';

/**
 * dist(x̂, x) = min(‖x̂ − x‖, ‖x̂ + x‖)/‖x‖: the real form of the phase-aligned relative error used by
 * TWF.m, medianTWF.m and PhasePack (the sign of x is not identifiable from y = (aᵀx)²).
 */
export function relativeError(xhat: ArrayLike<number>, x: ArrayLike<number>): number {
  if (xhat.length !== x.length)
    throw new ShapeError(`xhat must have length ${x.length}, got length ${xhat.length}`, 'xhat');
  let dm = 0;
  let dp = 0;
  let nx = 0;
  for (let i = 0; i < x.length; i++) {
    dm += (xhat[i] - x[i]) ** 2;
    dp += (xhat[i] + x[i]) ** 2;
    nx += x[i] * x[i];
  }
  if (nx === 0) throw new ValueError('x must be non-zero, got the zero vector', 'x');
  return Math.sqrt(Math.min(dm, dp) / nx);
}

/** x̂ multiplied by the sign s ∈ {±1} minimising ‖s·x̂ − x‖ (needs the ground truth x; for reporting only). */
export function alignSign(xhat: ArrayLike<number>, x: ArrayLike<number>): Float64Array {
  if (xhat.length !== x.length)
    throw new ShapeError(`xhat must have length ${x.length}, got length ${xhat.length}`, 'xhat');
  let d = 0;
  for (let i = 0; i < x.length; i++) d += xhat[i] * x[i];
  const s = d < 0 ? -1 : 1;
  return Float64Array.from(xhat, (v) => s * v);
}

/** |cos∠(z, x)|, the quality of an initial direction. */
export function absCosine(z: ArrayLike<number>, x: ArrayLike<number>): number {
  if (z.length !== x.length)
    throw new ShapeError(`z must have length ${x.length}, got length ${z.length}`, 'z');
  let d = 0;
  let nz = 0;
  let nx = 0;
  for (let i = 0; i < x.length; i++) {
    d += z[i] * x[i];
    nz += z[i] * z[i];
    nx += x[i] * x[i];
  }
  return nz === 0 || nx === 0 ? 0 : Math.abs(d) / Math.sqrt(nz * nx);
}

/**
 * The robust (least-median) objective median_i |(a_iᵀz)² − y_i| from the products Az.
 * Used to select among initialisations or restarts without the ground truth.
 */
export function robustObjectiveFromProducts(
  Az: ArrayLike<number>,
  y: ArrayLike<number>,
  scratch?: Float64Array,
): number {
  const m = y.length;
  const buf = scratch && scratch.length >= m ? scratch.subarray(0, m) : new Float64Array(m);
  for (let i = 0; i < m; i++) buf[i] = Math.abs(Az[i] * Az[i] - y[i]);
  return medianInPlace(buf);
}

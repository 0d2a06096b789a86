/**
 * Euclidean projection onto the ball {w : ‖w‖ ≤ R}: the bounded domain on which the losses
 * are Lipschitz, as the paper's PGD/SGD theorems assume.
 * @module
 */
import { assertPositive, readBuffer } from '@descent/tensor';

/**
 * Projects `w` in place onto {‖w‖ ≤ radius} and returns it. `radius` must be finite and > 0
 * (the algorithms' `radius` option also takes `Infinity`, meaning "no projection").
 */
export function projectToBall(w: Float64Array, radius: number): Float64Array {
  readBuffer(w, 'w');
  assertPositive('radius', radius);
  return projectInPlace(w, radius);
}

/** {@link projectToBall} without argument checks (hot loops; `radius` already validated). */
export function projectInPlace(w: Float64Array, radius: number): Float64Array {
  if (radius === Number.POSITIVE_INFINITY) return w;
  let s = 0;
  for (let j = 0; j < w.length; j++) s += w[j] * w[j];
  if (s > radius * radius) {
    const f = radius / Math.sqrt(s);
    for (let j = 0; j < w.length; j++) w[j] *= f;
  }
  return w;
}

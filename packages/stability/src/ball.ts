/**
 * Euclidean projection onto the ball {w : ‖w‖ ≤ R}: the bounded domain on which the losses
 * are Lipschitz, as the paper's PGD/SGD theorems assume.
 * @module
 */
import { ValueError, assertPositive, describe } from '@descent/tensor';

/** Projects `w` in place onto {‖w‖ ≤ radius} and returns it (`radius = Infinity` is the identity). */
export function projectToBall(w: Float64Array, radius: number): Float64Array {
  if (!(w instanceof Float64Array)) throw new ValueError(`w must be a Float64Array, got ${describe(w)}`, 'w');
  return projectInPlace(w, readRadius(radius));
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

/** Validates a `radius` option: a number > 0 or `Infinity` (no projection). */
export function readRadius(radius: unknown): number {
  if (radius === Number.POSITIVE_INFINITY) return radius;
  assertPositive('radius', radius);
  return radius as number;
}

/**
 * Box constraints for the black-box strategies. Two handlings (documented in the README):
 * `'repair'` (default) clips every candidate into the box before it is returned by `ask`, and the
 * strategy learns from the clipped point (Lamarckian repair, as evosax's `clip_min/clip_max`);
 * `'penalty'` returns the clipped point for evaluation but learns from the unclipped sample with
 * the fitness f(clip(x)) + w·‖x − clip(x)‖² (a fixed-weight variant of pycma's BoundPenalty).
 * @module
 */
import { ShapeError, ValueError, assertAllFinite } from '@descent/tensor';

// Module-level alias: global lookups are slow inside jest's vm context (jest#5163).
const F64 = Float64Array;

/** Lower and upper bounds, per coordinate or one number for all coordinates. */
export interface BoxBounds {
  lower: ArrayLike<number> | number;
  upper: ArrayLike<number> | number;
}

/** How a strategy treats candidates outside {@link BoxBounds}. */
export type BoundHandling = 'repair' | 'penalty';

/** Bounds resolved to float64 vectors of length d. */
export interface ResolvedBounds {
  lower: Float64Array;
  upper: Float64Array;
}

function resolveSide(name: string, v: ArrayLike<number> | number, d: number, fill: number): Float64Array {
  if (typeof v === 'number') {
    if (Number.isNaN(v)) throw new ValueError(`${name} must be a number, got NaN`, name);
    return new F64(d).fill(v);
  }
  if (v == null || typeof v.length !== 'number')
    throw new ShapeError(`${name} must be a number or an array of length ${d}`, name);
  if (v.length !== d)
    throw new ShapeError(`${name} must have length ${d} (the dimension), got length ${v.length}`, name);
  const out = F64.from(v);
  for (let i = 0; i < d; i++) if (Number.isNaN(out[i])) out[i] = fill;
  return out;
}

/** Validates `bounds` for dimension d (lower < upper everywhere); `undefined` stays `undefined`. */
export function resolveBounds(bounds: BoxBounds | undefined, d: number): ResolvedBounds | undefined {
  if (bounds === undefined) return undefined;
  const lower = resolveSide('bounds.lower', bounds.lower, d, -Infinity);
  const upper = resolveSide('bounds.upper', bounds.upper, d, Infinity);
  for (let i = 0; i < d; i++) {
    if (!(lower[i] < upper[i])) {
      throw new ValueError(
        `bounds.lower must be < bounds.upper in every coordinate, got ${lower[i]} >= ${upper[i]} at index ${i}`,
        'bounds',
      );
    }
  }
  return { lower, upper };
}

/** clip(x) into the box (new array). */
export function clipToBounds(x: Float64Array, b: ResolvedBounds): Float64Array {
  const out = new F64(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.min(Math.max(x[i], b.lower[i]), b.upper[i]);
  return out;
}

/** ‖x − clip(x)‖². */
export function boundViolation(x: Float64Array, b: ResolvedBounds): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const c = Math.min(Math.max(x[i], b.lower[i]), b.upper[i]);
    s += (x[i] - c) ** 2;
  }
  return s;
}

/** Validates that a vector is finite and of length d. */
export function checkVector(name: string, x: ArrayLike<number>, d: number): Float64Array {
  if (x == null || typeof x.length !== 'number')
    throw new ShapeError(`${name} must be an array of length ${d}, got ${String(x)}`, name);
  if (x.length !== d) throw new ShapeError(`${name} must have length ${d}, got length ${x.length}`, name);
  assertAllFinite(name, x);
  return F64.from(x);
}

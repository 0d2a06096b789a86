/**
 * Box constraints for the black-box strategies. Two handlings (documented in the README):
 * `'repair'` (default) clips every candidate into the box before it is returned by `ask`, and the
 * strategy learns from the clipped point (Lamarckian repair, as evosax's `clip_min/clip_max`);
 * `'penalty'` returns the clipped point for evaluation but learns from the unclipped sample with
 * the fitness f(clip(x)) + w·‖x − clip(x)‖² (a fixed-weight variant of pycma's BoundPenalty).
 * @module
 */
import {
  type BlobReader,
  type EncodedNumber,
  ShapeError,
  type TensorLike,
  ValueError,
  describe,
  encodeNumber,
  isTensorLike,
  tensorValues,
} from '@descent/tensor';

// Module-level alias: global lookups are slow inside jest's vm context (jest#5163).
const F64 = Float64Array;

/** Lower and upper bounds, per coordinate (arrays, typed arrays or rank-1 tensors) or one number for all coordinates; ±Infinity means unbounded. */
export interface BoxBounds {
  lower: ArrayLike<number> | TensorLike | number;
  upper: ArrayLike<number> | TensorLike | number;
}

/** How a strategy treats candidates outside {@link BoxBounds}. */
export type BoundHandling = 'repair' | 'penalty';

/** The bound handlings. */
export const BOUND_HANDLINGS: readonly BoundHandling[] = ['repair', 'penalty'];

/** Bounds resolved to float64 vectors of length d. */
export interface ResolvedBounds {
  lower: Float64Array;
  upper: Float64Array;
}

function resolveSide(name: string, v: unknown, d: number): Float64Array {
  if (typeof v === 'number') {
    if (Number.isNaN(v))
      throw new ValueError(`${name} must be a number (±Infinity for no bound), got NaN`, name);
    return new F64(d).fill(v);
  }
  const arr = isTensorLike(v) ? tensorValues(v, name) : (v as ArrayLike<unknown>);
  if (arr == null || typeof arr === 'string' || typeof arr.length !== 'number')
    throw new ShapeError(`${name} must be a number or a vector of length ${d}, got ${describe(v)}`, name);
  if (arr.length !== d)
    throw new ShapeError(`${name} must have length ${d} (the dimension), got length ${arr.length}`, name);
  const out = new F64(d);
  for (let i = 0; i < d; i++) {
    const x = arr[i];
    if (typeof x !== 'number' || Number.isNaN(x))
      throw new ValueError(
        `${name} must contain numbers (±Infinity for no bound), got ${describe(x)} at index ${i}`,
        name,
      );
    out[i] = x;
  }
  return out;
}

function checkOrder(lower: Float64Array, upper: Float64Array, name: string): ResolvedBounds {
  for (let i = 0; i < lower.length; i++) {
    if (!(lower[i] < upper[i])) {
      throw new ValueError(
        `${name}.lower must be < ${name}.upper in every coordinate, got ${lower[i]} >= ${upper[i]} at index ${i}`,
        name,
      );
    }
  }
  return { lower, upper };
}

/** Validates `bounds` for dimension d (lower < upper everywhere); `undefined` stays `undefined`. */
export function resolveBounds(bounds: unknown, d: number, name = 'bounds'): ResolvedBounds | undefined {
  if (bounds === undefined) return undefined;
  if (bounds === null || typeof bounds !== 'object')
    throw new ValueError(`${name} must be { lower, upper }, got ${describe(bounds)}`, name);
  const b = bounds as Partial<BoxBounds>;
  if (b.lower === undefined || b.upper === undefined)
    throw new ValueError(
      `${name} must give both lower and upper, got ${Object.keys(b).join(', ') || 'neither'}`,
      name,
    );
  return checkOrder(resolveSide(`${name}.lower`, b.lower, d), resolveSide(`${name}.upper`, b.upper, d), name);
}

/** Plain-JSON form of resolved bounds (±Infinity encoded). */
export function boundsToJSON(b: ResolvedBounds): { lower: EncodedNumber[]; upper: EncodedNumber[] } {
  return { lower: Array.from(b.lower, encodeNumber), upper: Array.from(b.upper, encodeNumber) };
}

/** Reads bounds written by {@link boundsToJSON} (validated: length d, no NaN, lower < upper). */
export function readBounds(r: BlobReader, d: number): ResolvedBounds {
  const lower = F64.from(r.at('lower').asExtendedNumbers({ length: d }));
  const upper = F64.from(r.at('upper').asExtendedNumbers({ length: d }));
  return checkOrder(lower, upper, r.path);
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

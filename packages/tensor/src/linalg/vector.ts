/**
 * BLAS-1 helpers on float64 vectors. Every function checks its arguments with typed errors that
 * name them: lengths that disagree are a {@link ShapeError}; a non-vector, an entry that is not a
 * finite number (NaN, ±Infinity, null, a string) or a non-finite scalar is a {@link ValueError}.
 * Float64Array/Float32Array arguments are not scanned up front (these are hot-path helpers): a
 * non-finite entry is found from the non-finite result and reported then. Outputs are fresh
 * arrays unless `out` is given. A result that overflows from finite inputs (e.g. `dot` of entries
 * near 1e200) is ±Infinity, as in IEEE arithmetic.
 * @module
 */
import { describe, ShapeError, ValueError } from '../errors';
import { readVector, type VectorLike } from '../input';

type Vec = ArrayLike<number> | VectorLike;

/** A float vector as is (checked later through the result), anything else read and checked now. */
function vec(x: unknown, name: string): ArrayLike<number> {
  if (x instanceof Float64Array || x instanceof Float32Array) return x;
  return readVector(x, name, { allowEmpty: true });
}

function scalar(alpha: unknown, name: string): number {
  if (typeof alpha !== 'number' || !Number.isFinite(alpha))
    throw new ValueError(`${name} must be a finite number, got ${describe(alpha)}`, name);
  return alpha;
}

/** Throws a ValueError naming the first argument with a non-finite entry (called when a result is not finite). */
function blameNonFinite(args: [string, ArrayLike<number>][]): void {
  for (const [name, a] of args) {
    for (let i = 0; i < a.length; i++) {
      if (!Number.isFinite(a[i]))
        throw new ValueError(
          `${name} must contain only finite numbers, got ${describe(a[i])} at index ${i}`,
          name,
        );
    }
  }
}

function sameLength(nameA: string, a: ArrayLike<number>, nameB: string, b: ArrayLike<number>): void {
  if (a.length !== b.length) {
    throw new ShapeError(
      `${nameB} must have length ${a.length} (the length of ${nameA}), got ${b.length}`,
      nameB,
    );
  }
}

function output(out: unknown, n: number): Float64Array {
  if (out === undefined) return new Float64Array(n);
  if (!(out instanceof Float64Array))
    throw new ValueError(`out must be a Float64Array, got ${describe(out)}`, 'out');
  if (out.length !== n) throw new ShapeError(`out must have length ${n}, got ${out.length}`, 'out');
  return out;
}

/** The inner product `xᵀy`. */
export function dot(x: Vec, y: Vec): number {
  const a = vec(x, 'x');
  const b = vec(y, 'y');
  sameLength('x', a, 'y', b);
  let s = 0;
  const n = a.length;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  if (!Number.isFinite(s))
    blameNonFinite([
      ['x', a],
      ['y', b],
    ]);
  return s;
}

/**
 * The Euclidean norm `‖x‖₂`, computed with scaling so that it neither overflows nor underflows
 * (as LAPACK's dnrm2) when the entries are very large or very small.
 */
export function norm2(x: Vec): number {
  const v = vec(x, 'x');
  const n = v.length;
  let amax = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(v[i]);
    if (a > amax) amax = a;
    else if (!(a <= amax)) amax = a; // NaN
  }
  if (!Number.isFinite(amax)) blameNonFinite([['x', v]]);
  if (amax === 0) return 0;
  if (amax > 1e-150 && amax < 1e150) {
    let s = 0;
    for (let i = 0; i < n; i++) s += v[i] * v[i];
    return Math.sqrt(s);
  }
  let s = 0;
  for (let i = 0; i < n; i++) {
    const t = v[i] / amax;
    s += t * t;
  }
  return amax * Math.sqrt(s);
}

/** `y ← αx + y` in place (BLAS axpy); returns `y`. */
export function axpy(alpha: number, x: Vec, y: Float64Array): Float64Array {
  const al = scalar(alpha, 'alpha');
  const a = vec(x, 'x');
  if (!(y instanceof Float64Array))
    throw new ValueError(`y must be a Float64Array (it is updated in place), got ${describe(y)}`, 'y');
  sameLength('x', a, 'y', y);
  const n = a.length;
  let chk = 0;
  for (let i = 0; i < n; i++) {
    const v = y[i] + al * a[i];
    y[i] = v;
    chk += v * 0; // stays 0 unless some entry is not finite
  }
  if (chk !== 0)
    blameNonFinite([
      ['x', a],
      ['y', y],
    ]);
  return y;
}

/** `αx` (into `out` if given; `out` may be `x` itself). */
export function scale(alpha: number, x: Vec, out?: Float64Array): Float64Array {
  const al = scalar(alpha, 'alpha');
  const a = vec(x, 'x');
  const n = a.length;
  const o = output(out, n);
  let chk = 0;
  for (let i = 0; i < n; i++) {
    const v = al * a[i];
    o[i] = v;
    chk += v * 0;
  }
  if (chk !== 0) blameNonFinite([['x', a]]);
  return o;
}

/** `x + s·y` for s = ±1 (exact: negation is exact, so s = −1 gives the bits of x − y). */
function addSigned(x: Vec, y: Vec, s: 1 | -1, out: Float64Array | undefined): Float64Array {
  const a = vec(x, 'x');
  const b = vec(y, 'y');
  sameLength('x', a, 'y', b);
  const n = a.length;
  const o = output(out, n);
  let chk = 0;
  for (let i = 0; i < n; i++) {
    const v = a[i] + s * b[i];
    o[i] = v;
    chk += v * 0;
  }
  if (chk !== 0)
    blameNonFinite([
      ['x', a],
      ['y', b],
    ]);
  return o;
}

/** `x + y` (into `out` if given; `out` may alias `x` or `y`). */
export function add(x: Vec, y: Vec, out?: Float64Array): Float64Array {
  return addSigned(x, y, 1, out);
}

/** `x − y` (into `out` if given; `out` may alias `x` or `y`). */
export function sub(x: Vec, y: Vec, out?: Float64Array): Float64Array {
  return addSigned(x, y, -1, out);
}

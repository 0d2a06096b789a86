/**
 * BLAS-1 helpers on float64 vectors. Every function checks that lengths agree and throws a
 * {@link ShapeError} naming the argument otherwise; outputs are fresh arrays unless `out` is given.
 * @module
 */
import { ShapeError } from '../errors';

type Vec = ArrayLike<number>;

function sameLength(nameA: string, a: Vec, nameB: string, b: Vec): void {
  if (a.length !== b.length) {
    throw new ShapeError(
      `${nameB} must have length ${a.length} (the length of ${nameA}), got ${b.length}`,
      nameB,
    );
  }
}

function output(out: Float64Array | undefined, n: number): Float64Array {
  if (out === undefined) return new Float64Array(n);
  if (out.length !== n) throw new ShapeError(`out must have length ${n}, got ${out.length}`, 'out');
  return out;
}

/** The inner product `xᵀy`. */
export function dot(x: Vec, y: Vec): number {
  sameLength('x', x, 'y', y);
  let s = 0;
  const n = x.length;
  for (let i = 0; i < n; i++) s += x[i] * y[i];
  return s;
}

/**
 * The Euclidean norm `‖x‖₂`, computed with scaling so that it neither overflows nor underflows
 * (as LAPACK's dnrm2) when the entries are very large or very small.
 */
export function norm2(x: Vec): number {
  const n = x.length;
  let amax = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(x[i]);
    if (Number.isNaN(a)) return Number.NaN;
    if (a > amax) amax = a;
  }
  if (amax === 0 || !Number.isFinite(amax)) return amax;
  if (amax > 1e-150 && amax < 1e150) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i] * x[i];
    return Math.sqrt(s);
  }
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i] / amax;
    s += v * v;
  }
  return amax * Math.sqrt(s);
}

/** `y ← αx + y` in place (BLAS axpy); returns `y`. */
export function axpy(alpha: number, x: Vec, y: Float64Array): Float64Array {
  sameLength('x', x, 'y', y);
  const n = x.length;
  for (let i = 0; i < n; i++) y[i] += alpha * x[i];
  return y;
}

/** `αx` (into `out` if given; `out` may be `x` itself). */
export function scale(alpha: number, x: Vec, out?: Float64Array): Float64Array {
  const n = x.length;
  const o = output(out, n);
  for (let i = 0; i < n; i++) o[i] = alpha * x[i];
  return o;
}

/** `x + y` (into `out` if given; `out` may alias `x` or `y`). */
export function add(x: Vec, y: Vec, out?: Float64Array): Float64Array {
  sameLength('x', x, 'y', y);
  const n = x.length;
  const o = output(out, n);
  for (let i = 0; i < n; i++) o[i] = x[i] + y[i];
  return o;
}

/** `x − y` (into `out` if given; `out` may alias `x` or `y`). */
export function sub(x: Vec, y: Vec, out?: Float64Array): Float64Array {
  sameLength('x', x, 'y', y);
  const n = x.length;
  const o = output(out, n);
  for (let i = 0; i < n; i++) o[i] = x[i] - y[i];
  return o;
}

/**
 * Predicates over the system state with signed distances d(x): d ≤ 0 where the predicate
 * holds, d > 0 outside (the distance to the region). Each has a tensor form (vectorised over
 * the rows of an [N, n] state matrix, differentiable, no gather) and a plain-number form.
 * @module
 */
import {
  ShapeError,
  ValueError,
  assertAllFinite,
  assertInteger,
  assertPositive,
  describe,
  readOptions,
} from '@descent/tensor';
import { tf } from '@descent/tensor/tf';
import { hardMax, safeNormLast } from './tensorOps';

/** A predicate p with a signed distance d_p (≤ 0 iff p holds). */
export interface Predicate {
  /** Name used in formulas and error messages. */
  readonly name: string;
  /** Smallest state dimension the predicate can read (max selected coordinate + 1). */
  readonly dim: number;
  /** Signed distances of the rows of `xs` ([N, n], n ≥ dim) as an [N] tensor. */
  distance(xs: tf.Tensor2D): tf.Tensor1D;
  /** Signed distance of one state. */
  distanceAt(x: ArrayLike<number>): number;
  /** Geometry for drawing (boxes and balls). */
  readonly shape?:
    | { kind: 'box'; lo: number[]; hi: number[]; dims: number[] }
    | { kind: 'ball'; center: number[]; radius: number; dims: number[] };
}

/** True if `p` looks like a {@link Predicate}. */
export function isPredicate(p: unknown): p is Predicate {
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof (p as Predicate).distance === 'function' &&
    typeof (p as Predicate).distanceAt === 'function'
  );
}

/** Throws a ShapeError unless a state of dimension `n` can be read by `p`. */
export function checkPredicateDim(p: Predicate, n: number): void {
  if (n < p.dim) {
    throw new ShapeError(
      `predicate '${p.name}' reads state coordinates up to index ${p.dim - 1} (needs dimension >= ${p.dim}), got states of dimension ${n}`,
      p.name,
    );
  }
}

function resolveDims(name: string, k: number, dims: number[] | undefined): number[] {
  const d = dims ?? Array.from({ length: k }, (_, i) => i);
  if (d.length !== k)
    throw new ShapeError(`${name}: dims must have length ${k}, got length ${d.length}`, 'dims');
  d.forEach((v, i) => {
    assertInteger(`dims[${i}]`, v, 0);
  });
  return d;
}

/** Constant [n, k] selection matrix S with S[dims[j], j] = 1 (a matmul instead of a gather). */
function selector(n: number, dims: number[]): tf.Tensor2D {
  const s = new Float32Array(n * dims.length);
  dims.forEach((d, j) => {
    s[d * dims.length + j] = 1;
  });
  return tf.tensor2d(s, [n, dims.length]);
}

function select(xs: tf.Tensor2D, dims: number[]): tf.Tensor2D {
  const n = xs.shape[1];
  const identityPrefix = dims.length === n && dims.every((d, i) => d === i);
  if (identityPrefix) return xs;
  return tf.matMul(xs, selector(n, dims));
}

function checkName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new ValueError(`name must be a non-empty string, got ${describe(name)}`, 'name');
  }
  return name;
}

/** Options shared by the geometric predicates. */
export interface RegionOptions {
  /** The state coordinates the region lives in (default 0..k−1). */
  dims?: number[];
  /** Name (default derived from the kind). */
  name?: string;
}

/**
 * Axis-aligned box lo ≤ x ≤ hi with the exact Euclidean signed distance:
 * q = |x − c| − h, d = ‖max(q, 0)‖ + min(max_i q_i, 0).
 */
export function box(lo: ArrayLike<number>, hi: ArrayLike<number>, options: RegionOptions = {}): Predicate {
  options = readOptions<RegionOptions>(options);
  assertAllFinite('lo', lo);
  assertAllFinite('hi', hi);
  if (lo.length !== hi.length || lo.length === 0) {
    throw new ShapeError(
      `box: hi must have the length of lo (${lo.length} > 0), got length ${hi.length}`,
      'hi',
    );
  }
  const k = lo.length;
  const c = new Float64Array(k);
  const h = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    if (!(hi[i] >= lo[i]))
      throw new ValueError(`box: hi[${i}] must be >= lo[${i}] = ${lo[i]}, got ${hi[i]}`, 'hi');
    c[i] = (lo[i] + hi[i]) / 2;
    h[i] = (hi[i] - lo[i]) / 2;
  }
  const dims = resolveDims('box', k, options.dims);
  const name = options.name === undefined ? 'box' : checkName(options.name);
  return {
    name,
    dim: Math.max(...dims) + 1,
    shape: { kind: 'box', lo: Array.from(lo), hi: Array.from(hi), dims },
    distance: (xs) =>
      tf.tidy(() => {
        const q = tf.sub(
          tf.abs(tf.sub(select(xs, dims), tf.tensor1d(Float32Array.from(c)))),
          tf.tensor1d(Float32Array.from(h)),
        );
        const outside = safeNormLast(tf.relu(q));
        const inside = tf.minimum(k === 1 ? tf.squeeze(q, [1]) : hardMax(q, 1), 0);
        return tf.add(outside, inside) as tf.Tensor1D;
      }),
    distanceAt: (x) => {
      let out = 0;
      let mx = -Infinity;
      for (let i = 0; i < k; i++) {
        const q = Math.abs(x[dims[i]] - c[i]) - h[i];
        if (q > 0) out += q * q;
        if (q > mx) mx = q;
      }
      return Math.sqrt(out) + Math.min(mx, 0);
    },
  };
}

/** Closed ball ‖x − c‖ ≤ r: d = ‖x − c‖ − r. */
export function ball(center: ArrayLike<number>, radius: number, options: RegionOptions = {}): Predicate {
  options = readOptions<RegionOptions>(options);
  assertAllFinite('center', center);
  assertPositive('radius', radius, true);
  const k = center.length;
  if (k === 0) throw new ShapeError('ball: center must have length > 0, got length 0', 'center');
  const c = Float64Array.from(center);
  const dims = resolveDims('ball', k, options.dims);
  const name = options.name === undefined ? 'ball' : checkName(options.name);
  return {
    name,
    dim: Math.max(...dims) + 1,
    shape: { kind: 'ball', center: Array.from(c), radius, dims },
    distance: (xs) =>
      tf.tidy(
        () =>
          tf.sub(
            safeNormLast(tf.sub(select(xs, dims), tf.tensor1d(Float32Array.from(c)))),
            radius,
          ) as tf.Tensor1D,
      ),
    distanceAt: (x) => {
      let s = 0;
      for (let i = 0; i < k; i++) s += (x[dims[i]] - c[i]) ** 2;
      return Math.sqrt(s) - radius;
    },
  };
}

/** Half-space a·x ≤ b: d = (a·x − b)/‖a‖. */
export function halfspace(a: ArrayLike<number>, b: number, options: RegionOptions = {}): Predicate {
  options = readOptions<RegionOptions>(options);
  assertAllFinite('a', a);
  const k = a.length;
  let na = 0;
  for (let i = 0; i < k; i++) na += a[i] * a[i];
  na = Math.sqrt(na);
  if (!(na > 0)) throw new ValueError('halfspace: a must be a non-zero vector, got the zero vector', 'a');
  if (typeof b !== 'number' || !Number.isFinite(b))
    throw new ValueError(`b must be a finite number, got ${describe(b)}`, 'b');
  const an = Float64Array.from(a, (v) => v / na);
  const bn = b / na;
  const dims = resolveDims('halfspace', k, options.dims);
  const name = options.name === undefined ? 'halfspace' : checkName(options.name);
  return {
    name,
    dim: Math.max(...dims) + 1,
    distance: (xs) =>
      tf.tidy(
        () =>
          tf.sub(
            tf.reshape(tf.matMul(select(xs, dims), tf.tensor2d(Float32Array.from(an), [k, 1])), [-1]),
            bn,
          ) as tf.Tensor1D,
      ),
    distanceAt: (x) => {
      let s = 0;
      for (let i = 0; i < k; i++) s += an[i] * x[dims[i]];
      return s - bn;
    },
  };
}

/** Speed limit ‖v‖ ≤ vMax where v are the state coordinates `dims` (e.g. the velocity of a double integrator). */
export function speedBelow(vMax: number, options: RegionOptions & { dims: number[] }): Predicate {
  assertPositive('vMax', vMax, true);
  const dims = resolveDims('speedBelow', options?.dims?.length ?? 0, options?.dims);
  if (dims.length === 0)
    throw new ShapeError('speedBelow: dims must list the velocity coordinates, got length 0', 'dims');
  return ball(new Float64Array(dims.length), vMax, { dims, name: options.name ?? 'speedBelow' });
}

/** A user-defined predicate from its two forms (they must agree; `dim` is the state dimension read). */
export function custom(spec: {
  name: string;
  dim: number;
  distance: (xs: tf.Tensor2D) => tf.Tensor1D;
  distanceAt: (x: ArrayLike<number>) => number;
}): Predicate {
  const name = checkName(spec?.name);
  assertInteger('dim', spec.dim, 1);
  if (typeof spec.distance !== 'function' || typeof spec.distanceAt !== 'function') {
    throw new ValueError(`custom predicate '${name}' needs functions distance and distanceAt`, 'distance');
  }
  return { name, dim: spec.dim, distance: spec.distance, distanceAt: spec.distanceAt };
}

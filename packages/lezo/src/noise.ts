/**
 * The noise law of seed-regenerated SPSA (MeZO's memory trick): the direction z is never stored.
 * Each step draws one integer *step seed* s per direction; the noise of parameter tensor i (its
 * index in tree order, over all tensors, active or not) is the stream `new Rng(s).fold('z', i)`
 * of the shared {@link Rng}. So z_i is
 *
 * - a pure function of (s, i): regenerated bit for bit on every call and on every tfjs backend
 *   (the generator is plain JavaScript/wasm, not a tfjs kernel);
 * - independent of which other tensors are active (LeZO with nothing dropped draws exactly
 *   MeZO's z);
 * - float32: z_i = fround(N(0, 1) draw), the precision of the parameters it perturbs.
 *
 * The layer selection of a LeZO step is drawn from `new Rng(s).fold('select')`, another stream of
 * the same seed, so it never shifts the noise.
 * @module
 */
import { type KeyPart, Rng, ValueError, assertInteger, describe } from '@descent/tensor';

/** Throws {@link ValueError} unless `seed` is a step seed (an integer in [0, 2³²)). @internal */
export function assertStepSeed(name: string, seed: unknown): asserts seed is number {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new ValueError(`${name} must be an integer in [0, 2^32), got ${describe(seed)}`, name);
  }
}

/**
 * The step seed of direction `direction` at step `step` of a run seeded with `root`
 * (`root.fold('lezo-step', step, direction).nextUint32()`): a pure function of its arguments, so
 * a resumed run draws the same seeds.
 */
export function stepSeed(root: Rng, step: number, direction = 0): number {
  if (!(root instanceof Rng)) throw new ValueError(`root must be an Rng, got ${describe(root)}`, 'root');
  assertInteger('step', step, 0);
  assertInteger('direction', direction, 0);
  return root.fold('lezo-step', step, direction).nextUint32();
}

/** The run's root stream for {@link stepSeed} (`new Rng(seed)`). @internal */
export function runRng(seed: KeyPart): Rng {
  return new Rng(seed);
}

/** The noise of tensor `index` under step seed `seed` into `out`, unchecked (the hot path). @internal */
export function fillNoiseUnchecked<T extends Float32Array | Float64Array>(
  out: T,
  seed: number,
  index: number,
): T {
  return new Rng(seed).fold('z', index).fillNormal(out);
}

/**
 * Fills `out` with the noise z of tensor `index` under step seed `seed`: standard normals from
 * the stream `new Rng(seed).fold('z', index)`, stored in `out`'s precision (a Float32Array rounds
 * each draw once). Returns `out`.
 */
export function fillNoise<T extends Float32Array | Float64Array>(out: T, seed: number, index: number): T {
  if (!(out instanceof Float32Array || out instanceof Float64Array)) {
    throw new ValueError(`out must be a Float32Array or a Float64Array, got ${describe(out)}`, 'out');
  }
  assertStepSeed('seed', seed);
  assertInteger('index', index, 0);
  return fillNoiseUnchecked(out, seed, index);
}

/** The float32 noise of tensor `index` (length `n`) under step seed `seed`, as a new array. */
export function noiseArray(seed: number, index: number, n: number): Float32Array {
  assertStepSeed('seed', seed);
  assertInteger('index', index, 0);
  assertInteger('n', n, 0);
  return fillNoiseUnchecked(new Float32Array(n), seed, index);
}

/**
 * @internal
 * `out[i] = fround(scale · z[i])` in place (z and out may be the same array): the scaled noise
 * that every perturbation and update adds to a float32 tensor. The product is formed in float64
 * and rounded once, the same on every backend.
 */
export function scaleNoise(z: Float32Array, scale: number, out: Float32Array = z): Float32Array {
  const n = z.length;
  for (let i = 0; i < n; i++) out[i] = scale * z[i];
  return out;
}

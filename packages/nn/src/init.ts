/**
 * Weight initialisations, all drawn from the shared seeded {@link Rng} (same seed, same bits on
 * every backend).
 *
 * - He (Kaiming) normal: N(0, 2/fanIn) — He et al. 2015, for ReLU layers.
 * - He uniform: U(±√(6/fanIn)).
 * - Glorot (Xavier) uniform: U(±√(6/(fanIn + fanOut))) — Glorot & Bengio 2010 (Keras' default).
 * - Glorot normal: N(0, 2/(fanIn + fanOut)).
 * - LeCun normal: N(0, 1/fanIn).
 * - `{ normal: std }`: N(0, std²), e.g. GPT-2's 0.02 for embeddings.
 * - `'zeros'`, `'ones'`.
 *
 * For a dense kernel [in, out] fanIn = in, fanOut = out; for a conv kernel [kh, kw, cin, cout]
 * fanIn = kh·kw·cin and fanOut = kh·kw·cout (the Keras/PyTorch convention).
 * @module
 */
import { type Rng, ShapeError, ValueError, assertPositive, checkName, describe } from '@descent/tensor';
import { tf } from './tf';

/** A named initialisation or N(0, std²) as `{ normal: std }`. */
export type Initializer =
  | 'heNormal'
  | 'heUniform'
  | 'glorotUniform'
  | 'glorotNormal'
  | 'lecunNormal'
  | 'zeros'
  | 'ones'
  | { normal: number };

/** fanIn and fanOut of a weight shape (last axis = outputs; leading axes = receptive field). */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ShapeError(`shape must be an array of positive integers, got ${describe(shape)}`, 'shape');
  }
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  let receptive = 1;
  for (let i = 0; i < shape.length - 2; i++) receptive *= shape[i];
  return { fanIn: receptive * shape[shape.length - 2], fanOut: receptive * shape[shape.length - 1] };
}

/** Throws {@link ValueError} naming `name` unless `init` is a known {@link Initializer}. */
export function assertInitializer(name: string, init: unknown): asserts init is Initializer {
  checkName(name);
  if (typeof init === 'string') {
    if (
      ['heNormal', 'heUniform', 'glorotUniform', 'glorotNormal', 'lecunNormal', 'zeros', 'ones'].includes(
        init,
      )
    )
      return;
  } else if (init != null && typeof init === 'object' && 'normal' in init) {
    assertPositive(`${name}.normal`, (init as { normal: unknown }).normal, true);
    return;
  }
  throw new ValueError(
    `${name} must be one of 'heNormal', 'heUniform', 'glorotUniform', 'glorotNormal', 'lecunNormal', 'zeros', 'ones' or { normal: std }, got ${describe(init)}`,
    name,
  );
}

/**
 * A float32 tensor of `shape` initialised by `init`, drawn from `rng` (fans from {@link fans}
 * unless given).
 *
 * ```ts
 * const W = initTensor('heNormal', [784, 128], new Rng(0).fold('dense0', 'W'));
 * ```
 */
export function initTensor(
  init: Initializer,
  shape: number[],
  rng: Rng,
  fanOverride?: { fanIn: number; fanOut: number },
): tf.Tensor {
  assertInitializer('init', init);
  const size = shape.reduce((a, b) => a * b, 1);
  const { fanIn, fanOut } = fanOverride ?? fans(shape);
  const buf = new Float32Array(size);
  if (init === 'zeros') return tf.zeros(shape);
  if (init === 'ones') return tf.ones(shape);
  if (typeof init === 'object') rng.fillNormal(buf, 0, init.normal);
  else if (init === 'heNormal') rng.fillNormal(buf, 0, Math.sqrt(2 / fanIn));
  else if (init === 'lecunNormal') rng.fillNormal(buf, 0, Math.sqrt(1 / fanIn));
  else if (init === 'glorotNormal') rng.fillNormal(buf, 0, Math.sqrt(2 / (fanIn + fanOut)));
  else {
    const a = init === 'heUniform' ? Math.sqrt(6 / fanIn) : Math.sqrt(6 / (fanIn + fanOut));
    rng.fillUniform(buf, -a, a);
  }
  return tf.tensor(buf, shape, 'float32');
}

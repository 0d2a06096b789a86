/**
 * Tensors from the float64 core: a {@link Matrix} as a float32 tensor, and tensors of normals or
 * uniforms drawn from an {@link Rng} stream (the same bits as `rng.fillNormal`/`fillUniform`, so
 * results do not depend on the tfjs backend; tfjs's own `randomNormal` ignores seed 0).
 * @module
 */
import { Matrix, type Rng, ShapeError, ValueError, assertInteger, describe } from '@descent/tensor';
import { tf } from './backend';

/** A float32 rank-2 tensor with the values of `m` (the caller owns it). */
export function matrixToTensor(m: Matrix): tf.Tensor2D {
  if (!(m instanceof Matrix)) throw new ShapeError(`m must be a Matrix, got ${describe(m)}`, 'm');
  return tf.tensor2d(Float32Array.from(m.data), [m.rows, m.cols], 'float32');
}

function sizeOf(shape: number[]): number {
  if (!Array.isArray(shape)) throw new ShapeError(`shape must be an array of integers, got ${describe(shape)}`, 'shape');
  let size = 1;
  for (let i = 0; i < shape.length; i++) {
    assertInteger(`shape[${i}]`, shape[i], 0);
    size *= shape[i];
  }
  return size;
}

/**
 * A float32 tensor of normals N(mean, std²) with the given shape, drawn from `rng`
 * (`rng.fillNormal` into a Float32Array). The caller owns it.
 *
 * ```ts
 * const W = normalTensor(new Rng(1).fold('W'), [784, 128], 0, 0.05);
 * ```
 */
function checkRng(rng: unknown): void {
  const r = rng as Rng | null;
  if (r === null || typeof r !== 'object' || typeof r.fillNormal !== 'function' || typeof r.fillUniform !== 'function') {
    throw new ValueError(`rng must be an Rng of @descent/tensor, got ${describe(rng)}`, 'rng');
  }
}

export function normalTensor(rng: Rng, shape: number[], mean = 0, std = 1): tf.Tensor {
  checkRng(rng);
  return tf.tensor(rng.fillNormal(new Float32Array(sizeOf(shape)), mean, std), shape, 'float32');
}

/** A float32 tensor of uniforms in [low, high) with the given shape, drawn from `rng`. */
export function uniformTensor(rng: Rng, shape: number[], low = 0, high = 1): tf.Tensor {
  checkRng(rng);
  return tf.tensor(rng.fillUniform(new Float32Array(sizeOf(shape)), low, high), shape, 'float32');
}

/**
 * Gradient clipping over trees.
 * @module
 */
import { assertPositive } from '@descent/tensor';
import { tf } from '../tf';
import { mapTree, treeNorm } from '../tree';
import { type TreeTransformation, checkGrads } from './transformation';

/**
 * Rescales the updates to global ℓ2 norm (over all tensors) at most `maxNorm` (optax
 * `clip_by_global_norm`): g ← g · min(1, maxNorm/‖g‖). State `{}`.
 */
export function clipByGlobalNorm(maxNorm: number): TreeTransformation<Record<string, never>> {
  assertPositive('maxNorm', maxNorm);
  return {
    init: () => ({}),
    update(grads) {
      checkGrads(grads, undefined);
      const norm = treeNorm(grads);
      const f = norm > maxNorm ? maxNorm / norm : 1;
      return { updates: mapTree((g) => (f === 1 ? tf.clone(g) : tf.mul(g, f)), grads), state: {} };
    },
  };
}

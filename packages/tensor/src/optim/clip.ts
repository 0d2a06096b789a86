/**
 * Gradient clipping.
 * @module
 */
import { assertPositive } from '../errors';
import { type GradientTransformation, checkVector, stateObject } from './transformation';

/**
 * Rescales the updates to global ℓ2 norm at most `maxNorm` (optax `clip_by_global_norm`):
 * g ← g · min(1, maxNorm/‖g‖). Stateless (state `{}`).
 */
export function clipByGlobalNorm(maxNorm: number): GradientTransformation<Record<string, never>> {
  assertPositive('maxNorm', maxNorm);
  return {
    init: () => ({}),
    update(grads, state) {
      checkVector('grads', grads);
      stateObject(state);
      let ss = 0;
      for (let i = 0; i < grads.length; i++) ss += grads[i] * grads[i];
      const norm = Math.sqrt(ss);
      const f = norm > maxNorm ? maxNorm / norm : 1;
      const u = new Float64Array(grads.length);
      for (let i = 0; i < u.length; i++) u[i] = f * grads[i];
      return { updates: u, state: {} };
    },
  };
}

/** Clips every coordinate to [−maxDelta, maxDelta] (optax `clip`). Stateless. */
export function clip(maxDelta: number): GradientTransformation<Record<string, never>> {
  assertPositive('maxDelta', maxDelta);
  return {
    init: () => ({}),
    update(grads, state) {
      checkVector('grads', grads);
      stateObject(state);
      const u = new Float64Array(grads.length);
      for (let i = 0; i < u.length; i++) u[i] = Math.min(maxDelta, Math.max(-maxDelta, grads[i]));
      return { updates: u, state: {} };
    },
  };
}

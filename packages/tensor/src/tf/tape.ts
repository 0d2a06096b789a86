/**
 * Cleanup after a user function throws inside `tf.grad`/`tf.valueAndGrad(s)` (tfjs 4.22): the
 * engine ends the tape but keeps its nodes, whose saved tensors (kept clones of op inputs) are
 * then never disposed. At the outermost gradient level we dispose them and drop the tape, as the
 * engine itself does after a successful backward pass (engine.ts `gradients`). Found by @descent/nn
 * (helper N); shared here so every autodiff entry point uses it.
 * @module
 */
import { ValueError, describe } from '@descent/tensor';
import { tf } from './backend';

interface EngineState {
  gradientDepth: number;
  activeTape: Array<{ saved?: tf.Tensor[] }> | null;
}

/**
 * Runs `fn` (which calls `tf.grad` & co.); if it throws at the outermost gradient level, releases
 * the abandoned tape's saved tensors first, then rethrows the same error.
 *
 * ```ts
 * withTapeCleanup(() => tf.grad(userLoss)(x)); // no leaked tensors when userLoss throws
 * ```
 */
export function withTapeCleanup<R>(fn: () => R): R {
  if (typeof fn !== 'function') throw new ValueError(`fn must be a function, got ${describe(fn)}`, 'fn');
  try {
    return fn();
  } catch (e) {
    const state = (tf.engine() as unknown as { state: EngineState }).state;
    if (state && state.gradientDepth === 0 && Array.isArray(state.activeTape)) {
      for (const node of state.activeTape) for (const t of node.saved ?? []) if (!t.isDisposed) t.dispose();
      state.activeTape = null;
    }
    throw e;
  }
}

/**
 * Cleanup after a function throws inside `tf.grad`/`tf.valueAndGrads` (tfjs 4.22): the engine
 * ends the tape but keeps its nodes, whose saved tensors (kept clones of op inputs) are then
 * never disposed. At the outermost gradient level we dispose them and drop the tape, which is
 * what the engine itself does after a successful backward pass (engine.ts `gradients`).
 * @internal
 * @module
 */
import { tf } from './tf';

interface EngineState {
  gradientDepth: number;
  activeTape: Array<{ saved?: tf.Tensor[] }> | null;
}

/** Runs `fn`; if it throws at the outermost gradient level, releases the abandoned tape first. */
export function withTapeCleanup<R>(fn: () => R): R {
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

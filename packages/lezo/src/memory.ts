/**
 * Memory of one call, measured honestly for tfjs.
 *
 * - `peakBytes`: the most tensor bytes alive at any moment during the call *minus* those alive
 *   before it (`tf.profile`'s `peakBytes` is absolute). This is the transient memory the call
 *   needs on top of the model: activations, gradients, optimizer temporaries, perturbation
 *   temporaries.
 * - `liveBytes`: tensor bytes alive before the call (the model, data, optimizer state).
 * - `rssBytes`: the process's resident set after the call (Node only; NaN elsewhere). The wasm
 *   heap grows and never shrinks, so RSS says where memory went over the process's life, not
 *   what one call needed; compare `peakBytes` between methods.
 * - host scratch buffers are not tensors: add the optimizer's `hostBytes`.
 * @module
 */
import { ValueError, describe } from '@descent/tensor';
import { tf } from './tf';

/** What {@link measureMemory} reports. */
export interface MemoryReport<T> {
  /** Peak tensor bytes during the call above those alive before it. */
  peakBytes: number;
  /** Tensor bytes alive before the call. */
  liveBytes: number;
  /** Tensor bytes the call left alive (after − before; 0 for a call that frees what it makes). */
  newBytes: number;
  /** Tensors the call left alive. */
  newTensors: number;
  /** Process resident set size after the call (bytes; NaN outside Node). */
  rssBytes: number;
  /** The call's result. */
  result: T;
}

function rss(): number {
  const p = (globalThis as { process?: { memoryUsage?: () => { rss: number } } }).process;
  return typeof p?.memoryUsage === 'function' ? p.memoryUsage().rss : Number.NaN;
}

/**
 * Runs `fn` under `tf.profile` and reports its transient tensor memory (see the module notes).
 *
 * ```ts
 * const m = await measureMemory(() => opt.stepOn(f));
 * console.log(m.peakBytes, m.newTensors); // e.g. 6.3e5 0
 * ```
 */
export async function measureMemory<T>(fn: () => T): Promise<MemoryReport<T>> {
  if (typeof fn !== 'function') throw new ValueError(`fn must be a function, got ${describe(fn)}`, 'fn');
  const before = tf.memory();
  let result: T | undefined;
  const info = await tf.profile(() => {
    result = fn();
    return [] as tf.Tensor[];
  });
  return {
    peakBytes: Math.max(0, info.peakBytes - before.numBytes),
    liveBytes: before.numBytes,
    newBytes: info.newBytes,
    newTensors: info.newTensors,
    rssBytes: rss(),
    result: result as T,
  };
}

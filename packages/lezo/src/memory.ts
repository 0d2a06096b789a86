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
 * - host scratch buffers are not tensors: {@link measureStep} adds the optimizer's `hostBytes`.
 * @module
 */
import type { TreeObjective } from '@descent/nn';
import { ValueError, describe } from '@descent/tensor';
import type { StepOptimizer, StepResult } from './stepOptimizer';
import { tf } from './tf';

/** What {@link measureMemory} reports. */
export interface MemoryReport {
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
}

/** What {@link measureStep} reports: the step's memory, its host scratch bytes and its result. */
export interface StepMemoryReport<R extends StepResult = StepResult> extends MemoryReport {
  /** The optimizer's host (non-tensor) scratch bytes (`optimizer.hostBytes`). */
  hostBytes: number;
  /** What the step returned. */
  result: R;
}

function rss(): number {
  const p = (globalThis as { process?: { memoryUsage?: () => { rss: number } } }).process;
  return typeof p?.memoryUsage === 'function' ? p.memoryUsage().rss : Number.NaN;
}

/**
 * Runs `fn` under `tf.profile` and reports its transient tensor memory (see the module notes).
 * What `fn` returns is ignored.
 * @internal
 */
export async function measureMemory(fn: () => unknown): Promise<MemoryReport> {
  if (typeof fn !== 'function') throw new ValueError(`fn must be a function, got ${describe(fn)}`, 'fn');
  const before = tf.memory();
  const info = await tf.profile(() => {
    fn();
    return [] as tf.Tensor[];
  });
  return {
    peakBytes: Math.max(0, info.peakBytes - before.numBytes),
    liveBytes: before.numBytes,
    newBytes: info.newBytes,
    newTensors: info.newTensors,
    rssBytes: rss(),
  };
}

/**
 * The memory of one step of `optimizer` on `f` (the step is taken): tensor bytes at the peak
 * above those alive before (the model, data and optimizer state), tensors left alive, process
 * RSS, and the optimizer's host scratch bytes. Compare methods by `peakBytes + hostBytes`; RSS
 * only grows (the wasm heap never shrinks).
 *
 * ```ts
 * const m = await measureStep(opt, objective(model, softmaxCrossEntropyLoss, xb, yb));
 * console.log(m.peakBytes, m.newTensors, m.result.loss); // e.g. 6.3e5 0 0.41
 * ```
 */
export async function measureStep<R extends StepResult>(
  optimizer: StepOptimizer<R>,
  f: TreeObjective,
): Promise<StepMemoryReport<R>> {
  if (optimizer == null || typeof (optimizer as { stepOn?: unknown }).stepOn !== 'function') {
    throw new ValueError(
      `optimizer must be a StepOptimizer (MeZO, LeZO, FirstOrder, ...), got ${describe(optimizer)}`,
      'optimizer',
    );
  }
  if (typeof f !== 'function')
    throw new ValueError(`f must be a function of the parameters, got ${describe(f)}`, 'f');
  let result: R | undefined;
  const m = await measureMemory(() => {
    result = optimizer.stepOn(f);
  });
  return { ...m, hostBytes: optimizer.hostBytes, result: result as R };
}

/**
 * The structural view of a tensor that the float64 core reads, so that the core accepts
 * `tf.Tensor` arguments without importing tfjs: any object with a numeric `rank`, a `shape`
 * array and a synchronous `dataSync()` is read as a tensor. A `tf.Tensor` of
 * `@tensorflow/tfjs-core` satisfies it.
 * @module
 */

/** What the core needs of a tensor argument (a `tf.Tensor` satisfies it). */
export interface TensorLike {
  /** Number of dimensions. */
  readonly rank: number;
  /** The shape, outermost dimension first. */
  readonly shape: readonly number[];
  /** The values in row-major order (synchronous read). */
  dataSync(): ArrayLike<number>;
}

/** True if `value` looks like a tensor (duck typing: `rank`, `shape` and `dataSync`). */
export function isTensorLike(value: unknown): value is TensorLike {
  if (value == null || typeof value !== 'object') return false;
  const t = value as { rank?: unknown; shape?: unknown; dataSync?: unknown };
  return typeof t.rank === 'number' && Array.isArray(t.shape) && typeof t.dataSync === 'function';
}

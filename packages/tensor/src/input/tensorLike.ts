/**
 * Tensors recognised by shape, without importing tfjs: anything with `rank`, `shape` and
 * `dataSync()` (a tfjs `Tensor` is one), so the float64 core reads tensors and stays tfjs-free.
 * @module
 */
import { ValueError, checkName, describe } from '../errors';

/** The part of a tfjs `Tensor` the input readers use (a `tf.Tensor` satisfies it). */
export interface TensorLike {
  /** Number of dimensions. */
  readonly rank: number;
  /** Size of each dimension. */
  readonly shape: readonly number[];
  /** The values, row-major (synchronous read). */
  dataSync(): ArrayLike<number> | ArrayLike<unknown>;
  /** The element type (`'float32'`, `'int32'`, `'bool'`, `'string'`, …), when known. */
  readonly dtype?: string;
  /** Whether the tensor was disposed (tfjs sets it). */
  readonly isDisposed?: boolean;
}

/** Whether `value` looks like a tensor (has `rank`, `shape` and `dataSync`). */
export function isTensorLike(value: unknown): value is TensorLike {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Partial<TensorLike>;
  return typeof v.rank === 'number' && Array.isArray(v.shape) && typeof v.dataSync === 'function';
}

/**
 * The values of a tensor argument as a fresh Float64Array, after checking it is not disposed and
 * holds numbers (not strings or complex numbers). Throws {@link ValueError} naming `name`.
 */
export function tensorValues(t: TensorLike, name: string): Float64Array {
  checkName(name);
  if (!isTensorLike(t)) throw new ValueError(`${name} must be a tensor, got ${describe(t)}`, name);
  if (t.isDisposed) throw new ValueError(`${name} must be a live tensor, got a disposed tensor`, name);
  if (t.dtype === 'string' || t.dtype === 'complex64') {
    throw new ValueError(`${name} must be a numeric tensor, got dtype ${t.dtype}`, name);
  }
  const data = t.dataSync() as ArrayLike<number>;
  return Float64Array.from(data);
}

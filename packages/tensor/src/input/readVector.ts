/**
 * Reading vector arguments: plain arrays, typed arrays and rank-1 tensors, checked once with
 * typed errors that name the argument.
 * @module
 */
import { ShapeError, ValueError, checkName, describe } from '../errors';
import { type TensorLike, isTensorLike, tensorValues } from './tensorLike';

/** A vector argument: a plain array, a typed array or a rank-1 tensor. */
export type VectorLike = ArrayLike<number> | TensorLike;

/** Options of {@link readVector}. */
export interface ReadVectorOptions {
  /** Required length (any length if omitted). */
  length?: number;
  /** Accept length 0 (default false: an empty vector is a {@link ShapeError}). */
  allowEmpty?: boolean;
  /** Return a fresh copy even when `value` is already a Float64Array (default false). */
  copy?: boolean;
}

/** Checks the options argument of a reader. */
export function checkReadOptions(options: unknown): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValueError(`options must be an options object, got ${describe(options)}`, 'options');
  }
  for (const [k, v] of Object.entries(options)) {
    if (v === undefined) continue;
    if (
      (k === 'length' || k === 'rows' || k === 'cols') &&
      (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    ) {
      throw new ValueError(`options.${k} must be an integer >= 0, got ${describe(v)}`, `options.${k}`);
    }
    if ((k === 'allowEmpty' || k === 'copy' || k === 'square') && typeof v !== 'boolean') {
      throw new ValueError(`options.${k} must be true or false, got ${describe(v)}`, `options.${k}`);
    }
  }
}

function isArrayLikeValue(v: unknown): v is ArrayLike<unknown> {
  return (
    v != null &&
    typeof v !== 'string' &&
    typeof v !== 'function' &&
    typeof (v as ArrayLike<unknown>).length === 'number'
  );
}

/**
 * Reads a finite vector as a Float64Array. A Float64Array input is returned as is unless `copy`;
 * anything else is copied. Throws {@link ShapeError} for a non-vector (a nested array, a tensor of
 * rank ≠ 1), a wrong length or an empty vector and {@link ValueError} for entries that are not
 * finite numbers (NaN, ±Infinity, null, strings), naming `name` and the first bad index.
 *
 * ```ts
 * readVector([1, 2, 3], 'x0', { length: 3 }); // Float64Array [1, 2, 3]
 * readVector([1, NaN], 'x0'); // ValueError: x0 must contain only finite numbers, got NaN at index 1
 * ```
 */
export function readVector(
  value: VectorLike | unknown,
  name: string,
  options: ReadVectorOptions = {},
): Float64Array {
  checkName(name);
  checkReadOptions(options);
  let v: ArrayLike<unknown>;
  let fresh = false;
  if (isTensorLike(value)) {
    if (value.rank !== 1)
      throw new ShapeError(`${name} must be a rank-1 tensor, got rank ${value.rank}`, name);
    v = tensorValues(value, name);
    fresh = true;
  } else if (isArrayLikeValue(value)) {
    v = value;
  } else {
    const expected = options.length === undefined ? 'a vector' : `a vector of length ${options.length}`;
    throw new ShapeError(
      `${name} must be ${expected} (array, typed array or rank-1 tensor), got ${describe(value)}`,
      name,
    );
  }
  if (options.length !== undefined && v.length !== options.length) {
    throw new ShapeError(`${name} must have length ${options.length}, got ${v.length}`, name);
  }
  if (v.length === 0 && !options.allowEmpty)
    throw new ShapeError(`${name} must be non-empty, got length 0`, name);
  if (!ArrayBuffer.isView(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        if (isArrayLikeValue(x))
          throw new ShapeError(
            `${name} must be a vector (rank 1), got a nested ${describe(x)} at index ${i}`,
            name,
          );
        throw new ValueError(
          `${name} must contain only finite numbers, got ${describe(x)} at index ${i}`,
          name,
        );
      }
    }
  } else {
    const t = v as unknown as ArrayLike<number | bigint>;
    for (let i = 0; i < t.length; i++) {
      const x = t[i];
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        throw new ValueError(
          `${name} must contain only finite numbers, got ${describe(x)} at index ${i}`,
          name,
        );
      }
    }
  }
  if (v instanceof Float64Array) return options.copy && !fresh ? v.slice() : v;
  return Float64Array.from(v as ArrayLike<number>);
}

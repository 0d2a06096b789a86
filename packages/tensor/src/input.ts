/**
 * Reading user arguments: vectors and matrices in any of the accepted forms, checked once, with
 * typed errors that name the argument. Every package reads its inputs through these two
 * functions so that the same mistake gets the same message everywhere.
 * @module
 */
import { ShapeError, ValueError, describe } from './errors';
import { Matrix, type MatrixLike } from './matrix';
import { type TensorLike, isTensorLike } from './tensorLike';

/** A vector argument: a plain array, a typed array or a rank-1 tensor (read by duck typing, see {@link TensorLike}). */
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

/**
 * Reads a finite vector as a Float64Array. A Float64Array input is returned as is unless `copy`;
 * anything else is copied. Throws {@link ShapeError} for a non-vector, a wrong length or an empty
 * vector and {@link ValueError} for NaN/±Infinity, naming `name` and the first bad index.
 *
 * ```ts
 * readVector([1, 2, 3], 'x0', { length: 3 }); // Float64Array [1, 2, 3]
 * readVector([1, NaN], 'x0'); // ValueError: x0 must contain only finite numbers, got NaN at index 1
 * ```
 */
export function readVector(value: unknown, name: string, options: ReadVectorOptions = {}): Float64Array {
  let v: ArrayLike<unknown>;
  let fresh = false;
  if (isTensorLike(value)) {
    if (value.rank !== 1) throw new ShapeError(`${name} must be a rank-1 tensor, got rank ${value.rank}`, name);
    v = Float64Array.from(value.dataSync());
    fresh = true;
  } else if (value != null && typeof value !== 'string' && typeof (value as ArrayLike<unknown>).length === 'number') {
    v = value as ArrayLike<unknown>;
  } else {
    const expected = options.length === undefined ? 'a vector' : `a vector of length ${options.length}`;
    throw new ShapeError(`${name} must be ${expected} (array, typed array or rank-1 tensor), got ${describe(value)}`, name);
  }
  if (options.length !== undefined && v.length !== options.length) {
    throw new ShapeError(`${name} must have length ${options.length}, got ${v.length}`, name);
  }
  if (v.length === 0 && !options.allowEmpty) throw new ShapeError(`${name} must be non-empty, got length 0`, name);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new ValueError(`${name} must contain only finite numbers, got ${describe(x)} at index ${i}`, name);
    }
  }
  if (v instanceof Float64Array) return options.copy && !fresh ? v.slice() : v;
  return Float64Array.from(v as ArrayLike<number>);
}

/** Options of {@link readMatrix}. */
export interface ReadMatrixOptions {
  /** Require a square matrix (default false). */
  square?: boolean;
  /** Accept zero rows or columns (default false). */
  allowEmpty?: boolean;
  /** Required number of columns (any if omitted). */
  cols?: number;
}

/**
 * Reads a finite matrix ({@link Matrix}, nested arrays or rank-2 tensor; a Matrix is not
 * copied). Throws {@link ShapeError} for a wrong form, an empty matrix, a non-square one when
 * `square`, or a wrong column count, and {@link ValueError} for NaN/±Infinity naming the row and
 * column.
 */
export function readMatrix(value: MatrixLike, name: string, options: ReadMatrixOptions = {}): Matrix {
  const M = Matrix.of(value, name);
  if (!options.allowEmpty && (M.rows === 0 || M.cols === 0)) {
    throw new ShapeError(`${name} must have at least one row and one column, got ${M.rows}×${M.cols}`, name);
  }
  if (options.square && M.rows !== M.cols) throw new ShapeError(`${name} must be square, got ${M.rows}×${M.cols}`, name);
  if (options.cols !== undefined && M.cols !== options.cols) {
    throw new ShapeError(`${name} must have ${options.cols} columns, got ${M.cols}`, name);
  }
  const d = M.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) {
      throw new ValueError(
        `${name} must contain only finite numbers, got ${describe(d[i])} at row ${Math.floor(i / M.cols)}, column ${i % M.cols}`,
        name,
      );
    }
  }
  return M;
}

/**
 * Reading matrix arguments: a {@link Matrix}, nested arrays (rows), an array of typed-array rows
 * or a rank-2 tensor, checked once with typed errors naming the argument, the row and the column.
 * @module
 */
import { ShapeError, ValueError, checkName, describe } from '../errors';
import { checkReadOptions } from './readVector';
import { Matrix } from '../matrix';
import { type TensorLike, isTensorLike, tensorValues } from './tensorLike';

/** A matrix argument: a {@link Matrix}, nested arrays of rows, or a rank-2 tensor. */
export type MatrixInput = Matrix | ArrayLike<ArrayLike<number>> | TensorLike;

/** Options of {@link readMatrix} and {@link readRows}. */
export interface ReadMatrixOptions {
  /** Require a square matrix (default false). */
  square?: boolean;
  /** Accept zero rows or columns (default false). */
  allowEmpty?: boolean;
  /** Required number of rows (any if omitted). */
  rows?: number;
  /** Required number of columns (any if omitted). */
  cols?: number;
}

function badEntry(name: string, x: unknown, i: number, j: number): ValueError {
  return new ValueError(
    `${name} must contain only finite numbers, got ${describe(x)} at row ${i}, column ${j}`,
    name,
  );
}

function isRow(v: unknown): v is ArrayLike<unknown> {
  return (
    v != null &&
    typeof v !== 'string' &&
    typeof v !== 'function' &&
    typeof (v as ArrayLike<unknown>).length === 'number'
  );
}

/** Reads any {@link MatrixInput} into a (possibly shared) Matrix, checking shape and entries. */
function toMatrix(value: unknown, name: string): Matrix {
  if (value instanceof Matrix) {
    const d = value.data;
    for (let k = 0; k < d.length; k++) {
      if (!Number.isFinite(d[k])) throw badEntry(name, d[k], Math.floor(k / value.cols), k % value.cols);
    }
    return value;
  }
  if (isTensorLike(value)) {
    if (value.rank !== 2)
      throw new ShapeError(`${name} must be a rank-2 tensor, got rank ${value.rank}`, name);
    const [rows, cols] = value.shape;
    const data = tensorValues(value, name);
    for (let k = 0; k < data.length; k++) {
      if (!Number.isFinite(data[k])) throw badEntry(name, data[k], Math.floor(k / cols), k % cols);
    }
    return new Matrix(rows, cols, data);
  }
  if (!isRow(value)) {
    throw new ShapeError(
      `${name} must be a Matrix, an array of rows or a rank-2 tensor, got ${describe(value)}`,
      name,
    );
  }
  const rows = value.length;
  let cols = 0;
  if (rows > 0) {
    const r0 = value[0];
    if (!isRow(r0))
      throw new ShapeError(`${name} must be an array of rows (rank 2), got ${describe(r0)} at row 0`, name);
    cols = r0.length;
  }
  const M = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) {
    const row = value[i];
    if (!isRow(row))
      throw new ShapeError(
        `${name} must be an array of rows (rank 2), got ${describe(row)} at row ${i}`,
        name,
      );
    if (row.length !== cols)
      throw new ShapeError(
        `${name} must have rows of equal length ${cols}, got length ${row.length} at row ${i}`,
        name,
      );
    for (let j = 0; j < cols; j++) {
      const x = row[j];
      if (typeof x !== 'number' || !Number.isFinite(x)) throw badEntry(name, x, i, j);
      M.data[i * cols + j] = x;
    }
  }
  return M;
}

function checkShape(M: Matrix, name: string, options: ReadMatrixOptions): void {
  if (!options.allowEmpty && (M.rows === 0 || M.cols === 0)) {
    throw new ShapeError(`${name} must have at least one row and one column, got ${M.rows}×${M.cols}`, name);
  }
  if (options.square && M.rows !== M.cols)
    throw new ShapeError(`${name} must be square, got ${M.rows}×${M.cols}`, name);
  if (options.rows !== undefined && M.rows !== options.rows) {
    throw new ShapeError(`${name} must have ${options.rows} rows, got ${M.rows}`, name);
  }
  if (options.cols !== undefined && M.cols !== options.cols) {
    throw new ShapeError(`${name} must have ${options.cols} columns, got ${M.cols}`, name);
  }
}

/**
 * Reads a finite matrix ({@link Matrix}, nested arrays, typed-array rows or a rank-2 tensor; a
 * Matrix is not copied). Throws {@link ShapeError} for a wrong form, ragged rows, an empty matrix,
 * a non-square one when `square`, or a wrong row/column count, and {@link ValueError} for entries
 * that are not finite numbers (NaN, ±Infinity, null, strings) naming the row and column.
 *
 * ```ts
 * readMatrix([[1, 2], [3, null]], 'X'); // ValueError: X must contain only finite numbers, got null at row 1, column 1
 * ```
 */
export function readMatrix(
  value: MatrixInput | unknown,
  name: string,
  options: ReadMatrixOptions = {},
): Matrix {
  checkName(name);
  checkReadOptions(options);
  const M = toMatrix(value, name);
  checkShape(M, name, options);
  return M;
}

/**
 * Reads a set of points (rows) as separate Float64Array copies: the same inputs and checks as
 * {@link readMatrix}.
 */
export function readRows(
  value: MatrixInput | unknown,
  name: string,
  options: ReadMatrixOptions = {},
): Float64Array[] {
  const M = readMatrix(value, name, options);
  const out: Float64Array[] = [];
  for (let i = 0; i < M.rows; i++) out.push(M.data.slice(i * M.cols, (i + 1) * M.cols));
  return out;
}

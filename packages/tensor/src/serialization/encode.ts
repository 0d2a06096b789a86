/**
 * Writing blobs: numbers that JSON cannot hold, vectors and matrices as plain arrays.
 * @module
 */

import { ValueError, describe } from '../errors';
import { readMatrix } from '../input/readMatrix';
import { readVector } from '../input/readVector';

/** A number as written into a blob: finite numbers as they are, ±Infinity and NaN as strings. */
export type EncodedNumber = number | 'Infinity' | '-Infinity' | 'NaN';

/**
 * Encodes a number for a blob: finite numbers unchanged, `Infinity` → `'Infinity'`,
 * `-Infinity` → `'-Infinity'`, `NaN` → `'NaN'` (`JSON.stringify` would write `null` for all
 * three). Read back with `BlobReader.extendedNumber`.
 */
export function encodeNumber(x: number): EncodedNumber {
  if (typeof x !== 'number') throw new ValueError(`x must be a number, got ${describe(x)}`, 'x');
  if (Number.isFinite(x)) return x;
  if (Number.isNaN(x)) return 'NaN';
  return x > 0 ? 'Infinity' : '-Infinity';
}

/** A vector as a plain number array (exact: JSON keeps every finite double, not the sign of zero). */
export function vectorToJSON(v: ArrayLike<number>): number[] {
  return Array.from(readVector(v, 'v', { allowEmpty: true }));
}

/** A row-major matrix as nested arrays of rows. */
export function matrixToJSON(m: { rows: number; cols: number; data: ArrayLike<number> }): number[][] {
  m = readMatrix(m, 'm', { allowEmpty: true });
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) {
    const row = new Array<number>(m.cols);
    for (let j = 0; j < m.cols; j++) row[j] = m.data[i * m.cols + j];
    out.push(row);
  }
  return out;
}

/** Assembles a versioned blob `{ type, version, ...fields }`. */
export function makeBlob<T extends string, F extends Record<string, unknown>>(
  type: T,
  version: number,
  fields: F,
): { type: T; version: number } & F {
  if (typeof type !== 'string' || type.length === 0)
    throw new ValueError(`type must be a non-empty string (the class name), got ${describe(type)}`, 'type');
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new ValueError(`version must be an integer >= 1, got ${describe(version)}`, 'version');
  }
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
    throw new ValueError(`fields must be an object, got ${describe(fields)}`, 'fields');
  }
  return { type, version, ...fields };
}

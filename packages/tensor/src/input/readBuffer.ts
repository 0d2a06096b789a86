/**
 * Reading caller-owned buffers: a Float64Array that a function reads in place or writes into (an
 * `out` argument, an iterate updated in place, a row-major block). Unlike {@link readVector} it
 * never converts or copies (a copy of an output buffer would swallow the writes).
 * @module
 */
import { ShapeError, ValueError, checkName, describe } from '../errors';

/** Options of {@link readBuffer}. */
export interface ReadBufferOptions {
  /** Required length (exact). */
  length?: number;
  /** Smallest length accepted (for buffers that may be longer than what is used). */
  minLength?: number;
  /** Check that every entry is a finite number (default true; false for output buffers). */
  finite?: boolean;
  /** How the length is described in the message, e.g. `'m·d'` (`x must have length m·d = 12`). */
  lengthName?: string;
}

function readLength(v: unknown, key: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    throw new ValueError(`options.${key} must be an integer >= 0, got ${describe(v)}`, `options.${key}`);
  return v;
}

/**
 * Checks a caller-owned Float64Array argument and returns it (the same object). Not a
 * Float64Array → {@link ValueError}; wrong length → {@link ShapeError}; a non-finite entry (when
 * `finite`, the default) → {@link ValueError} naming `name` and the first bad index.
 *
 * ```ts
 * readBuffer(W, 'W', { length: m * d, lengthName: 'm·d' }); // W, or: W must have length m·d = 12, got length 10
 * readBuffer(out, 'out', { length: d, finite: false }); // an output buffer: any contents
 * ```
 */
export function readBuffer(value: unknown, name: string, options: ReadBufferOptions = {}): Float64Array {
  checkName(name);
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new ValueError(`options must be an options object, got ${describe(options)}`, 'options');
  const length = readLength(options.length, 'length');
  const minLength = readLength(options.minLength, 'minLength');
  if (!(value instanceof Float64Array))
    throw new ValueError(`${name} must be a Float64Array, got ${describe(value)}`, name);
  const what = options.lengthName === undefined ? '' : `${options.lengthName} = `;
  if (length !== undefined && value.length !== length)
    throw new ShapeError(`${name} must have length ${what}${length}, got length ${value.length}`, name);
  if (minLength !== undefined && value.length < minLength)
    throw new ShapeError(`${name} must have length >= ${what}${minLength}, got length ${value.length}`, name);
  if (options.finite !== false) {
    for (let i = 0; i < value.length; i++) {
      if (!Number.isFinite(value[i]))
        throw new ValueError(
          `${name} must contain only finite numbers, got ${describe(value[i])} at index ${i}`,
          name,
        );
    }
  }
  return value;
}

/**
 * Reading blobs: the validating reader every `fromJSON` uses. Each read names the field path
 * in its error (`state.C[3] must be a finite number, got null`), with the error class of the
 * project's rule: a wrong length is a {@link ShapeError}, everything else (missing field, wrong
 * type or version, wrong kind of value, non-finite or out-of-range number, null inside an array)
 * a {@link ValueError}.
 * @module
 */
import { ShapeError, ValueError, describe } from '../errors';
import { Matrix } from '../matrix';
import { Rng } from '../rng';
import type { VersionedJSON } from '../protocols/serializable';

/** Bounds of a number read from a blob (all optional, all inclusive unless `gt`/`lt`). */
export interface NumberRange {
  /** value ≥ min */
  min?: number;
  /** value ≤ max */
  max?: number;
  /** value > gt */
  gt?: number;
  /** value < lt */
  lt?: number;
}

/** Options of {@link BlobReader.vector} and friends. */
export interface ArrayReadOptions extends NumberRange {
  /** Required length. */
  length?: number;
  /** Smallest accepted length (default 0). */
  minLength?: number;
}

/** Options of {@link openBlob}. */
export interface OpenBlobOptions {
  /** The expected `type` field (the class name). */
  type: string;
  /** The accepted `version` (or versions). */
  version: number | readonly number[];
}

function rangeText(r: NumberRange): string | null {
  const parts: string[] = [];
  if (r.gt !== undefined) parts.push(`> ${r.gt}`);
  if (r.min !== undefined) parts.push(`>= ${r.min}`);
  if (r.lt !== undefined) parts.push(`< ${r.lt}`);
  if (r.max !== undefined) parts.push(`<= ${r.max}`);
  return parts.length ? parts.join(' and ') : null;
}

function inRange(v: number, r: NumberRange): boolean {
  return (
    (r.min === undefined || v >= r.min) &&
    (r.max === undefined || v <= r.max) &&
    (r.gt === undefined || v > r.gt) &&
    (r.lt === undefined || v < r.lt)
  );
}

function checkReader(read: unknown): void {
  if (typeof read !== 'function')
    throw new ValueError(`read must be a function of a BlobReader, got ${describe(read)}`, 'read');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

/**
 * A position in a blob being read: the value there and its path from the blob's root. Reading
 * methods come in two forms: `number('sigma')` reads the field `sigma` of the object here, and
 * `at('sigma').asNumber()` does the same in two steps (for array elements: `at(3)`).
 */
export class BlobReader {
  /**
   * @param value - the value at this position.
   * @param path - its path from the root (`''` at the root, `state.C[3]` below).
   * @param context - prefix of error messages, e.g. `'CMAES.fromJSON'`.
   */
  constructor(
    readonly value: unknown,
    readonly path: string,
    readonly context: string,
  ) {
    if (typeof path !== 'string')
      throw new ValueError(
        `path must be a string (the field path, '' at the root), got ${describe(path)}`,
        'path',
      );
    if (typeof context !== 'string' || context.length === 0) {
      throw new ValueError(
        `context must be a non-empty string (e.g. 'CMAES.fromJSON'), got ${describe(context)}`,
        'context',
      );
    }
  }

  /** The path of a child: `key` at the root, `path.key` or `path[i]` below. */
  childPath(key: string | number): string {
    if (
      typeof key === 'number'
        ? !Number.isInteger(key) || key < 0
        : typeof key !== 'string' || key.length === 0
    ) {
      throw new ValueError(`key must be a field name or an array index, got ${describe(key)}`, 'key');
    }
    if (typeof key === 'number') return `${this.path || 'json'}[${key}]`;
    return this.path ? `${this.path}.${key}` : key;
  }

  private name(): string {
    return this.path || 'json';
  }

  /** A {@link ValueError} about this position (message `context: path must …, got …`). */
  valueError(expected: string, got: unknown = this.value): ValueError {
    if (typeof expected !== 'string')
      throw new ValueError(`expected must be a string, got ${describe(expected)}`, 'expected');
    return new ValueError(
      `${this.context}: ${this.name()} must be ${expected}, got ${describe(got)}`,
      this.name(),
    );
  }

  /** A {@link ShapeError} about this position. */
  shapeError(expected: string, gotLength: number): ShapeError {
    if (typeof expected !== 'string')
      throw new ValueError(`expected must be a string, got ${describe(expected)}`, 'expected');
    if (typeof gotLength !== 'number' || !Number.isInteger(gotLength) || gotLength < 0) {
      throw new ValueError(`gotLength must be a length, got ${describe(gotLength)}`, 'gotLength');
    }
    return new ShapeError(
      `${this.context}: ${this.name()} must have ${expected}, got length ${gotLength}`,
      this.name(),
    );
  }

  /** The reader of field `key` (of this object) or element `key` (of this array). */
  at(key: string | number): BlobReader {
    if (typeof key === 'number') {
      const arr = this.asArrayValue();
      return new BlobReader(arr[key], this.childPath(key), this.context);
    }
    const obj = this.asObjectValue();
    return new BlobReader(Object.hasOwn(obj, key) ? obj[key] : undefined, this.childPath(key), this.context);
  }

  /** Whether field `key` is present (and not `undefined`). */
  has(key: string): boolean {
    return this.asObjectValue()[key] !== undefined;
  }

  /** The value itself; throws if it is missing (`undefined`). */
  asRaw(): unknown {
    if (this.value === undefined) throw this.missing();
    return this.value;
  }

  private missing(): ValueError {
    return new ValueError(`${this.context}: ${this.name()} is missing`, this.name());
  }

  /** The value as a plain object (not null, not an array). */
  asObjectValue(): Record<string, unknown> {
    if (this.value === undefined) throw this.missing();
    if (!isPlainObject(this.value)) throw this.valueError('an object');
    return this.value;
  }

  /** The value as an array (any elements). */
  asArrayValue(): unknown[] {
    if (this.value === undefined) throw this.missing();
    if (!Array.isArray(this.value)) throw this.valueError('an array');
    return this.value;
  }

  /** A finite number (in `range` if given). */
  asNumber(range: NumberRange = {}): number {
    const v = this.value;
    if (v === undefined) throw this.missing();
    if (typeof v !== 'number' || !Number.isFinite(v)) throw this.valueError('a finite number');
    if (!inRange(v, range)) throw this.valueError(`a number ${rangeText(range)}`);
    return v;
  }

  /**
   * A number that may be ±Infinity (or NaN with `allowNaN`), written by `encodeNumber`: a finite
   * number, or the string `'Infinity'`, `'-Infinity'` (or `'NaN'`). A raw non-finite number is
   * rejected: it can only come from a damaged blob.
   */
  asExtendedNumber(range: NumberRange & { allowNaN?: boolean } = {}): number {
    const v = this.value;
    if (v === undefined) throw this.missing();
    let x: number;
    if (typeof v === 'number' && Number.isFinite(v)) x = v;
    else if (v === 'Infinity') x = Number.POSITIVE_INFINITY;
    else if (v === '-Infinity') x = Number.NEGATIVE_INFINITY;
    else if (v === 'NaN' && range.allowNaN) return Number.NaN;
    else
      throw this.valueError(`a finite number or 'Infinity' / '-Infinity'${range.allowNaN ? " / 'NaN'" : ''}`);
    if (!inRange(x, range)) throw this.valueError(`a number ${rangeText(range)}`);
    return x;
  }

  /** An integer in `range` (default any). */
  asInteger(range: NumberRange = {}): number {
    const v = this.value;
    if (v === undefined) throw this.missing();
    if (typeof v !== 'number' || !Number.isInteger(v)) throw this.valueError('an integer');
    if (!inRange(v, range)) throw this.valueError(`an integer ${rangeText(range)}`);
    return v;
  }

  /** A boolean. */
  asBoolean(): boolean {
    if (this.value === undefined) throw this.missing();
    if (typeof this.value !== 'boolean') throw this.valueError('a boolean');
    return this.value;
  }

  /** A string. */
  asString(): string {
    if (this.value === undefined) throw this.missing();
    if (typeof this.value !== 'string') throw this.valueError('a string');
    return this.value;
  }

  /** A seed: a finite number or a string. */
  asSeed(): number | string {
    const v = this.value;
    if (v === undefined) throw this.missing();
    if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) return v;
    throw this.valueError('a seed (a finite number or a string)');
  }

  /** One of the strings `values`. */
  asOneOf<const T extends string>(values: readonly T[]): T {
    const v = this.value;
    if (v === undefined) throw this.missing();
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
      throw this.valueError(`one of ${values.map((s) => `'${s}'`).join(', ')}`);
    }
    return v as T;
  }

  /** Checks the length of the array here against `options`. */
  private checkLength(arr: unknown[], options: ArrayReadOptions): void {
    if (options.length !== undefined && arr.length !== options.length) {
      throw this.shapeError(`length ${options.length}`, arr.length);
    }
    if (options.minLength !== undefined && arr.length < options.minLength) {
      throw this.shapeError(`length >= ${options.minLength}`, arr.length);
    }
  }

  /** An array of finite numbers as a Float64Array (length and entry range per `options`). */
  asVector(options: ArrayReadOptions = {}): Float64Array {
    const arr = this.asArrayValue();
    this.checkLength(arr, options);
    const out = new Float64Array(arr.length);
    for (let i = 0; i < arr.length; i++) out[i] = this.at(i).asNumber(options);
    return out;
  }

  /** An array of finite numbers as a plain array. */
  asNumbers(options: ArrayReadOptions = {}): number[] {
    return Array.from(this.asVector(options));
  }

  /** An array of integers (each in the range of `options`). */
  asIntegers(options: ArrayReadOptions = {}): number[] {
    const arr = this.asArrayValue();
    this.checkLength(arr, options);
    return arr.map((_, i) => this.at(i).asInteger(options));
  }

  /** An array of numbers written by `encodeNumber` (±Infinity allowed). */
  asExtendedNumbers(options: ArrayReadOptions & { allowNaN?: boolean } = {}): number[] {
    const arr = this.asArrayValue();
    this.checkLength(arr, options);
    return arr.map((_, i) => this.at(i).asExtendedNumber(options));
  }

  /** Nested arrays of rows (as `matrixToJSON` writes) as a {@link Matrix}. */
  asMatrix(options: { rows?: number; cols?: number } & NumberRange = {}): Matrix {
    const rowsArr = this.asArrayValue();
    if (options.rows !== undefined && rowsArr.length !== options.rows) {
      throw this.shapeError(`${options.rows} rows`, rowsArr.length);
    }
    const first = rowsArr.length > 0 ? this.at(0).asArrayValue().length : (options.cols ?? 0);
    const cols = options.cols ?? first;
    const M = new Matrix(rowsArr.length, cols);
    for (let i = 0; i < rowsArr.length; i++) {
      const row = this.at(i).asVector({ ...options, length: cols });
      M.data.set(row, i * cols);
    }
    return M;
  }

  /** An array whose elements are read by `read` (each element's reader carries its path). */
  asArray<T>(
    read: (element: BlobReader, index: number) => T,
    options: { length?: number; minLength?: number } = {},
  ): T[] {
    checkReader(read);
    const arr = this.asArrayValue();
    this.checkLength(arr, options);
    return arr.map((_, i) => read(this.at(i), i));
  }

  /** `null` if the value here is `null`, otherwise `read(this)`. */
  asNullable<T>(read: (r: BlobReader) => T): T | null {
    checkReader(read);
    if (this.value === null) return null;
    return read(this);
  }

  /** A saved {@link Rng} (`Rng.toJSON()`: four 32-bit key words and four state words, not all zero). */
  asRng(): Rng {
    const key = this.at('key').asIntegers({ length: 4, min: 0, max: 0xffffffff });
    const state = this.at('state').asIntegers({ length: 4, min: -0x80000000, max: 0xffffffff });
    if (state.every((s) => s === 0)) throw this.at('state').valueError('a non-zero xoshiro state');
    return Rng.fromJSON({
      key: key as [number, number, number, number],
      state: state as [number, number, number, number],
    });
  }

  // keyed shortcuts: `r.number('sigma')` is `r.at('sigma').asNumber()`

  /** Field `key` as a finite number in `range`. */
  number(key: string, range?: NumberRange): number {
    return this.at(key).asNumber(range);
  }
  /** Field `key` as a number that may be ±Infinity (see {@link BlobReader.asExtendedNumber}). */
  extendedNumber(key: string, range?: NumberRange & { allowNaN?: boolean }): number {
    return this.at(key).asExtendedNumber(range);
  }
  /** Field `key` as an integer in `range`. */
  integer(key: string, range?: NumberRange): number {
    return this.at(key).asInteger(range);
  }
  /** Field `key` as a boolean. */
  boolean(key: string): boolean {
    return this.at(key).asBoolean();
  }
  /** Field `key` as a string. */
  string(key: string): string {
    return this.at(key).asString();
  }
  /** Field `key` as a seed (finite number or string). */
  seed(key: string): number | string {
    return this.at(key).asSeed();
  }
  /** Field `key` as one of `values`. */
  oneOf<const T extends string>(key: string, values: readonly T[]): T {
    return this.at(key).asOneOf(values);
  }
  /** Field `key` as a Float64Array of finite numbers. */
  vector(key: string, options?: ArrayReadOptions): Float64Array {
    return this.at(key).asVector(options);
  }
  /** Field `key` as a number array. */
  numbers(key: string, options?: ArrayReadOptions): number[] {
    return this.at(key).asNumbers(options);
  }
  /** Field `key` as an integer array. */
  integers(key: string, options?: ArrayReadOptions): number[] {
    return this.at(key).asIntegers(options);
  }
  /** Field `key` as a {@link Matrix} (nested rows). */
  matrix(key: string, options?: { rows?: number; cols?: number } & NumberRange): Matrix {
    return this.at(key).asMatrix(options);
  }
  /** Field `key` as an object: its reader. */
  object(key: string): BlobReader {
    const r = this.at(key);
    r.asObjectValue();
    return r;
  }
  /** Field `key` as an array read element by element. */
  array<T>(
    key: string,
    read: (element: BlobReader, index: number) => T,
    options?: { length?: number; minLength?: number },
  ): T[] {
    return this.at(key).asArray(read, options);
  }
  /** Field `key`: `null` stays `null`, anything else is read by `read`. */
  nullable<T>(key: string, read: (r: BlobReader) => T): T | null {
    return this.at(key).asNullable(read);
  }
  /** Field `key` if present, else `fallback` (for fields added in a later version). */
  optional<T>(key: string, read: (r: BlobReader) => T, fallback: T): T {
    checkReader(read);
    return this.has(key) ? read(this.at(key)) : fallback;
  }
  /** Field `key` as a saved {@link Rng}. */
  rng(key: string): Rng {
    return this.at(key).asRng();
  }
}

/** The root reader of a blob, with its `type` and `version` checked. */
export interface RootBlobReader extends BlobReader {
  /** The blob's version (one of the accepted ones). */
  readonly version: number;
}

/**
 * Opens a blob for reading: accepts the blob object or its JSON text, checks that it is an
 * object whose `type` is `options.type` and whose `version` is (one of) `options.version`, and
 * returns the root {@link BlobReader}. Every `fromJSON` of descent starts here.
 *
 * ```ts
 * static fromJSON(json: unknown): CMAES {
 *   const r = openBlob(json, { type: 'CMAES', version: 1 });
 *   const sigma = r.number('sigma', { gt: 0 });  // ValueError 'CMAES.fromJSON: sigma must be …'
 *   const C = r.vector('C', { length: d * d });  // ShapeError on a wrong length
 * }
 * ```
 */
export function openBlob(json: unknown, options: OpenBlobOptions): RootBlobReader {
  if (
    options === null ||
    typeof options !== 'object' ||
    typeof options.type !== 'string' ||
    options.type.length === 0
  ) {
    throw new ValueError(
      `options must be { type: 'ClassName', version }, got ${describe(options)}`,
      'options',
    );
  }
  const versions = typeof options.version === 'number' ? [options.version] : options.version;
  if (
    !Array.isArray(versions) ||
    versions.length === 0 ||
    versions.some((v) => typeof v !== 'number' || !Number.isInteger(v) || v < 1)
  ) {
    throw new ValueError(
      `options.version must be an integer >= 1 or a list of them, got ${describe(options.version)}`,
      'options.version',
    );
  }
  const context = `${options.type}.fromJSON`;
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (e) {
      throw new ValueError(
        `${context}: json must be a ${options.type} blob or its JSON text, got text that is not valid JSON (${(e as Error).message})`,
        'json',
      );
    }
  }
  if (!isPlainObject(value)) {
    throw new ValueError(
      `${context}: json must be a ${options.type} blob {type: '${options.type}', version, ...}, got ${describe(value)}`,
      'json',
    );
  }
  const r = new BlobReader(value, '', context);
  const type = (value as Partial<VersionedJSON>).type;
  if (type !== options.type) {
    throw new ValueError(`${context}: type must be '${options.type}', got ${describe(type)}`, 'type');
  }
  const accepted = typeof options.version === 'number' ? [options.version] : options.version;
  const version = (value as Partial<VersionedJSON>).version;
  if (typeof version !== 'number' || !accepted.includes(version)) {
    throw new ValueError(
      `${context}: version must be ${accepted.join(' or ')} (versions this release reads), got ${describe(version)}`,
      'version',
    );
  }
  return Object.assign(r, { version }) as RootBlobReader;
}

/**
 * Reading one scalar option: numbers in a range, integers, enum strings, booleans, seeds and
 * callbacks, each with a {@link ValueError} naming the option (`sigma0 must be > 0, got -1`).
 * @module
 */
import { ValueError, checkName, describe } from '../errors';

/** Range of a numeric option (all bounds optional; `min`/`max` inclusive, `gt`/`lt` strict). */
export interface NumberBounds {
  /** value ≥ min */
  min?: number;
  /** value ≤ max */
  max?: number;
  /** value > gt */
  gt?: number;
  /** value < lt */
  lt?: number;
  /** Accept `Infinity` (e.g. a budget meaning "no limit"; default false). */
  allowInfinity?: boolean;
}

function boundsText(b: NumberBounds): string {
  const lo = b.gt ?? b.min;
  const hi = b.lt ?? b.max;
  if (lo !== undefined && hi !== undefined) {
    return `in ${b.gt !== undefined ? '(' : '['}${lo}, ${hi}${b.lt !== undefined ? ')' : ']'}`;
  }
  if (lo !== undefined) return `${b.gt !== undefined ? '>' : '>='} ${lo}`;
  if (hi !== undefined) return `${b.lt !== undefined ? '<' : '<='} ${hi}`;
  return '';
}

/** Checks a bounds argument (an object of numbers). */
export function checkBounds(b: unknown): asserts b is NumberBounds {
  if (b === null || typeof b !== 'object' || Array.isArray(b)) {
    throw new ValueError(
      `bounds must be an object { min, max, gt, lt, allowInfinity }, got ${describe(b)}`,
      'bounds',
    );
  }
  for (const k of ['min', 'max', 'gt', 'lt'] as const) {
    const v = (b as NumberBounds)[k];
    if (v !== undefined && (typeof v !== 'number' || Number.isNaN(v))) {
      throw new ValueError(`bounds.${k} must be a number, got ${describe(v)}`, `bounds.${k}`);
    }
  }
}

function inBounds(v: number, b: NumberBounds): boolean {
  return (
    (b.min === undefined || v >= b.min) &&
    (b.max === undefined || v <= b.max) &&
    (b.gt === undefined || v > b.gt) &&
    (b.lt === undefined || v < b.lt)
  );
}

/**
 * Reads a number option: finite (or `Infinity` with `allowInfinity`) and within the bounds.
 *
 * ```ts
 * readNumber(-1, 'sigma0', { gt: 0 }); // ValueError: sigma0 must be > 0, got -1
 * ```
 */
export function readNumber(value: unknown, name: string, bounds: NumberBounds = {}): number {
  checkName(name);
  checkBounds(bounds);
  const okInf = bounds.allowInfinity && value === Number.POSITIVE_INFINITY;
  if (typeof value !== 'number' || (!Number.isFinite(value) && !okInf)) {
    const what = bounds.allowInfinity ? 'a finite number or Infinity' : 'a finite number';
    const range = boundsText(bounds);
    throw new ValueError(`${name} must be ${what}${range ? ` ${range}` : ''}, got ${describe(value)}`, name);
  }
  if (!inBounds(value, bounds))
    throw new ValueError(`${name} must be ${boundsText(bounds)}, got ${describe(value)}`, name);
  return value;
}

/**
 * Reads an integer option (a size, a count, a budget), within the bounds; `Infinity` only with
 * `allowInfinity`.
 *
 * ```ts
 * readInteger(2.5, 'popSize', { min: 2 }); // ValueError: popSize must be an integer >= 2, got 2.5
 * ```
 */
export function readInteger(value: unknown, name: string, bounds: NumberBounds = {}): number {
  checkName(name);
  checkBounds(bounds);
  const okInf = bounds.allowInfinity && value === Number.POSITIVE_INFINITY;
  const range = boundsText(bounds);
  if (typeof value !== 'number' || (!Number.isInteger(value) && !okInf) || !inBounds(value, bounds)) {
    const what = bounds.allowInfinity ? 'an integer (or Infinity)' : 'an integer';
    throw new ValueError(`${name} must be ${what}${range ? ` ${range}` : ''}, got ${describe(value)}`, name);
  }
  return value;
}

/**
 * Reads an enum option: one of the strings `values` (a wrong string is a {@link ValueError},
 * never a NotSupportedError).
 *
 * ```ts
 * readEnum('svd', 'method', ['cma', 'sv-cma']); // ValueError: method must be one of 'cma', 'sv-cma', got string "svd"
 * ```
 */
export function readEnum<const T extends string>(value: unknown, name: string, values: readonly T[]): T {
  checkName(name);
  if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== 'string')) {
    throw new ValueError(
      `values must be a non-empty array of the allowed strings, got ${describe(values)}`,
      'values',
    );
  }
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    throw new ValueError(
      `${name} must be one of ${values.map((v) => `'${v}'`).join(', ')}, got ${describe(value)}`,
      name,
    );
  }
  return value as T;
}

/** Reads a boolean option. */
export function readBoolean(value: unknown, name: string): boolean {
  checkName(name);
  if (typeof value !== 'boolean')
    throw new ValueError(`${name} must be true or false, got ${describe(value)}`, name);
  return value;
}

/** A seed: a finite number (integer or not) or a string; both key the shared `Rng`. */
export type Seed = number | string;

/**
 * Reads a seed option: a finite number or a string (every package accepts both; the same seed
 * gives the same bits).
 */
export function readSeed(value: unknown, name = 'seed'): Seed {
  checkName(name);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new ValueError(`${name} must be a finite number or a string, got ${describe(value)}`, name);
}

/** Reads a callback option. */
export function readFunction<F extends (...args: never[]) => unknown>(value: unknown, name: string): F {
  checkName(name);
  if (typeof value !== 'function')
    throw new ValueError(`${name} must be a function, got ${describe(value)}`, name);
  return value as F;
}

/**
 * Reads an options argument: `undefined` is `{}`, a plain object is returned as is, anything else
 * (null, a number, a string, an array) is a {@link ValueError} naming `name`. For functions whose
 * options are read field by field (with {@link resolveOptions} prefer that: it checks fields too).
 */
export function readOptions<T extends object>(value: T | undefined | unknown, name = 'options'): Partial<T> {
  checkName(name);
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value)) {
    throw new ValueError(`${name} must be an options object, got ${describe(value)}`, name);
  }
  return value as Partial<T>;
}

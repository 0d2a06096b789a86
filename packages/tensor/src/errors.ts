/**
 * Typed errors shared by every descent package. Each message names the argument, what was
 * expected and what was received, e.g. `sigma0 must be > 0, got -1`.
 * @module
 */

/**
 * The brand that makes `instanceof` work across copies of this module (the "dual-package
 * hazard": the ESM and the CJS build of @descent/tensor loaded in one program, or two installed
 * versions). Each error carries the names of its classes under a `Symbol.for` key, shared by all
 * copies; `instanceof` falls back to it when the prototype chain does not match.
 */
const BRAND = Symbol.for('@descent/tensor:DescentError');

function classNames(target: unknown): string[] {
  const names: string[] = [];
  for (let c = target as { name?: string } | null; c && c !== Error && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    if (typeof c.name === 'string') names.push(c.name);
  }
  return names;
}

/** Base class of every error thrown on purpose by a descent package. */
export class DescentError extends Error {
  /** The argument or option the error is about (e.g. `"sigma0"`), when there is one. */
  readonly argument: string | undefined;
  constructor(message: string, argument?: string) {
    super(message);
    this.name = new.target.name;
    this.argument = argument;
    Object.defineProperty(this, BRAND, { value: classNames(new.target) });
  }

  /**
   * `err instanceof ValueError` holds for a ValueError made by any copy of @descent/tensor (ESM
   * and CJS builds, or two versions), matched by class name through a `Symbol.for` brand.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const names = value != null && typeof value === 'object' ? (value as { [BRAND]?: unknown })[BRAND] : undefined;
    return Array.isArray(names) && names.includes(this.name);
  }
}

/** A value has the wrong shape, length or dimension. */
export class ShapeError extends DescentError {}

/** A value is out of range, non-finite, or otherwise not acceptable (e.g. a non-SPD matrix). */
export class ValueError extends DescentError {}

/** An iterative method did not converge within its budget. */
export class ConvergenceError extends DescentError {}

/** The operation is not supported in this configuration (e.g. a kernel missing on a backend). */
export class NotSupportedError extends DescentError {}

// stable class names, also in minified bundles (the brand and `err.name` use them)
for (const [cls, name] of [
  [DescentError, 'DescentError'],
  [ShapeError, 'ShapeError'],
  [ValueError, 'ValueError'],
  [ConvergenceError, 'ConvergenceError'],
  [NotSupportedError, 'NotSupportedError'],
] as const) {
  Object.defineProperty(cls, 'name', { value: name });
}

/** Short description of a received value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name} of length ${(value as unknown as ArrayLike<number>).length}`;
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Throws {@link ValueError} unless `value` is a finite number. */
export function assertFiniteNumber(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValueError(`${name} must be a finite number, got ${describe(value)}`, name);
  }
}

/** Throws {@link ValueError} unless `value` is a finite number > 0 (or ≥ 0 with `allowZero`). */
export function assertPositive(name: string, value: unknown, allowZero = false): asserts value is number {
  assertFiniteNumber(name, value);
  if (allowZero ? value < 0 : value <= 0) {
    throw new ValueError(`${name} must be ${allowZero ? '>= 0' : '> 0'}, got ${describe(value)}`, name);
  }
}

/** Throws {@link ValueError} unless `value` is an integer within [min, max]. */
export function assertInteger(name: string, value: unknown, min = -Infinity, max = Infinity): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new ValueError(`${name} must be an integer ${range}, got ${describe(value)}`, name);
  }
}

/** Throws {@link ValueError} unless `min <= value <= max` (bounds inclusive unless told). */
export function assertInRange(
  name: string,
  value: unknown,
  min: number,
  max: number,
  { minExclusive = false, maxExclusive = false } = {},
): asserts value is number {
  assertFiniteNumber(name, value);
  const lowOk = minExclusive ? value > min : value >= min;
  const highOk = maxExclusive ? value < max : value <= max;
  if (!lowOk || !highOk) {
    const range = `${minExclusive ? '(' : '['}${min}, ${max}${maxExclusive ? ')' : ']'}`;
    throw new ValueError(`${name} must be in ${range}, got ${describe(value)}`, name);
  }
}

/** Throws {@link ValueError} if any entry of `values` is NaN or ±Infinity, naming the first bad index. */
export function assertAllFinite(name: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      throw new ValueError(`${name} must contain only finite numbers, got ${describe(v)} at index ${i}`, name);
    }
  }
}

/** Throws {@link ShapeError} unless `values.length === expected`. */
export function assertLength(name: string, values: ArrayLike<unknown>, expected: number): void {
  if (values == null || typeof values.length !== 'number') {
    throw new ShapeError(`${name} must be an array of length ${expected}, got ${describe(values)}`, name);
  }
  if (values.length !== expected) {
    throw new ShapeError(`${name} must have length ${expected}, got length ${values.length}`, name);
  }
}

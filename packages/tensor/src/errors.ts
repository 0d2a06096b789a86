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

/** Short description of a received value for error messages (any value: never throws). */
export function describe(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `bigint ${value}n`;
  if (typeof value === 'symbol') return `symbol ${String(value.description ?? '')}`;
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) {
    const n = (value as unknown as ArrayLike<number>).length;
    return `${value.constructor.name}${typeof n === 'number' ? ` of length ${n}` : ''}`;
  }
  if (typeof value === 'object') {
    const rank = (value as { rank?: unknown }).rank;
    const shape = (value as { shape?: unknown }).shape;
    if (typeof rank === 'number' && Array.isArray(shape)) return `tensor of shape [${shape.join(', ')}]`;
    return (value as object).constructor?.name ?? 'object';
  }
  const text = String(value);
  return `${typeof value} ${JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text)}`;
}

/**
 * Checks the `name` argument of a validation helper (a non-empty string, the argument name the
 * error messages carry): a helper called without one is itself a caller bug.
 */
export function checkName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new ValueError(
      `name must be the non-empty name of the argument being checked, got ${describe(name)}`,
      'name',
    );
  }
}

/** Throws {@link ValueError} unless `value` is a finite number. */
export function assertFiniteNumber(name: string, value: unknown): asserts value is number {
  checkName(name);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValueError(`${name} must be a finite number, got ${describe(value)}`, name);
  }
}

/** Throws {@link ValueError} unless `value` is a finite number > 0 (or ≥ 0 with `allowZero`). */
export function assertPositive(name: string, value: unknown, allowZero = false): asserts value is number {
  assertFiniteNumber(name, value);
  if (typeof allowZero !== 'boolean')
    throw new ValueError(`allowZero must be true or false, got ${describe(allowZero)}`, 'allowZero');
  if (allowZero ? value < 0 : value <= 0) {
    throw new ValueError(`${name} must be ${allowZero ? '>= 0' : '> 0'}, got ${describe(value)}`, name);
  }
}

/** Throws {@link ValueError} unless `value` is an integer within [min, max]. */
export function assertInteger(
  name: string,
  value: unknown,
  min = -Infinity,
  max = Infinity,
): asserts value is number {
  checkName(name);
  if (typeof min !== 'number' || typeof max !== 'number' || Number.isNaN(min) || Number.isNaN(max)) {
    throw new ValueError(`min and max must be numbers, got ${describe(min)}, ${describe(max)}`, 'min');
  }
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
  options: { minExclusive?: boolean; maxExclusive?: boolean } = {},
): asserts value is number {
  assertFiniteNumber(name, value);
  if (typeof min !== 'number' || typeof max !== 'number' || Number.isNaN(min) || Number.isNaN(max)) {
    throw new ValueError(`min and max must be numbers, got ${describe(min)}, ${describe(max)}`, 'min');
  }
  if (options === null || typeof options !== 'object')
    throw new ValueError(`options must be an options object, got ${describe(options)}`, 'options');
  const { minExclusive = false, maxExclusive = false } = options;
  const lowOk = minExclusive ? value > min : value >= min;
  const highOk = maxExclusive ? value < max : value <= max;
  if (!lowOk || !highOk) {
    const range = `${minExclusive ? '(' : '['}${min}, ${max}${maxExclusive ? ')' : ']'}`;
    throw new ValueError(`${name} must be in ${range}, got ${describe(value)}`, name);
  }
}

/** Throws {@link ValueError} if any entry of `values` is NaN or ±Infinity, naming the first bad index. */
export function assertAllFinite(name: string, values: ArrayLike<number>): void {
  checkName(name);
  if (values == null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new ShapeError(`${name} must be an array of numbers, got ${describe(values)}`, name);
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      throw new ValueError(
        `${name} must contain only finite numbers, got ${describe(v)} at index ${i}`,
        name,
      );
    }
  }
}

/** Throws {@link ShapeError} unless `values.length === expected`. */
export function assertLength(name: string, values: ArrayLike<unknown>, expected: number): void {
  checkName(name);
  if (typeof expected !== 'number' || !Number.isInteger(expected) || expected < 0) {
    throw new ValueError(
      `expected must be a length (an integer >= 0), got ${describe(expected)}`,
      'expected',
    );
  }
  if (values == null || typeof values.length !== 'number') {
    throw new ShapeError(`${name} must be an array of length ${expected}, got ${describe(values)}`, name);
  }
  if (values.length !== expected) {
    throw new ShapeError(`${name} must have length ${expected}, got length ${values.length}`, name);
  }
}

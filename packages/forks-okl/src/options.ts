/**
 * Small option-validation helpers shared by the learners.
 * @module
 */
import { ValueError, assertInRange, assertInteger, assertPositive, describe } from '@descent/tensor';

/** A positive number option with a default. */
export function posOpt(name: string, v: number | undefined, def: number, allowZero = false): number {
  const x = v ?? def;
  assertPositive(name, x, allowZero);
  return x;
}

/** An integer option ≥ min with a default. */
export function intOpt(name: string, v: number | undefined, def: number, min = 1, max = Infinity): number {
  const x = v ?? def;
  assertInteger(name, x, min, max);
  return x;
}

/** A number option in [min, max] with a default. */
export function rangeOpt(name: string, v: number | undefined, def: number, min: number, max: number): number {
  const x = v ?? def;
  assertInRange(name, x, min, max);
  return x;
}

/** A boolean option with a default. */
export function boolOpt(name: string, v: boolean | undefined, def: boolean): boolean {
  const x = v ?? def;
  if (typeof x !== 'boolean') throw new ValueError(`${name} must be a boolean, got ${describe(x)}`, name);
  return x;
}

/** A string option among `allowed`, with a default. */
export function enumOpt<T extends string>(name: string, v: T | undefined, def: T, allowed: readonly T[]): T {
  const x = v ?? def;
  if (!allowed.includes(x)) throw new ValueError(`${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(x)}`, name);
  return x;
}

/** A seed option (finite number or string). */
export function seedOpt(v: number | string | undefined): number | string {
  const x = v ?? 0;
  if (typeof x === 'string') return x;
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new ValueError(`seed must be a finite number or a string, got ${describe(x)}`, 'seed');
  return x;
}

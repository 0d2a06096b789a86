/**
 * Option checks not covered by @descent/tensor's helpers.
 * @module
 */
import { ValueError, describe } from '@descent/tensor';

/** Throws {@link ValueError} unless `value` is a number > 0 (Infinity allowed: "no limit"). */
export function assertLimit(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new ValueError(`${name} must be > 0 (Infinity for no limit), got ${describe(value)}`, name);
  }
}

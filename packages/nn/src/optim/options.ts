/**
 * Option specs shared by the tree optimizers (read through `@descent/tensor`'s `resolveOptions`,
 * the same resolver as the float64 optimizers). Internal: not exported from the package.
 * @internal
 * @module
 */
import { type Schedule, assertSchedule, option } from '@descent/tensor';
import type { TensorFilter } from './scale';

/** Reads a schedule option: a number ≥ 0 or a function of the step (errors name the option). */
export function readSchedule(value: unknown, name: string): Schedule {
  assertSchedule(name, value);
  return value;
}

/** A required learning rate (constant ≥ 0 or schedule). */
export const learningRateSpec = () => option.custom(readSchedule, { required: true });

/** Adam's rescaling options with optax's defaults. */
export const adamSchema = () => ({
  b1: option.number({ min: 0, lt: 1, default: 0.9 }),
  b2: option.number({ min: 0, lt: 1, default: 0.999 }),
  eps: option.number({ min: 0, default: 1e-8 }),
  epsRoot: option.number({ min: 0, default: 0 }),
});

/** An optional tensor filter `(path, tensor) => boolean`. */
export const filterSpec = () => option.func<TensorFilter>();

/**
 * Argument checks shared by this package's public functions that take tensors or plain numbers
 * on hot paths (semiring operations): cheap tests with typed errors naming the argument.
 * @module
 */
import { ValueError, describe, isTensorLike } from '@descent/tensor';
import type { tf } from '@descent/tensor/tf';

/** Throws a ValueError naming `name` unless `t` is a live numeric tensor. */
export function checkTensor(t: unknown, name: string): asserts t is tf.Tensor {
  if (!isTensorLike(t)) throw new ValueError(`${name} must be a tensor, got ${describe(t)}`, name);
  if (t.isDisposed) throw new ValueError(`${name} must be a live tensor, got a disposed tensor`, name);
  if (t.dtype === 'string' || t.dtype === 'complex64') {
    throw new ValueError(`${name} must be a numeric tensor, got dtype ${t.dtype}`, name);
  }
}

/**
 * Throws a ValueError naming `name` unless `v` is an element of a semiring's carrier: a finite
 * number, or −∞ / +∞ when the carrier contains it (the 0̄ of the max semirings is −∞, the 1̄ of
 * the max-min semirings is +∞).
 */
export function checkSemiringValue(
  v: unknown,
  name: string,
  infinities: { neg: boolean; pos: boolean },
): asserts v is number {
  if (
    typeof v === 'number' &&
    (Number.isFinite(v) || (v === -Infinity ? infinities.neg : v === Infinity && infinities.pos))
  ) {
    return;
  }
  const allowed = infinities.neg
    ? infinities.pos
      ? ' or ±Infinity'
      : ' or -Infinity'
    : infinities.pos
      ? ' or Infinity'
      : '';
  throw new ValueError(`${name} must be a finite number${allowed}, got ${describe(v)}`, name);
}

/** Throws a ValueError naming `name` unless `axis` is an integer axis of a tensor of rank `rank`. */
export function checkAxis(axis: unknown, rank: number, name = 'axis'): asserts axis is number {
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    throw new ValueError(`${name} must be an integer in [${-rank}, ${rank}), got ${describe(axis)}`, name);
  }
}

/**
 * The internal type guard for SAM transformations (not exported from the package: a type guard
 * answers false for any other value, which the bad-input rule would count as accepting it).
 * @module
 */
import type { SamTransformation } from './sam';

/** Whether `t` is a {@link SamTransformation} (marked `kind: 'sam'`). */
export function isSamTransformation(t: unknown): t is SamTransformation {
  return t != null && typeof t === 'object' && (t as { kind?: unknown }).kind === 'sam';
}

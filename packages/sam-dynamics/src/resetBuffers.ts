/**
 * Zeroing an optimizer's buffers at a phase switch while keeping its counters.
 * @module
 */
import { ValueError, describe } from '@descent/tensor';
import { disposeState } from '@descent/nn';
import { tf } from './tf';

/**
 * A copy of an optimizer state whose tensors (momentum buffers, Adam moments) are all zero and
 * whose numbers (step counters) are kept: what Zhou et al.'s code gets by switching to a fresh
 * optimizer object while an epoch-driven learning-rate scheduler continues. Keeping the counters
 * keeps count-based learning-rate schedules running; with Adam, the bias correction is then *not*
 * restarted (its count is kept), which damps the first updates after the switch less than a
 * fresh Adam would. New tensors, owned by the caller; the input is not touched.
 *
 * ```ts
 * const fresh = resetBuffers(optState); // momentum 0, count unchanged
 * ```
 */
export function resetBuffers<S>(state: S): S {
  const made: tf.Tensor[] = [];
  const walk = (s: unknown, path: string): unknown => {
    if (s instanceof tf.Tensor) {
      const z = tf.zerosLike(s);
      made.push(z);
      return z;
    }
    if (typeof s === 'number') {
      if (!Number.isFinite(s))
        throw new ValueError(`${path} must be a finite number, got ${describe(s)}`, path);
      return s;
    }
    if (typeof s === 'boolean' || typeof s === 'string' || s == null) return s;
    if (Array.isArray(s)) return s.map((v, i) => walk(v, `${path}[${i}]`));
    if (typeof s === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(s)) out[k] = walk((s as Record<string, unknown>)[k], `${path}.${k}`);
      return out;
    }
    throw new ValueError(
      `${path} must hold only numbers, tensors, arrays and records, got ${describe(s)}`,
      path,
    );
  };
  // an optimizer state is a record (possibly empty, e.g. {} of a stateless transformation) or the
  // non-empty array of a chain; anything else is not a state
  if (
    state == null ||
    typeof state !== 'object' ||
    state instanceof tf.Tensor ||
    (Array.isArray(state) && state.length === 0)
  )
    throw new ValueError(
      `state must be an optimizer state (a record or a chain's non-empty array), got ${describe(state)}`,
      'state',
    );
  try {
    return walk(state, 'state') as S;
  } catch (e) {
    disposeState(made);
    throw e;
  }
}

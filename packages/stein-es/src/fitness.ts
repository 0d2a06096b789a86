/**
 * Fitness handling shared by the ask/tell strategies: validation of `tell` arguments, the
 * "non-finite is worst" rule, and OpenAI-ES fitness shaping.
 * @module
 */
import { ShapeError } from '@descent/tensor';

// Module-level alias: global lookups are slow inside jest's vm context (jest#5163).
const F64 = Float64Array;
const POS_INF = Number.POSITIVE_INFINITY;

/**
 * Checks `tell(xs, fitness)` against the asked batch: `n` candidates of dimension `d`.
 * Returns the fitness as a Float64Array in which NaN/±Inf are replaced by +Infinity (worst, as
 * evosax does) and the number of such replacements.
 */
export function checkTell(
  xs: ArrayLike<ArrayLike<number>>,
  fitness: ArrayLike<number>,
  n: number,
  d: number,
): { fitness: Float64Array; nonFinite: number } {
  if (xs == null || typeof xs.length !== 'number')
    throw new ShapeError(`xs must be an array of ${n} candidates`, 'xs');
  if (xs.length !== n)
    throw new ShapeError(`xs must hold ${n} candidates (the asked batch), got ${xs.length}`, 'xs');
  for (let k = 0; k < n; k++) {
    const x = xs[k];
    if (x == null || x.length !== d)
      throw new ShapeError(
        `xs[${k}] must have length ${d}, got ${x == null ? String(x) : `length ${x.length}`}`,
        'xs',
      );
  }
  if (fitness == null || typeof fitness.length !== 'number')
    throw new ShapeError(`fitness must be an array of length ${n}`, 'fitness');
  if (fitness.length !== n)
    throw new ShapeError(`fitness must have length ${n}, got length ${fitness.length}`, 'fitness');
  const f = new F64(n);
  let nonFinite = 0;
  for (let k = 0; k < n; k++) {
    const v = fitness[k];
    if (typeof v === 'number' && v - v === 0)
      f[k] = v; // finite (NaN and ±Inf give NaN)
    else {
      f[k] = POS_INF;
      nonFinite++;
    }
  }
  return { fitness: f, nonFinite };
}

/**
 * Centred ranks in [−0.5, 0.5] (OpenAI-ES, evosax `centered_rank`): the best (lowest) fitness
 * gets −0.5, the worst +0.5; ties are broken by index. A single value gets 0.
 */
export function centeredRanks(fitness: ArrayLike<number>): Float64Array {
  const n = fitness.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => fitness[a] - fitness[b] || a - b);
  const out = new F64(n);
  if (n === 1) return out;
  for (let r = 0; r < n; r++) out[idx[r]] = r / (n - 1) - 0.5;
  return out;
}

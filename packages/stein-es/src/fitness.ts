/**
 * Fitness handling shared by the ask/tell strategies: validation of `tell` arguments, the
 * "non-finite is worst" rule, and OpenAI-ES fitness shaping.
 * @module
 */
import { ShapeError, ValueError, describe, isTensorLike, readRows, tensorValues } from '@descent/tensor';

// Module-level alias: global lookups are slow inside jest's vm context (jest#5163).
const F64 = Float64Array;
const POS_INF = Number.POSITIVE_INFINITY;

/** A checked `tell`: the candidates as float64 rows and the fitness with non-finite values made worst. */
export interface CheckedTell {
  /** The n candidates (copies). */
  xs: Float64Array[];
  /** The fitness, NaN/±Inf replaced by +Infinity (worst, as evosax does). */
  fitness: Float64Array;
  /** How many values were NaN/±Inf. */
  nonFinite: number;
}

/**
 * Checks `tell(xs, fitness)` against the asked batch: `n` finite candidates of dimension `d`
 * (arrays, typed arrays or a rank-2 tensor) and `n` fitness values. A NaN/±Infinity value is a
 * failed evaluation (ranked worst and counted); anything that is not a number is a
 * {@link ValueError} naming its index. A batch whose every value is NaN/±Infinity (a failed
 * batch, e.g. a batch objective that threw) is a {@link ValueError} naming `fitness`, raised
 * before the strategy changes anything: the state stays as it was and `ask()` returns the same
 * batch (issue 16: no update on an all-tied batch).
 */
export function checkTell(xs: unknown, fitness: unknown, n: number, d: number): CheckedTell {
  const rows = readRows(xs, 'xs', { rows: n, cols: d });
  const raw = isTensorLike(fitness) ? tensorValues(fitness, 'fitness') : (fitness as ArrayLike<unknown>);
  if (raw == null || typeof raw === 'string' || typeof raw.length !== 'number')
    throw new ShapeError(
      `fitness must be ${n} numbers (one per candidate), got ${describe(fitness)}`,
      'fitness',
    );
  if (raw.length !== n)
    throw new ShapeError(
      `fitness must have length ${n} (one per candidate), got length ${raw.length}`,
      'fitness',
    );
  const f = new F64(n);
  let nonFinite = 0;
  for (let k = 0; k < n; k++) {
    const v = raw[k];
    if (typeof v !== 'number')
      throw new ValueError(
        `fitness must contain numbers (NaN/±Infinity count as failed), got ${describe(v)} at index ${k}`,
        'fitness',
      );
    if (v - v === 0)
      f[k] = v; // finite (NaN and ±Inf give NaN)
    else {
      f[k] = POS_INF;
      nonFinite++;
    }
  }
  if (nonFinite === n)
    throw new ValueError(
      `fitness: every one of the ${n} values is NaN/±Infinity (a failed batch): there is nothing to rank, so the strategy is left unchanged (ask() returns the same batch)`,
      'fitness',
    );
  return { xs: rows, fitness: f, nonFinite };
}

/**
 * Centred ranks in [−0.5, 0.5] (OpenAI-ES, evosax `centered_rank`): the best (lowest) fitness
 * gets −0.5, the worst +0.5; ties are broken by index. A single value gets 0.
 */
export function centeredRanks(fitness: ArrayLike<number>): Float64Array {
  if (
    fitness === null ||
    typeof fitness !== 'object' ||
    typeof (fitness as ArrayLike<unknown>).length !== 'number'
  ) {
    throw new ShapeError(`fitness must be an array of numbers, got ${describe(fitness)}`, 'fitness');
  }
  if (fitness.length === 0) throw new ShapeError('fitness must be non-empty, got length 0', 'fitness');
  const f = Array.from(fitness as ArrayLike<unknown>, (v, i) => {
    if (typeof v !== 'number' || Number.isNaN(v))
      throw new ValueError(
        `fitness must contain numbers (not NaN), got ${describe(v)} at index ${i}`,
        'fitness',
      );
    return v;
  });
  const n = f.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) =>
    f[a] === f[b] ? a - b : f[a] < f[b] ? -1 : 1,
  );
  const out = new F64(n);
  if (n === 1) return out;
  for (let r = 0; r < n; r++) out[idx[r]] = r / (n - 1) - 0.5;
  return out;
}

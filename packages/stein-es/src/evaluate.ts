/**
 * Objectives of the one-call helpers: batch functions (sync or async) and the rule that a
 * candidate whose evaluation throws or is NaN/±Inf gets the worst fitness (+Infinity) and is
 * counted, while the run goes on.
 * @module
 */
import { ShapeError, ValueError, describe, readRows } from '@descent/tensor';

// Module-level alias: global lookups are slow inside jest's vm context (jest#5163).
const F64 = Float64Array;

/** A batch objective to minimise: one value per candidate, sync or async. */
export type BatchObjective = (xs: Float64Array[]) => ArrayLike<number> | Promise<ArrayLike<number>>;

/** A single-point objective, sync or async. */
export type PointObjective = (x: Float64Array) => number | Promise<number>;

/**
 * Turns a single-point objective into a {@link BatchObjective}; a point whose evaluation throws
 * gets NaN (then worst), so one failing candidate does not spoil the batch.
 */
export function pointwise(f: PointObjective): BatchObjective {
  if (typeof f !== 'function') throw new ValueError('f must be a function of one point', 'f');
  return async (xs) => {
    const out = new F64(xs.length);
    for (let k = 0; k < xs.length; k++) {
      try {
        out[k] = await f(xs[k]);
      } catch {
        out[k] = Number.NaN;
      }
    }
    return out;
  };
}

/** The values of a batch and how many were bad (threw or non-finite, replaced by +Infinity). */
export interface BatchValues {
  values: Float64Array;
  failed: number;
}

/**
 * Evaluates `f` on `xs`. If the whole call throws, every candidate gets +Infinity; non-finite
 * values become +Infinity. A result of the wrong length is a {@link ShapeError}.
 */
export async function evaluateBatch(f: BatchObjective, xs: Float64Array[]): Promise<BatchValues> {
  if (typeof f !== 'function')
    throw new ValueError(`f must be a batch objective (xs) => values, got ${describe(f)}`, 'f');
  xs = readRows(xs, 'xs');
  let raw: ArrayLike<number>;
  try {
    raw = await f(xs.map((x) => x.slice()));
  } catch {
    return { values: new F64(xs.length).fill(Infinity), failed: xs.length };
  }
  if (raw == null || typeof raw.length !== 'number')
    throw new ShapeError(`the objective must return ${xs.length} values, got ${String(raw)}`, 'f');
  if (raw.length !== xs.length)
    throw new ShapeError(
      `the objective must return ${xs.length} values (one per candidate), got ${raw.length}`,
      'f',
    );
  const values = new F64(xs.length);
  let failed = 0;
  for (let k = 0; k < xs.length; k++) {
    const v = raw[k];
    if (typeof v === 'number' && Number.isFinite(v)) values[k] = v;
    else {
      values[k] = Infinity;
      failed++;
    }
  }
  return { values, failed };
}

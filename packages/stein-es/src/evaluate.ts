/**
 * Objectives of the one-call helpers: batch functions (sync or async) and the rule that a
 * candidate whose evaluation throws or is NaN/±Inf gets the worst fitness (+Infinity) and is
 * counted, while the run goes on.
 * @module
 */
import { ShapeError, ValueError, describe, option, readRows, resolveOptions } from '@descent/tensor';

// Module-level alias: global lookups are slow inside jest's vm context (jest#5163).
const F64 = Float64Array;

/** A batch objective to minimise: one value per candidate, sync or async. */
export type BatchObjective = (xs: Float64Array[]) => ArrayLike<number> | Promise<ArrayLike<number>>;

/** What {@link pointwise} passes to a point objective besides the point. */
export interface PointContext {
  /** Index of the point in its batch. */
  index: number;
  /** Aborted when the evaluation times out (`timeoutMs`): a cancellable objective may stop early. */
  signal: AbortSignal;
}

/** A single-point objective, sync or async (the second argument is optional to use). */
export type PointObjective = (x: Float64Array, context: PointContext) => number | Promise<number>;

/** Options of {@link pointwise}. */
export interface PointwiseOptions {
  /**
   * At most this many evaluations in flight at once (an integer ≥ 1 or Infinity; default 8).
   * Points are started in batch order and each value lands at its candidate's index, so the
   * result does not depend on the limit or on the order in which evaluations finish. A
   * synchronous objective runs one point after the other whatever the limit.
   */
  concurrency?: number;
  /**
   * Per-evaluation time limit in milliseconds (default Infinity). An evaluation that has not
   * settled in time is marked failed (NaN, then worst, counted like a throw), its `signal` is
   * aborted and its late result ignored; the batch goes on. Only asynchronous objectives can time
   * out (a synchronous one blocks the thread).
   */
  timeoutMs?: number;
  /** Called for every failed point: the error it threw, or a `ValueError` naming `timeoutMs`. */
  onError?: (error: unknown, index: number, x: Float64Array) => void;
}

const pointwiseSchema = {
  concurrency: option.integer({ min: 1, allowInfinity: true, default: 8 }),
  timeoutMs: option.number({ gt: 0, allowInfinity: true, default: Number.POSITIVE_INFINITY }),
  onError: option.func<(error: unknown, index: number, x: Float64Array) => void>(),
};

/**
 * Turns a single-point objective into a {@link BatchObjective}: up to `concurrency` points are
 * evaluated at once (async objectives), each within `timeoutMs`; a point whose evaluation throws
 * or times out gets NaN (then worst), so one failing candidate does not spoil the batch.
 *
 * ```ts
 * const f = pointwise(async (x, { signal }) => simulate(x, { signal }), { concurrency: 4, timeoutMs: 2000 });
 * ```
 */
export function pointwise(f: PointObjective, options: PointwiseOptions = {}): BatchObjective {
  if (typeof f !== 'function') throw new ValueError('f must be a function of one point', 'f');
  const { concurrency, timeoutMs, onError } = resolveOptions(options, pointwiseSchema, {
    name: 'pointwise options',
  });
  const fail = (out: Float64Array, k: number, x: Float64Array, error: unknown) => {
    out[k] = Number.NaN;
    onError?.(error, k, x);
  };
  return async (xs) => {
    const n = xs.length;
    const out = new F64(n);
    let next = 0;
    const worker = async () => {
      while (next < n) {
        const k = next++;
        const x = xs[k];
        const controller = new AbortController();
        let timer: ReturnType<typeof setTimeout> | undefined;
        try {
          const pending = f(x, { index: k, signal: controller.signal });
          if (timeoutMs === Number.POSITIVE_INFINITY || !isPromiseLike(pending)) {
            out[k] = await pending;
          } else {
            const timedOut = new Promise<never>((_, reject) => {
              timer = setTimeout(() => {
                controller.abort();
                reject(
                  new ValueError(
                    `the evaluation of point ${k} did not settle within timeoutMs = ${timeoutMs} ms`,
                    'timeoutMs',
                  ),
                );
              }, timeoutMs);
            });
            out[k] = await Promise.race([pending, timedOut]);
          }
        } catch (error) {
          fail(out, k, x, error);
        } finally {
          if (timer !== undefined) clearTimeout(timer);
        }
      }
    };
    const workers: Promise<void>[] = [];
    for (let w = 0; w < Math.min(concurrency, n); w++) workers.push(worker());
    await Promise.all(workers);
    return out;
  };
}

function isPromiseLike(v: unknown): v is PromiseLike<unknown> {
  return v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function';
}

/** The values of a batch and how many were bad (threw or non-finite, replaced by +Infinity). */
export interface BatchValues {
  /** One value per candidate, NaN/±Infinity (or a throwing call) as +Infinity. */
  values: Float64Array;
  /** How many candidates failed (all of them when the call threw). */
  failed: number;
  /** What the objective threw, when the whole call threw (then `failed` is the batch size). */
  error?: unknown;
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
  } catch (error) {
    return { values: new F64(xs.length).fill(Infinity), failed: xs.length, error };
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

/**
 * The evaluation accounting of the one-call drivers (`minimize`, `sample`, `gfSvgd`), in one
 * place (issue 16):
 *
 * - **budget**: a batch is evaluated only if it fits in what is left of `maxEvals`, so a run
 *   never exceeds its budget (it stops early; batches are never truncated);
 * - **every call counts**: `evaluations` counts every candidate passed to the objective,
 *   including the ones of failed batches (the strategy's own `evaluations` counts told ones);
 * - **failed batches**: a batch whose objective threw, or whose every value is NaN/±Infinity, is
 *   not told: the strategy's state is unchanged (its `ask()` returns the same batch, which is
 *   retried). After `batchRetries` failed attempts in a row the run ends with a `ValueError`
 *   naming the objective, carrying the objective's own error as `cause`.
 * @module
 */
import { ValueError } from '@descent/tensor';
import { type BatchObjective, evaluateBatch } from './evaluate';

/** Failed batches in a row that end a run by default (1 attempt + 2 retries). */
export const DEFAULT_BATCH_RETRIES = 2;

/** The counts a driver reports, updated by {@link EvaluationLedger.evaluate}. */
export class EvaluationLedger {
  /** Candidates passed to the objective so far (told or not). */
  evaluations = 0;
  /** Candidates that threw or were NaN/±Infinity (including every candidate of a failed batch). */
  failedEvaluations = 0;
  /** Batches that failed as a whole (never told to the strategy). */
  failedBatches = 0;
  private inARow = 0;

  /**
   * @param maxEvals the budget (never exceeded)
   * @param batchRetries failed batches in a row tolerated before the run ends with an error
   * @param name the objective's argument name for errors (`'f'`, `'negLogP'`)
   */
  constructor(
    readonly maxEvals: number,
    readonly batchRetries: number,
    readonly name: string,
  ) {}

  /** Whether `size` more evaluations fit in the budget. */
  fits(size: number): boolean {
    return this.evaluations + size <= this.maxEvals;
  }

  /**
   * Evaluates `xs` and counts it. Returns the values to tell (non-finite ones as +Infinity), or
   * `null` for a failed batch, which must not be told; throws a `ValueError` naming the
   * objective after more than `batchRetries` failed batches in a row.
   */
  async evaluate(f: BatchObjective, xs: Float64Array[]): Promise<Float64Array | null> {
    const { values, failed, error } = await evaluateBatch(f, xs);
    this.evaluations += xs.length;
    this.failedEvaluations += failed;
    if (failed < xs.length) {
      this.inARow = 0;
      return values;
    }
    this.failedBatches++;
    this.inARow++;
    if (this.inARow <= this.batchRetries) return null;
    const why = error === undefined ? 'every value NaN/±Infinity' : `threw: ${errorText(error)}`;
    const message =
      this.failedEvaluations === this.evaluations
        ? `${this.name} failed on every one of the ${this.evaluations} evaluations (last batch ${why}); nothing to learn from`
        : `${this.name} failed on ${this.inARow} batches in a row (last batch ${why}); the strategy was not updated on them`;
    const err = new ValueError(message, this.name);
    if (error !== undefined) Object.defineProperty(err, 'cause', { value: error, enumerable: false });
    throw err;
  }
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

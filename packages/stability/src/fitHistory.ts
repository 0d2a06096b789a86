/**
 * The optional history of a fit (internal): the empirical risk every `historyEvery` steps, plus
 * the starting point and the last step. Off (`historyEvery = 0`) by default, so the replace-one
 * experiments, which fit thousands of times, pay nothing for it.
 * @module
 */
import { option } from '@descent/tensor';
import type { FitRecord } from './algorithm';
import { type Dataset, type RiskProblem, empiricalRiskUnchecked } from './problem';

/** The option spec of `historyEvery` shared by erm, pgd and sgd. */
export const historyEveryOption = option.integer({ min: 0, default: 0 });

/** Records F_S(w) at step 0, every `every` steps and at `last` (when `every > 0`). */
export class FitHistory {
  readonly history: FitRecord[] = [];
  constructor(
    private readonly every: number,
    private readonly problem: RiskProblem,
    private readonly data: Dataset,
  ) {}

  /** Call after `step` steps with the current iterate; `last` forces a record. */
  record(step: number, w: Float64Array, last = false): void {
    if (this.every === 0 || (step % this.every !== 0 && !last)) return;
    if (this.history.length > 0 && this.history[this.history.length - 1].step === step) return;
    this.history.push({ step, empiricalRisk: empiricalRiskUnchecked(this.problem, this.data, w) });
  }
}

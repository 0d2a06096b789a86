/**
 * Kernel OGD (Kivinen, Smola, Williamson 2004): f ← (1 − ηλ)f − η∂ℓ/∂f·κ(xₜ, ·), unbudgeted
 * (every margin error becomes an SV). The accuracy ceiling of the budgeted first-order learners,
 * for small data; also FORKS's budget-filling phase (λ = 0).
 * @module
 */
import { type ResolvedOptions, resolveOptions } from '@descent/tensor';
import { BudgetedKernelLearner } from '../budgetedKernelLearner';
import type { KernelOption } from '../kernel';
import { dimOption, kernelOption, kernelWidthRowsOption, lossOption, nonNegativeOption, positiveOption } from '../learnerOptions';
import { marginLoss, negLossDerivative } from '../loss';
import { OnlineLearner, type UpdateOutcome, openLearnerBlob } from '../onlineLearner';
import type { Label, LearnerJSON, LossName } from '../types';

/** Options of {@link KernelOgd}. */
export interface KernelOgdOptions {
  /** Kernel (default `'auto'`: Gaussian, median-heuristic bandwidth of the first rows). */
  kernel?: KernelOption;
  /** Rows of the `'auto'` kernel's median heuristic (default 100). */
  kernelWidthRows?: number;
  /** Step size η (default 0.2, FORKS's budget-filling phase). */
  learningRate?: number;
  /** Shrinkage λ ≥ 0 (default 0: plain kernel OGD as FORKS's phase A). */
  lambda?: number;
  /** Loss (default hinge). */
  loss?: LossName;
  /** Input dimension (default: from the first row). */
  dim?: number;
}

const schema = {
  kernel: kernelOption(),
  kernelWidthRows: kernelWidthRowsOption(),
  learningRate: positiveOption(0.2),
  lambda: nonNegativeOption(0),
  loss: lossOption(),
  dim: dimOption(),
};

/** Unbudgeted kernel OGD. */
export class KernelOgd extends BudgetedKernelLearner {
  readonly learningRate: number;
  readonly lambda: number;
  readonly loss: LossName;
  private readonly opts: ResolvedOptions<typeof schema>;

  constructor(o: KernelOgdOptions = {}) {
    const r = resolveOptions(o, schema, { name: 'KernelOgd', renamed: { eta: 'learningRate' } });
    super(r.kernel, r.kernelWidthRows, Number.POSITIVE_INFINITY, r.dim);
    this.opts = r;
    this.learningRate = r.learningRate;
    this.lambda = r.lambda;
    this.loss = r.loss;
  }

  protected update(x: Float64Array, y: Label, f: number): UpdateOutcome {
    const sv = this.supportSet(x.length);
    const loss = marginLoss(this.loss, f, y);
    let updated = false;
    if (this.lambda > 0 && sv.n > 0) {
      const s = 1 - this.learningRate * this.lambda;
      for (let i = 0; i < sv.n; i++) sv.alpha[i] *= s;
      updated = true;
    }
    const g = negLossDerivative(this.loss, f, y);
    if (g !== 0) {
      sv.add(x, this.learningRate * g);
      updated = true;
    }
    return { loss, updated };
  }

  toJSON(): LearnerJSON {
    return this.budgetedBlob('KernelOgd', { ...this.opts, kernel: this.kernelOption });
  }

  /** Restores a learner saved with `toJSON` (every field validated); it continues bit-identically. */
  static fromJSON(json: unknown): KernelOgd {
    const r = openLearnerBlob(json, 'KernelOgd');
    const l = new KernelOgd(OnlineLearner.blobOptions(r) as KernelOgdOptions);
    l.restoreBudgeted(r);
    return l;
  }
}

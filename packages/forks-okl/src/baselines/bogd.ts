/**
 * BOGD, budgeted online gradient descent (Zhao, Wang, Wu, Jin, Hoi, ICML 2012), as in the FORKS
 * reference code: on a margin error with a full budget remove a uniformly random SV, rescale the
 * remaining α by B(1 − λη)/(B − 1), add (xₜ, η·y), then clip; without a margin error shrink
 * α ← (1 − λη)α. Defaults λ = 1e-6 (the code's 1/N² for N ≈ 1000), γ = 10.
 * @module
 */
import { type ResolvedOptions, Rng, option, resolveOptions } from '@descent/tensor';
import { BudgetedKernelLearner } from '../budgetedKernelLearner';
import type { KernelOption } from '../kernel';
import { dimOption, kernelOption, kernelWidthRowsOption, lossOption, nonNegativeOption, positiveOption, sizeOption } from '../learnerOptions';
import { marginLoss, negLossDerivative } from '../loss';
import { OnlineLearner, type UpdateOutcome, openLearnerBlob } from '../onlineLearner';
import type { Label, LearnerJSON, LossName } from '../types';

/** Options of {@link Bogd}. */
export interface BogdOptions {
  /** Kernel (default `'auto'`: Gaussian, median-heuristic bandwidth of the first rows). */
  kernel?: KernelOption;
  /** Rows of the `'auto'` kernel's median heuristic (default 100). */
  kernelWidthRows?: number;
  /** Budget B (default 100). */
  budget?: number;
  /** Step size η (default 0.2). */
  learningRate?: number;
  /** Regulariser λ (default 1e-6). */
  lambda?: number;
  /** Clip bound γ: coefficients are kept within η·γ (default 10). */
  gamma?: number;
  /** `'global'` rescales all α so max|α| ≤ ηγ (FORKS code); `'perCoefficient'` clips each α. */
  clip?: 'global' | 'perCoefficient';
  loss?: LossName;
  seed?: number | string;
  dim?: number;
}

const schema = {
  kernel: kernelOption(),
  kernelWidthRows: kernelWidthRowsOption(),
  budget: sizeOption(100, 2),
  learningRate: positiveOption(0.2),
  lambda: nonNegativeOption(1e-6),
  gamma: positiveOption(10),
  clip: option.oneOf(['global', 'perCoefficient'] as const, { default: 'global' }),
  loss: lossOption(),
  seed: option.seed(),
  dim: dimOption(),
};

/** Budgeted OGD with uniform removal. */
export class Bogd extends BudgetedKernelLearner {
  readonly learningRate: number;
  readonly lambda: number;
  readonly gamma: number;
  readonly clip: 'global' | 'perCoefficient';
  readonly loss: LossName;
  readonly seed: number | string;
  private readonly opts: ResolvedOptions<typeof schema>;

  constructor(o: BogdOptions = {}) {
    const r = resolveOptions(o, schema, { name: 'Bogd', renamed: { eta: 'learningRate' } });
    super(r.kernel, r.kernelWidthRows, r.budget, r.dim);
    this.opts = r;
    this.learningRate = r.learningRate;
    this.lambda = r.lambda;
    this.gamma = r.gamma;
    this.clip = r.clip;
    this.loss = r.loss;
    this.seed = r.seed;
  }

  protected update(x: Float64Array, y: Label, f: number): UpdateOutcome {
    const sv = this.supportSet(x.length);
    const eta = this.learningRate;
    const loss = marginLoss(this.loss, f, y);
    const g = negLossDerivative(this.loss, f, y);
    const shrink = 1 - this.lambda * eta;
    if (g === 0) {
      if (shrink !== 1) for (let i = 0; i < sv.n; i++) sv.alpha[i] *= shrink;
      return { loss, updated: shrink !== 1 && sv.n > 0 };
    }
    if (sv.n >= this.budget) {
      const r = new Rng(this.seed).fold('remove', this.stepCount).int(sv.n);
      sv.removeAt(r);
      const c = (this.budget * shrink) / (this.budget - 1);
      for (let i = 0; i < sv.n; i++) sv.alpha[i] *= c;
    } else if (shrink !== 1) {
      for (let i = 0; i < sv.n; i++) sv.alpha[i] *= shrink;
    }
    sv.add(x, eta * g);
    const cap = eta * this.gamma;
    if (this.clip === 'global') {
      let m = 0;
      for (let i = 0; i < sv.n; i++) m = Math.max(m, Math.abs(sv.alpha[i]));
      if (m > cap) for (let i = 0; i < sv.n; i++) sv.alpha[i] *= cap / m;
    } else {
      for (let i = 0; i < sv.n; i++) sv.alpha[i] = Math.max(-cap, Math.min(cap, sv.alpha[i]));
    }
    return { loss, updated: true };
  }

  toJSON(): LearnerJSON {
    return this.budgetedBlob('Bogd', { ...this.opts, kernel: this.kernelOption });
  }

  /** Restores a learner saved with `toJSON` (every field validated); it continues bit-identically. */
  static fromJSON(json: unknown): Bogd {
    const r = openLearnerBlob(json, 'Bogd');
    const l = new Bogd(OnlineLearner.blobOptions(r) as BogdOptions);
    l.restoreBudgeted(r);
    return l;
  }
}

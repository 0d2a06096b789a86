/**
 * BOGD, budgeted online gradient descent (Zhao, Wang, Wu, Jin, Hoi, ICML 2012), as in the FORKS
 * reference code: on a margin error with a full budget remove a uniformly random SV, rescale the
 * remaining α by B(1 − λη)/(B − 1), add (xₜ, η·y), then clip; without a margin error shrink
 * α ← (1 − λη)α. Defaults λ = 1e-6 (the code's 1/N² for N ≈ 1000), γ = 10.
 * @module
 */
import { Rng } from '@descent/tensor';
import { type KernelSpec, checkKernel } from '../kernel';
import { checkLoss, marginLoss, negLossDerivative } from '../loss';
import { OnlineLearner, type UpdateOutcome, checkJSONType } from '../onlineLearner';
import { enumOpt, intOpt, posOpt, seedOpt } from '../options';
import { SupportSet } from '../supportSet';
import type { Label, LearnerJSON, LossName } from '../types';

/** Options of {@link Bogd}. */
export interface BogdOptions {
  kernel: KernelSpec;
  /** Budget B (default 100). */
  budget?: number;
  /** Step size η (default 0.2). */
  eta?: number;
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

/** Budgeted OGD with uniform removal. */
export class Bogd extends OnlineLearner {
  readonly kernel: KernelSpec;
  readonly budget: number;
  readonly eta: number;
  readonly lambda: number;
  readonly gamma: number;
  readonly clip: 'global' | 'perCoefficient';
  readonly loss: LossName;
  readonly seed: number | string;
  private sv: SupportSet | undefined;

  constructor(o: BogdOptions) {
    super(o.dim);
    this.kernel = checkKernel('kernel', o.kernel);
    this.budget = intOpt('budget', o.budget, 100, 2);
    this.eta = posOpt('eta', o.eta, 0.2);
    this.lambda = posOpt('lambda', o.lambda, 1e-6, true);
    this.gamma = posOpt('gamma', o.gamma, 10);
    this.clip = enumOpt('clip', o.clip, 'global', ['global', 'perCoefficient'] as const);
    this.loss = checkLoss('loss', o.loss ?? 'hinge');
    this.seed = seedOpt(o.seed);
  }

  protected score(x: Float64Array): number {
    return this.sv ? this.sv.score(this.kernel, x) : 0;
  }

  protected update(x: Float64Array, y: Label, f: number): UpdateOutcome {
    this.sv ??= new SupportSet(x.length, this.budget);
    const sv = this.sv;
    const loss = marginLoss(this.loss, f, y);
    const g = negLossDerivative(this.loss, f, y);
    const shrink = 1 - this.lambda * this.eta;
    if (g === 0) {
      if (shrink !== 1) for (let i = 0; i < sv.n; i++) sv.alpha[i] *= shrink;
      return { loss, updated: shrink !== 1 && sv.n > 0 };
    }
    if (sv.n >= this.budget) {
      const r = new Rng(this.seed).fold('remove', this.rounds).int(sv.n);
      sv.removeAt(r);
      const c = (this.budget * shrink) / (this.budget - 1);
      for (let i = 0; i < sv.n; i++) sv.alpha[i] *= c;
    } else if (shrink !== 1) {
      for (let i = 0; i < sv.n; i++) sv.alpha[i] *= shrink;
    }
    sv.add(x, this.eta * g);
    const cap = this.eta * this.gamma;
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
    const { kernel, budget, eta, lambda, gamma, clip, loss, seed } = this;
    return { ...this.baseJSON('Bogd'), options: { kernel, budget, eta, lambda, gamma, clip, loss, seed }, sv: this.sv?.toJSON() ?? null };
  }

  /** Restores a learner saved with `toJSON`. */
  static fromJSON(json: unknown): Bogd {
    const j = checkJSONType(json, 'Bogd');
    const l = new Bogd(j.options as BogdOptions);
    l.restoreBase(j);
    if (j.sv) l.sv = SupportSet.fromJSON(j.sv as Parameters<typeof SupportSet.fromJSON>[0], l.budget);
    return l;
  }
}

/**
 * Unbudgeted kernel online gradient descent (Kivinen, Smola, Williamson 2004): on a margin
 * error add (xₜ, η·(−∂ℓ/∂f)) to the expansion; optional shrinkage α ← (1 − ηλ)α each round.
 * The accuracy ceiling for the budgeted learners on small data (its cost grows with t).
 * @module
 */
import { type KernelSpec, checkKernel } from '../kernel';
import { checkLoss, marginLoss, negLossDerivative } from '../loss';
import { OnlineLearner, type UpdateOutcome, checkJSONType } from '../onlineLearner';
import { posOpt } from '../options';
import { SupportSet } from '../supportSet';
import type { Label, LearnerJSON, LossName } from '../types';

/** Options of {@link KernelOgd}. */
export interface KernelOgdOptions {
  /** Kernel (required). */
  kernel: KernelSpec;
  /** Step size η (default 0.2, FORKS's budget-filling phase). */
  eta?: number;
  /** Shrinkage λ ≥ 0 (default 0: plain kernel OGD as FORKS's phase A). */
  lambda?: number;
  /** Loss (default hinge). */
  loss?: LossName;
  /** Input dimension (default: from the first row). */
  dim?: number;
}

/** Unbudgeted kernel OGD. */
export class KernelOgd extends OnlineLearner {
  readonly kernel: KernelSpec;
  readonly eta: number;
  readonly lambda: number;
  readonly loss: LossName;
  private sv: SupportSet | undefined;

  constructor(o: KernelOgdOptions) {
    super(o.dim);
    this.kernel = checkKernel('kernel', o.kernel);
    this.eta = posOpt('eta', o.eta, 0.2);
    this.lambda = posOpt('lambda', o.lambda, 0, true);
    this.loss = checkLoss('loss', o.loss ?? 'hinge');
  }

  /** Number of support vectors. */
  get size(): number {
    return this.sv?.n ?? 0;
  }

  protected score(x: Float64Array): number {
    return this.sv ? this.sv.score(this.kernel, x) : 0;
  }

  protected update(x: Float64Array, y: Label, f: number): UpdateOutcome {
    this.sv ??= new SupportSet(x.length);
    const loss = marginLoss(this.loss, f, y);
    let updated = false;
    if (this.lambda > 0 && this.sv.n > 0) {
      const s = 1 - this.eta * this.lambda;
      for (let i = 0; i < this.sv.n; i++) this.sv.alpha[i] *= s;
      updated = true;
    }
    const g = negLossDerivative(this.loss, f, y);
    if (g !== 0) {
      this.sv.add(x, this.eta * g);
      updated = true;
    }
    return { loss, updated };
  }

  toJSON(): LearnerJSON {
    return { ...this.baseJSON('KernelOgd'), options: { kernel: this.kernel, eta: this.eta, lambda: this.lambda, loss: this.loss }, sv: this.sv?.toJSON() ?? null };
  }

  /** Restores a learner saved with `toJSON`. */
  static fromJSON(json: unknown): KernelOgd {
    const j = checkJSONType(json, 'KernelOgd');
    const l = new KernelOgd(j.options as KernelOgdOptions);
    l.restoreBase(j);
    if (j.sv) l.sv = SupportSet.fromJSON(j.sv as Parameters<typeof SupportSet.fromJSON>[0]);
    return l;
  }
}

/**
 * RBP, the random budget perceptron (Cavallanti, Cesa-Bianchi, Gentile 2007): a kernel
 * perceptron that, on a mistake with a full budget, discards a uniformly random SV and adds the
 * new example. The FORKS reference code forgets to add it after the removal (notes §2.12 #5);
 * `addAfterRemoval: false` reproduces that.
 * @module
 */
import { Rng } from '@descent/tensor';
import { type KernelSpec, checkKernel } from '../kernel';
import { marginLoss } from '../loss';
import { OnlineLearner, type UpdateOutcome, checkJSONType } from '../onlineLearner';
import { boolOpt, intOpt, seedOpt } from '../options';
import { SupportSet } from '../supportSet';
import type { Label, LearnerJSON } from '../types';

/** Options of {@link Rbp}. */
export interface RbpOptions {
  kernel: KernelSpec;
  /** Budget B (default 100). */
  budget?: number;
  /** Add the new example after a removal (default true, the paper; false = reference code). */
  addAfterRemoval?: boolean;
  seed?: number | string;
  dim?: number;
}

/** Random budget perceptron. */
export class Rbp extends OnlineLearner {
  readonly kernel: KernelSpec;
  readonly budget: number;
  readonly addAfterRemoval: boolean;
  readonly seed: number | string;
  private sv: SupportSet | undefined;

  constructor(o: RbpOptions) {
    super(o.dim);
    this.kernel = checkKernel('kernel', o.kernel);
    this.budget = intOpt('budget', o.budget, 100, 1);
    this.addAfterRemoval = boolOpt('addAfterRemoval', o.addAfterRemoval, true);
    this.seed = seedOpt(o.seed);
  }

  protected score(x: Float64Array): number {
    return this.sv ? this.sv.score(this.kernel, x) : 0;
  }

  protected update(x: Float64Array, y: Label, f: number): UpdateOutcome {
    this.sv ??= new SupportSet(x.length, this.budget);
    const loss = marginLoss('hinge', f, y);
    const predicted = f >= 0 ? 1 : -1;
    if (predicted === y) return { loss, updated: false };
    if (this.sv.n >= this.budget) {
      this.sv.removeAt(new Rng(this.seed).fold('remove', this.rounds).int(this.sv.n));
      if (!this.addAfterRemoval) return { loss, updated: true };
    }
    this.sv.add(x, y);
    return { loss, updated: true };
  }

  toJSON(): LearnerJSON {
    const { kernel, budget, addAfterRemoval, seed } = this;
    return { ...this.baseJSON('Rbp'), options: { kernel, budget, addAfterRemoval, seed }, sv: this.sv?.toJSON() ?? null };
  }

  /** Restores a learner saved with `toJSON`. */
  static fromJSON(json: unknown): Rbp {
    const j = checkJSONType(json, 'Rbp');
    const l = new Rbp(j.options as RbpOptions);
    l.restoreBase(j);
    if (j.sv) l.sv = SupportSet.fromJSON(j.sv as Parameters<typeof SupportSet.fromJSON>[0], l.budget);
    return l;
  }
}

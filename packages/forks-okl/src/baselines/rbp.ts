/**
 * RBP, the random budget perceptron (Cavallanti, Cesa-Bianchi, Gentile 2007): a kernel
 * perceptron that, on a mistake with a full budget, discards a uniformly random SV and adds the
 * new example. The FORKS reference code forgets to add it after the removal (notes §2.12 #5);
 * `addAfterRemoval: false` reproduces that.
 * @module
 */
import { type ResolvedOptions, Rng, option, resolveOptions } from '@descent/tensor';
import { BudgetedKernelLearner } from '../budgetedKernelLearner';
import type { KernelOption } from '../kernel';
import { dimOption, kernelOption, kernelWidthRowsOption, sizeOption } from '../learnerOptions';
import { marginLoss } from '../loss';
import { OnlineLearner, type UpdateOutcome, openLearnerBlob } from '../onlineLearner';
import type { Label, LearnerJSON } from '../types';

/** Options of {@link Rbp}. */
export interface RbpOptions {
  /** Kernel (default `'auto'`: Gaussian, median-heuristic bandwidth of the first rows). */
  kernel?: KernelOption;
  /** Rows of the `'auto'` kernel's median heuristic (default 100). */
  kernelWidthRows?: number;
  /** Budget B (default 100). */
  budget?: number;
  /** Add the new example after a removal (default true, the paper; false = reference code). */
  addAfterRemoval?: boolean;
  seed?: number | string;
  dim?: number;
}

const schema = {
  kernel: kernelOption(),
  kernelWidthRows: kernelWidthRowsOption(),
  budget: sizeOption(100),
  addAfterRemoval: option.boolean({ default: true }),
  seed: option.seed(),
  dim: dimOption(),
};

/** Random budget perceptron. */
export class Rbp extends BudgetedKernelLearner {
  readonly addAfterRemoval: boolean;
  readonly seed: number | string;
  private readonly opts: ResolvedOptions<typeof schema>;

  constructor(o: RbpOptions = {}) {
    const r = resolveOptions(o, schema, { name: 'Rbp' });
    super(r.kernel, r.kernelWidthRows, r.budget, r.dim);
    this.opts = r;
    this.addAfterRemoval = r.addAfterRemoval;
    this.seed = r.seed;
  }

  protected update(x: Float64Array, y: Label, f: number): UpdateOutcome {
    const sv = this.supportSet(x.length);
    const loss = marginLoss('hinge', f, y);
    const predicted = f >= 0 ? 1 : -1;
    if (predicted === y) return { loss, updated: false };
    if (sv.n >= this.budget) {
      sv.removeAt(new Rng(this.seed).fold('remove', this.stepCount).int(sv.n));
      if (!this.addAfterRemoval) return { loss, updated: true };
    }
    sv.add(x, y);
    return { loss, updated: true };
  }

  toJSON(): LearnerJSON {
    return this.budgetedBlob('Rbp', { ...this.opts, kernel: this.kernelOption });
  }

  /** Restores a learner saved with `toJSON` (every field validated); it continues bit-identically. */
  static fromJSON(json: unknown): Rbp {
    const r = openLearnerBlob(json, 'Rbp');
    const l = new Rbp(OnlineLearner.blobOptions(r) as RbpOptions);
    l.restoreBudgeted(r);
    return l;
  }
}

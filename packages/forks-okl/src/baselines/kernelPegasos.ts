/**
 * Kernel Pegasos (Shalev-Shwartz, Singer, Srebro, Cotter 2011), online: η_t = 1/(λt); every
 * margin error adds its example, f_t(x) = (1/(λt))·Σ_{margin errors j < t} y_j κ(x_j, x).
 * Unbudgeted (the accuracy ceiling for small data).
 * @module
 */
import { type ResolvedOptions, resolveOptions } from '@descent/tensor';
import { BudgetedKernelLearner } from '../budgetedKernelLearner';
import type { KernelOption } from '../kernel';
import { dimOption, kernelOption, kernelWidthRowsOption, positiveOption } from '../learnerOptions';
import { marginLoss } from '../loss';
import { OnlineLearner, type UpdateOutcome, openLearnerBlob } from '../onlineLearner';
import type { Label, LearnerJSON } from '../types';

/** Options of {@link KernelPegasos}. */
export interface KernelPegasosOptions {
  /** Kernel (default `'auto'`: Gaussian, median-heuristic bandwidth of the first rows). */
  kernel?: KernelOption;
  /** Rows of the `'auto'` kernel's median heuristic (default 100). */
  kernelWidthRows?: number;
  /** Regulariser λ (default 1e-3). */
  lambda?: number;
  dim?: number;
}

const schema = {
  kernel: kernelOption(),
  kernelWidthRows: kernelWidthRowsOption(),
  lambda: positiveOption(1e-3),
  dim: dimOption(),
};

/** Online kernel Pegasos. */
export class KernelPegasos extends BudgetedKernelLearner {
  readonly lambda: number;
  private readonly opts: ResolvedOptions<typeof schema>;

  constructor(o: KernelPegasosOptions = {}) {
    const r = resolveOptions(o, schema, { name: 'KernelPegasos' });
    super(r.kernel, r.kernelWidthRows, Number.POSITIVE_INFINITY, r.dim);
    this.opts = r;
    this.lambda = r.lambda;
  }

  protected override score(x: Float64Array): number {
    // α stores yⱼ (one entry per margin error); the 1/(λt) factor uses t = steps + 1.
    return super.score(x) / (this.lambda * (this.stepCount + 1));
  }

  protected update(x: Float64Array, y: Label, f: number): UpdateOutcome {
    const sv = this.supportSet(x.length);
    const loss = marginLoss('hinge', f, y);
    if (y * f < 1) {
      sv.add(x, y);
      return { loss, updated: true };
    }
    return { loss, updated: false };
  }

  toJSON(): LearnerJSON {
    return this.budgetedBlob('KernelPegasos', { ...this.opts, kernel: this.kernelOption });
  }

  /** Restores a learner saved with `toJSON` (every field validated); it continues bit-identically. */
  static fromJSON(json: unknown): KernelPegasos {
    const r = openLearnerBlob(json, 'KernelPegasos');
    const l = new KernelPegasos(OnlineLearner.blobOptions(r) as KernelPegasosOptions);
    l.restoreBudgeted(r);
    return l;
  }
}

/**
 * Kernel Pegasos (Shalev-Shwartz, Singer, Srebro, Cotter 2011), online form: with ηₜ = 1/(λt),
 * fₜ(x) = (1/(λt)) Σⱼ cⱼ yⱼ κ(xⱼ, x) where cⱼ counts the margin errors on example j.
 * Unbudgeted; an accuracy ceiling on small streams.
 * @module
 */
import { type KernelSpec, checkKernel } from '../kernel';
import { marginLoss } from '../loss';
import { OnlineLearner, type UpdateOutcome, checkJSONType } from '../onlineLearner';
import { posOpt } from '../options';
import { SupportSet } from '../supportSet';
import type { Label, LearnerJSON } from '../types';

/** Options of {@link KernelPegasos}. */
export interface KernelPegasosOptions {
  kernel: KernelSpec;
  /** Regulariser λ (default 1e-3). */
  lambda?: number;
  dim?: number;
}

/** Unbudgeted kernel Pegasos (hinge loss). */
export class KernelPegasos extends OnlineLearner {
  readonly kernel: KernelSpec;
  readonly lambda: number;
  private sv: SupportSet | undefined;

  constructor(o: KernelPegasosOptions) {
    super(o.dim);
    this.kernel = checkKernel('kernel', o.kernel);
    this.lambda = posOpt('lambda', o.lambda, 1e-3);
  }

  /** Number of support vectors. */
  get size(): number {
    return this.sv?.n ?? 0;
  }

  protected score(x: Float64Array): number {
    // α stores yⱼ (one entry per margin error); the 1/(λt) factor uses t = rounds + 1.
    return this.sv ? this.sv.score(this.kernel, x) / (this.lambda * (this.rounds + 1)) : 0;
  }

  protected update(x: Float64Array, y: Label, f: number): UpdateOutcome {
    this.sv ??= new SupportSet(x.length);
    const loss = marginLoss('hinge', f, y);
    if (y * f < 1) {
      this.sv.add(x, y);
      return { loss, updated: true };
    }
    return { loss, updated: false };
  }

  toJSON(): LearnerJSON {
    return { ...this.baseJSON('KernelPegasos'), options: { kernel: this.kernel, lambda: this.lambda }, sv: this.sv?.toJSON() ?? null };
  }

  /** Restores a learner saved with `toJSON`. */
  static fromJSON(json: unknown): KernelPegasos {
    const j = checkJSONType(json, 'KernelPegasos');
    const l = new KernelPegasos(j.options as KernelPegasosOptions);
    l.restoreBase(j);
    if (j.sv) l.sv = SupportSet.fromJSON(j.sv as Parameters<typeof SupportSet.fromJSON>[0]);
    return l;
  }
}

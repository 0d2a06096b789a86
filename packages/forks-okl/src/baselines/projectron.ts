/**
 * Projectron (Orabona, Keshet, Caputo, JMLR 2009): a kernel perceptron keeping K_SV⁻¹. On a
 * mistake compute d* = K⁻¹kₜ and δ² = κₜₜ − kₜᵀd*. With `threshold` η_p > 0 (the paper's rule):
 * if δ ≤ η_p (or the budget is full) project, α ← α + y·d*; else add xₜ as an SV and grow K⁻¹
 * by the block-inverse formula. With `threshold = 0` (default, FORKS reference code): add while
 * below budget, then always project. Additions with δ² < 1e-10 (a repeated point) are projected
 * instead, which keeps K⁻¹ finite.
 * @module
 */
import { type KernelSpec, checkKernel, kernelAt } from '../kernel';
import { marginLoss } from '../loss';
import { OnlineLearner, type UpdateOutcome, checkJSONType, toArr, toF64 } from '../onlineLearner';
import { intOpt, posOpt } from '../options';
import { SupportSet } from '../supportSet';
import type { Label, LearnerJSON } from '../types';

/** Options of {@link Projectron}. */
export interface ProjectronOptions {
  kernel: KernelSpec;
  /** Budget B (default 100). */
  budget?: number;
  /** Projection threshold η_p on δ (default 0: the reference code's add-then-project rule). */
  threshold?: number;
  dim?: number;
}

/** Projectron with a budget cap. */
export class Projectron extends OnlineLearner {
  readonly kernel: KernelSpec;
  readonly budget: number;
  readonly threshold: number;
  private sv: SupportSet | undefined;
  /** K⁻¹ with row stride `budget`. */
  private kinv: Float64Array;
  private row: Float64Array;
  private dstar: Float64Array;

  constructor(o: ProjectronOptions) {
    super(o.dim);
    this.kernel = checkKernel('kernel', o.kernel);
    this.budget = intOpt('budget', o.budget, 100, 1);
    this.threshold = posOpt('threshold', o.threshold, 0, true);
    this.kinv = new Float64Array(this.budget * this.budget);
    this.row = new Float64Array(this.budget);
    this.dstar = new Float64Array(this.budget);
  }

  protected score(x: Float64Array): number {
    return this.sv ? this.sv.score(this.kernel, x) : 0;
  }

  protected update(x: Float64Array, y: Label, f: number): UpdateOutcome {
    this.sv ??= new SupportSet(x.length, this.budget);
    const sv = this.sv;
    const loss = marginLoss('hinge', f, y);
    if ((f >= 0 ? 1 : -1) === y) return { loss, updated: false };
    const n = sv.n;
    const B = this.budget;
    const ktt = kernelAt(this.kernel, x, 0, x, 0, x.length);
    if (n === 0) {
      sv.add(x, y);
      this.kinv[0] = 1 / ktt;
      return { loss, updated: true };
    }
    const k = sv.kernelRow(this.kernel, x, this.row);
    const d = this.dstar;
    let kd = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += this.kinv[i * B + j] * k[j];
      d[i] = s;
      kd += k[i] * s;
    }
    const delta2 = ktt - kd;
    const full = n >= B;
    const project = full || delta2 < 1e-10 || (this.threshold > 0 && Math.sqrt(Math.max(0, delta2)) <= this.threshold);
    if (project) {
      for (let i = 0; i < n; i++) sv.alpha[i] += y * d[i];
      return { loss, updated: true };
    }
    // block inverse: [[K⁻¹ + d dᵀ/δ², −d/δ²], [−dᵀ/δ², 1/δ²]]
    const inv = 1 / delta2;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) this.kinv[i * B + j] += d[i] * d[j] * inv;
      this.kinv[i * B + n] = -d[i] * inv;
      this.kinv[n * B + i] = -d[i] * inv;
    }
    this.kinv[n * B + n] = inv;
    sv.add(x, y);
    return { loss, updated: true };
  }

  toJSON(): LearnerJSON {
    const { kernel, budget, threshold } = this;
    return { ...this.baseJSON('Projectron'), options: { kernel, budget, threshold }, sv: this.sv?.toJSON() ?? null, kinv: toArr(this.kinv) };
  }

  /** Restores a learner saved with `toJSON`. */
  static fromJSON(json: unknown): Projectron {
    const j = checkJSONType(json, 'Projectron');
    const l = new Projectron(j.options as ProjectronOptions);
    l.restoreBase(j);
    if (j.sv) l.sv = SupportSet.fromJSON(j.sv as Parameters<typeof SupportSet.fromJSON>[0], l.budget);
    l.kinv = toF64(j.kinv);
    return l;
  }
}

/**
 * Projectron (Orabona, Keshet, Caputo, JMLR 2009): a kernel perceptron keeping K_SV⁻¹. On a
 * mistake compute d* = K⁻¹kₜ and δ² = κₜₜ − kₜᵀd*. With `threshold` η_p > 0 (the paper's rule):
 * if δ ≤ η_p (or the budget is full) project, α ← α + y·d*; else add xₜ as an SV and grow K⁻¹
 * by the block-inverse formula. With `threshold = 0` (default, FORKS reference code): add while
 * below budget, then always project. Additions with δ² < 1e-10 (a repeated point) are projected
 * instead, which keeps K⁻¹ finite.
 * @module
 */
import { type BlobReader, Matrix, type ResolvedOptions, kernelGram, kernelValue, pinv, resolveOptions } from '@descent/tensor';
import { BudgetedKernelLearner } from '../budgetedKernelLearner';
import type { KernelOption } from '../kernel';
import { dimOption, kernelOption, kernelWidthRowsOption, nonNegativeOption, sizeOption } from '../learnerOptions';
import { marginLoss } from '../loss';
import { OnlineLearner, type UpdateOutcome, openLearnerBlob } from '../onlineLearner';
import type { Label, LearnerJSON } from '../types';

/** Options of {@link Projectron}. */
export interface ProjectronOptions {
  /** Kernel (default `'auto'`: Gaussian, median-heuristic bandwidth of the first rows). */
  kernel?: KernelOption;
  /** Rows of the `'auto'` kernel's median heuristic (default 100). */
  kernelWidthRows?: number;
  /** Budget B (default 100). */
  budget?: number;
  /** Projection threshold η_p on δ (default 0: the reference code's add-then-project rule). */
  threshold?: number;
  dim?: number;
}

const schema = {
  kernel: kernelOption(),
  kernelWidthRows: kernelWidthRowsOption(),
  budget: sizeOption(100),
  threshold: nonNegativeOption(0),
  dim: dimOption(),
};

/** Projectron with a budget cap. */
export class Projectron extends BudgetedKernelLearner {
  readonly threshold: number;
  private readonly opts: ResolvedOptions<typeof schema>;
  /** K⁻¹ of the support set, n × n (row stride `budget`). */
  private kinv: Float64Array;
  private row: Float64Array;
  private dstar: Float64Array;

  constructor(o: ProjectronOptions = {}) {
    const r = resolveOptions(o, schema, { name: 'Projectron' });
    super(r.kernel, r.kernelWidthRows, r.budget, r.dim);
    this.opts = r;
    this.threshold = r.threshold;
    this.kinv = new Float64Array(this.budget * this.budget);
    this.row = new Float64Array(this.budget);
    this.dstar = new Float64Array(this.budget);
  }

  /** K⁻¹ of the support set from scratch (after the `'auto'` bandwidth changed). */
  protected override onKernelChange(): void {
    const sv = this.sv;
    if (!sv || sv.n === 0) return;
    const n = sv.n;
    const B = this.budget;
    const inv = pinv(new Matrix(n, n, kernelGram(this.kern, sv.x, n, sv.d))).data;
    this.kinv.fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) this.kinv[i * B + j] = inv[i * n + j];
  }

  protected update(x: Float64Array, y: Label, f: number): UpdateOutcome {
    const sv = this.supportSet(x.length);
    const loss = marginLoss('hinge', f, y);
    if ((f >= 0 ? 1 : -1) === y) return { loss, updated: false };
    const n = sv.n;
    const B = this.budget;
    const ktt = kernelValue(this.kern, x, x);
    if (n === 0) {
      sv.add(x, y);
      this.kinv[0] = 1 / ktt;
      return { loss, updated: true };
    }
    const k = sv.kernelRow(this.kern, x, this.row);
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
    const n = this.sv?.n ?? 0;
    const kinv: number[] = [];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) kinv.push(this.kinv[i * this.budget + j]);
    return this.budgetedBlob('Projectron', { ...this.opts, kernel: this.kernelOption }, { kinv });
  }

  /** Restores a learner saved with `toJSON` (every field validated); it continues bit-identically. */
  static fromJSON(json: unknown): Projectron {
    const r: BlobReader = openLearnerBlob(json, 'Projectron');
    const l = new Projectron(OnlineLearner.blobOptions(r) as ProjectronOptions);
    l.restoreBudgeted(r);
    const n = l.sv?.n ?? 0;
    const kinv = r.vector('kinv', { length: n * n });
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) l.kinv[i * l.budget + j] = kinv[i * n + j];
    return l;
  }
}

/**
 * BPA-S, budgeted passive-aggressive "simple" (Wang & Vucetic, AISTATS 2010). On hinge loss
 * ℓ > 0 the PA step is τ = min(C, ℓ/κₜₜ). Below budget, add (xₜ, y·τ). With a full budget, for
 * each SV r consider removing it and giving xₜ the coefficient β = αᵣκ(xᵣ, xₜ) + τy; the
 * candidate f″ = f − αᵣκ(xᵣ,·) + βκ(xₜ,·) is scored by ½‖f″ − f′‖² + C·ℓ(f″(xₜ), y), with
 * f′ = f + τyκ(xₜ,·) the unbudgeted PA update; the best r is replaced by xₜ. O(B) per update.
 * @module
 */
import { type ResolvedOptions, kernelValue, resolveOptions } from '@descent/tensor';
import { BudgetedKernelLearner } from '../budgetedKernelLearner';
import type { KernelOption } from '../kernel';
import { dimOption, kernelOption, kernelWidthRowsOption, positiveOption, sizeOption } from '../learnerOptions';
import { marginLoss } from '../loss';
import { OnlineLearner, type UpdateOutcome, openLearnerBlob } from '../onlineLearner';
import type { Label, LearnerJSON } from '../types';

/** Options of {@link BpaS}. */
export interface BpaSOptions {
  /** Kernel (default `'auto'`: Gaussian, median-heuristic bandwidth of the first rows). */
  kernel?: KernelOption;
  /** Rows of the `'auto'` kernel's median heuristic (default 100). */
  kernelWidthRows?: number;
  /** Budget B (default 100). */
  budget?: number;
  /** Aggressiveness C (default 1, as in the reference code). */
  C?: number;
  dim?: number;
}

const schema = {
  kernel: kernelOption(),
  kernelWidthRows: kernelWidthRowsOption(),
  budget: sizeOption(100),
  C: positiveOption(1),
  dim: dimOption(),
};

/** Budgeted passive-aggressive (simple). */
export class BpaS extends BudgetedKernelLearner {
  readonly C: number;
  private readonly opts: ResolvedOptions<typeof schema>;
  private row = new Float64Array(0);

  constructor(o: BpaSOptions = {}) {
    const r = resolveOptions(o, schema, { name: 'BpaS' });
    super(r.kernel, r.kernelWidthRows, r.budget, r.dim);
    this.opts = r;
    this.C = r.C;
  }

  protected update(x: Float64Array, y: Label, f: number): UpdateOutcome {
    const sv = this.supportSet(x.length);
    const loss = marginLoss('hinge', f, y);
    if (loss <= 0) return { loss, updated: false };
    const ktt = kernelValue(this.kern, x, x);
    const tau = Math.min(this.C, loss / ktt);
    if (sv.n < this.budget) {
      sv.add(x, y * tau);
      return { loss, updated: true };
    }
    if (this.row.length < sv.n) this.row = new Float64Array(sv.n);
    const row = sv.kernelRow(this.kern, x, this.row);
    let best = 0;
    let bestObj = Number.POSITIVE_INFINITY;
    let bestBeta = 0;
    for (let r = 0; r < sv.n; r++) {
      const a = sv.alpha[r];
      const krt = row[r];
      const krr = kernelValue(this.kern, sv.x.subarray(r * sv.d, (r + 1) * sv.d), sv.x.subarray(r * sv.d, (r + 1) * sv.d));
      const beta = a * krt + tau * y;
      // f″ − f′ = −αᵣκᵣ + αᵣκᵣₜκₜ  ⇒  ‖·‖² = αᵣ²(κᵣᵣ − 2κᵣₜ² + κᵣₜ²κₜₜ)
      const dist = a * a * Math.max(0, krr - 2 * krt * krt + krt * krt * ktt);
      const f2 = f - a * krt + beta * ktt;
      const obj = 0.5 * dist + this.C * Math.max(0, 1 - y * f2);
      if (obj < bestObj) {
        bestObj = obj;
        best = r;
        bestBeta = beta;
      }
    }
    sv.replace(best, x, bestBeta);
    return { loss, updated: true };
  }

  toJSON(): LearnerJSON {
    return this.budgetedBlob('BpaS', { ...this.opts, kernel: this.kernelOption });
  }

  /** Restores a learner saved with `toJSON` (every field validated); it continues bit-identically. */
  static fromJSON(json: unknown): BpaS {
    const r = openLearnerBlob(json, 'BpaS');
    const l = new BpaS(OnlineLearner.blobOptions(r) as BpaSOptions);
    l.restoreBudgeted(r);
    return l;
  }
}

/**
 * BPA-S, budgeted passive-aggressive "simple" (Wang & Vucetic, AISTATS 2010). On hinge loss
 * ℓ > 0 the PA step is τ = min(C, ℓ/κₜₜ). Below budget, add (xₜ, y·τ). With a full budget, for
 * each SV r consider removing it and giving xₜ the coefficient β = αᵣκ(xᵣ, xₜ) + τy; the
 * candidate f″ = f − αᵣκ(xᵣ,·) + βκ(xₜ,·) is scored by ½‖f″ − f′‖² + C·ℓ(f″(xₜ), y), with
 * f′ = f + τyκ(xₜ,·) the unbudgeted PA update; the best r is replaced by xₜ. O(B) per update.
 * @module
 */
import { type KernelSpec, checkKernel, kernelAt } from '../kernel';
import { marginLoss } from '../loss';
import { OnlineLearner, type UpdateOutcome, checkJSONType } from '../onlineLearner';
import { intOpt, posOpt } from '../options';
import { SupportSet } from '../supportSet';
import type { Label, LearnerJSON } from '../types';

/** Options of {@link BpaS}. */
export interface BpaSOptions {
  kernel: KernelSpec;
  /** Budget B (default 100). */
  budget?: number;
  /** Aggressiveness C (default 1, as in the reference code). */
  C?: number;
  dim?: number;
}

/** Budgeted passive-aggressive (simple). */
export class BpaS extends OnlineLearner {
  readonly kernel: KernelSpec;
  readonly budget: number;
  readonly C: number;
  private sv: SupportSet | undefined;
  private row = new Float64Array(0);

  constructor(o: BpaSOptions) {
    super(o.dim);
    this.kernel = checkKernel('kernel', o.kernel);
    this.budget = intOpt('budget', o.budget, 100, 1);
    this.C = posOpt('C', o.C, 1);
  }

  protected score(x: Float64Array): number {
    return this.sv ? this.sv.score(this.kernel, x) : 0;
  }

  protected update(x: Float64Array, y: Label, f: number): UpdateOutcome {
    this.sv ??= new SupportSet(x.length, this.budget);
    const sv = this.sv;
    const loss = marginLoss('hinge', f, y);
    if (loss <= 0) return { loss, updated: false };
    const ktt = kernelAt(this.kernel, x, 0, x, 0, x.length);
    const tau = Math.min(this.C, loss / ktt);
    if (sv.n < this.budget) {
      sv.add(x, y * tau);
      return { loss, updated: true };
    }
    if (this.row.length < sv.n) this.row = new Float64Array(sv.n);
    const row = sv.kernelRow(this.kernel, x, this.row);
    let best = 0;
    let bestObj = Number.POSITIVE_INFINITY;
    let bestBeta = 0;
    for (let r = 0; r < sv.n; r++) {
      const a = sv.alpha[r];
      const krt = row[r];
      const krr = kernelAt(this.kernel, sv.x, r, sv.x, r, sv.d);
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
    const { kernel, budget, C } = this;
    return { ...this.baseJSON('BpaS'), options: { kernel, budget, C }, sv: this.sv?.toJSON() ?? null };
  }

  /** Restores a learner saved with `toJSON`. */
  static fromJSON(json: unknown): BpaS {
    const j = checkJSONType(json, 'BpaS');
    const l = new BpaS(j.options as BpaSOptions);
    l.restoreBase(j);
    if (j.sv) l.sv = SupportSet.fromJSON(j.sv as Parameters<typeof SupportSet.fromJSON>[0], l.budget);
    return l;
  }
}

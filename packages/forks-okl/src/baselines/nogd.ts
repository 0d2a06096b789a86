/**
 * NOGD, Nyström online gradient descent (Lu, Hoi, Wang, Zhao, Liu, JMLR 2016), as in the FORKS
 * reference code: kernel OGD (α = η·(−∂ℓ/∂f)) until B margin-error SVs are stored; then the
 * rank-k Nyström map z(x) = Λ_k^{−1/2}V_kᵀκ(SV, x) of K_B, warm start w = Λ_k^{1/2}V_kᵀα (the
 * least-squares w with wᵀz(·) = Σαᵢκ(SVᵢ, ·) on the span; `warmStart: 'zero'` = LIBOKL), and
 * linear OGD w ← w + η·(−∂ℓ/∂f)·z on margin errors. O(B·d + B·k) per round.
 * @module
 */
import { type KernelSpec, checkKernel, kernelAt } from '../kernel';
import { checkLoss, marginLoss, negLossDerivative } from '../loss';
import { type NystromFeatureMap, nystromFeatureMap, nystromTransform } from '../nystromFeatureMap';
import { OnlineLearner, type UpdateOutcome, checkJSONType, toArr, toF64 } from '../onlineLearner';
import { enumOpt, intOpt, posOpt } from '../options';
import { SupportSet } from '../supportSet';
import type { Label, LearnerJSON, LossName } from '../types';

/** Options of {@link Nogd}. */
export interface NogdOptions {
  /** Kernel (default Gaussian σ = 50 as FORKS). */
  kernel?: KernelSpec;
  /** Budget B (default 100). */
  budget?: number;
  /** Rank k of the Nyström map (default max(1, ⌊0.1B⌋)). */
  rank?: number;
  /** Step size η (default 0.2). */
  eta?: number;
  /** Warm start after the budget fills (default 'kernel', FORKS code; 'zero' = LIBOKL). */
  warmStart?: 'kernel' | 'zero';
  loss?: LossName;
  dim?: number;
}

/** Nyström OGD. */
export class Nogd extends OnlineLearner {
  readonly kernel: KernelSpec;
  readonly budget: number;
  readonly rank: number;
  readonly eta: number;
  readonly warmStart: 'kernel' | 'zero';
  readonly loss: LossName;
  private sv: SupportSet | undefined;
  private map: NystromFeatureMap | undefined;
  private w: Float64Array = new Float64Array(0);
  private z = new Float64Array(0);
  private row = new Float64Array(0);

  constructor(o: NogdOptions = {}) {
    super(o.dim);
    this.kernel = checkKernel('kernel', o.kernel ?? { type: 'gaussian', sigma: 50 });
    this.budget = intOpt('budget', o.budget, 100, 2);
    this.rank = intOpt('rank', o.rank, Math.max(1, Math.floor(0.1 * this.budget)), 1, this.budget);
    this.eta = posOpt('eta', o.eta, 0.2);
    this.warmStart = enumOpt('warmStart', o.warmStart, 'kernel', ['kernel', 'zero'] as const);
    this.loss = checkLoss('loss', o.loss ?? 'hinge');
  }

  protected override inWarmup(): boolean {
    return !this.map;
  }

  protected score(x: Float64Array): number {
    if (!this.map) {
      if (!this.sv) return 0;
      let f = 0;
      for (let i = 0; i < this.sv.n; i++) f += this.sv.alpha[i] * kernelAt(this.kernel, this.sv.x, i, x, 0, x.length);
      return f;
    }
    const z = nystromTransform(this.map, x, this.z, this.row);
    let f = 0;
    for (let i = 0; i < z.length; i++) f += this.w[i] * z[i];
    return f;
  }

  private build(): void {
    const sv = this.sv as SupportSet;
    this.map = nystromFeatureMap(this.kernel, sv.x, sv.n, sv.d, this.rank);
    const { k, m, M } = this.map;
    this.w = new Float64Array(k);
    this.z = new Float64Array(k);
    this.row = new Float64Array(m);
    if (this.warmStart === 'kernel') {
      // M = Λ^{−1/2}Vᵀ, so (MMᵀ)⁻¹Mα = Λ M α: row a of M scaled by λ_a = 1/‖M_a‖²
      for (let a = 0; a < k; a++) {
        let s = 0;
        let n2 = 0;
        for (let j = 0; j < m; j++) {
          s += M[a * m + j] * sv.alpha[j];
          n2 += M[a * m + j] * M[a * m + j];
        }
        this.w[a] = s / n2;
      }
    }
  }

  protected update(x: Float64Array, y: Label, f: number): UpdateOutcome {
    const loss = marginLoss(this.loss, f, y);
    const g = negLossDerivative(this.loss, f, y);
    if (g === 0) return { loss, updated: false };
    if (!this.map) {
      this.sv ??= new SupportSet(x.length, this.budget);
      this.sv.add(x, this.eta * g);
      if (this.sv.n === this.budget) {
        this.build();
        return { loss, updated: true, sketchUpdated: true };
      }
      return { loss, updated: true };
    }
    // this.z holds z(x) from this round's score
    const c = this.eta * g;
    for (let i = 0; i < this.w.length; i++) this.w[i] += c * this.z[i];
    return { loss, updated: true };
  }

  toJSON(): LearnerJSON {
    const { kernel, budget, rank, eta, warmStart, loss } = this;
    return { ...this.baseJSON('Nogd'), options: { kernel, budget, rank, eta, warmStart, loss }, sv: this.sv?.toJSON() ?? null, built: !!this.map, w: toArr(this.w) };
  }

  /** Restores a learner saved with `toJSON`. */
  static fromJSON(json: unknown): Nogd {
    const j = checkJSONType(json, 'Nogd');
    const l = new Nogd(j.options as NogdOptions);
    l.restoreBase(j);
    if (j.sv) l.sv = SupportSet.fromJSON(j.sv as Parameters<typeof SupportSet.fromJSON>[0], l.budget);
    if (j.built) l.build();
    l.w = toF64(j.w);
    return l;
  }
}

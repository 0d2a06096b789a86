/**
 * NOGD, Nyström online gradient descent (Lu, Hoi, Wang, Zhao, Liu, JMLR 2016), as in the FORKS
 * reference code: kernel OGD (α = η·(−∂ℓ/∂f)) until B margin-error SVs are stored; then the
 * rank-k Nyström map z(x) = Λ_k^{−1/2}V_kᵀκ(SV, x) of K_B, warm start w = Λ_k^{1/2}V_kᵀα (the
 * least-squares w with wᵀz(·) = Σαᵢκ(SVᵢ, ·) on the span; `warmStart: 'zero'` = LIBOKL), and
 * linear OGD w ← w + η·(−∂ℓ/∂f)·z on margin errors. O(B·d + B·k) per round.
 * @module
 */
import { type BlobReader, type ResolvedOptions, ValueError, option, resolveOptions } from '@descent/tensor';
import { BudgetedKernelLearner } from '../budgetedKernelLearner';
import type { KernelOption } from '../kernel';
import { dimOption, kernelOption, kernelWidthRowsOption, lossOption, positiveOption, sizeOption } from '../learnerOptions';
import { marginLoss, negLossDerivative } from '../loss';
import { type NystromFeatureMap, nystromFeatureMap, nystromTransform } from '../nystromFeatureMap';
import { OnlineLearner, type UpdateOutcome, openLearnerBlob } from '../onlineLearner';
import type { Label, LearnerJSON, LossName } from '../types';

/** Options of {@link Nogd}. */
export interface NogdOptions {
  /** Kernel (default `'auto'`: Gaussian, median-heuristic bandwidth of the first rows, fixed when the map is built). */
  kernel?: KernelOption;
  /** Rows of the `'auto'` kernel's median heuristic (default 100). */
  kernelWidthRows?: number;
  /** Budget B (default 100). */
  budget?: number;
  /** Rank k of the Nyström map (default max(1, ⌊0.1B⌋)). */
  rank?: number;
  /** Step size η (default 0.2). */
  learningRate?: number;
  /** Warm start after the budget fills (default 'kernel', FORKS code; 'zero' = LIBOKL). */
  warmStart?: 'kernel' | 'zero';
  loss?: LossName;
  dim?: number;
}

const schema = {
  kernel: kernelOption(),
  kernelWidthRows: kernelWidthRowsOption(),
  budget: sizeOption(100, 2),
  rank: option.integer({ min: 1, max: 100_000 }),
  learningRate: positiveOption(0.2),
  warmStart: option.oneOf(['kernel', 'zero'] as const, { default: 'kernel' }),
  loss: lossOption(),
  dim: dimOption(),
};

/** Nyström OGD. */
export class Nogd extends BudgetedKernelLearner {
  readonly rank: number;
  readonly learningRate: number;
  readonly warmStart: 'kernel' | 'zero';
  readonly loss: LossName;
  private readonly opts: ResolvedOptions<typeof schema>;
  private map: NystromFeatureMap | undefined;
  private w: Float64Array = new Float64Array(0);
  private z = new Float64Array(0);
  private row = new Float64Array(0);

  constructor(o: NogdOptions = {}) {
    const r = resolveOptions(o, schema, { name: 'Nogd', renamed: { eta: 'learningRate' } });
    super(r.kernel, r.kernelWidthRows, r.budget, r.dim);
    this.opts = r;
    this.rank = r.rank ?? Math.max(1, Math.floor(0.1 * r.budget));
    if (this.rank > r.budget) throw new ValueError(`rank must be <= budget (${r.budget}), got ${this.rank}`, 'rank');
    this.learningRate = r.learningRate;
    this.warmStart = r.warmStart;
    this.loss = r.loss;
  }

  protected override inWarmup(): boolean {
    return !this.map;
  }

  protected override score(x: Float64Array): number {
    if (!this.map) return super.score(x);
    const z = nystromTransform(this.map, x, this.z, this.row);
    let f = 0;
    for (let i = 0; i < z.length; i++) f += this.w[i] * z[i];
    return f;
  }

  private build(warm: boolean): void {
    this.freezeKernel();
    const sv = this.sv as NonNullable<typeof this.sv>;
    this.map = nystromFeatureMap(this.kern, sv.x, sv.n, sv.d, this.rank);
    const { k, m, M } = this.map;
    this.w = new Float64Array(k);
    this.z = new Float64Array(k);
    this.row = new Float64Array(m);
    if (warm && this.warmStart === 'kernel') {
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
      const sv = this.supportSet(x.length);
      sv.add(x, this.learningRate * g);
      if (sv.n === this.budget) {
        this.build(true);
        return { loss, updated: true, sketchUpdated: true };
      }
      return { loss, updated: true };
    }
    const z = nystromTransform(this.map, x, this.z, this.row);
    const c = this.learningRate * g;
    for (let i = 0; i < this.w.length; i++) this.w[i] += c * z[i];
    return { loss, updated: true };
  }

  toJSON(): LearnerJSON {
    return this.budgetedBlob('Nogd', { ...this.opts, kernel: this.kernelOption }, { built: !!this.map, w: Array.from(this.w) });
  }

  /** Restores a learner saved with `toJSON` (every field validated; the map is rebuilt from the SVs); it continues bit-identically. */
  static fromJSON(json: unknown): Nogd {
    const r: BlobReader = openLearnerBlob(json, 'Nogd');
    const l = new Nogd(OnlineLearner.blobOptions(r) as NogdOptions);
    l.restoreBudgeted(r);
    const built = r.boolean('built');
    if (built) {
      if ((l.sv?.n ?? 0) !== l.budget) throw r.at('built').valueError(`false while the budget is not full (${l.sv?.n ?? 0} of ${l.budget} SVs)`);
      if (l.width && !l.width.frozen) throw r.at('kernelWidth.frozen').valueError('true once the map is built');
      l.build(false);
    }
    l.w = r.vector('w', { length: built ? (l.map as NystromFeatureMap).k : 0 });
    return l;
  }
}

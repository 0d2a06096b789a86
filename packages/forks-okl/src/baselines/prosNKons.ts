/**
 * PROS-N-KONS (Calandriello, Lazaric, Valko, NeurIPS 2017), with the FORKS reference code's
 * dictionary cap. Every round, KORS (kernel online row sampling) estimates the ridge leverage
 * score τₜ = ((1 + ε)/γ)·(κₜₜ − k̃ᵀ(K_D + γI)⁻¹k̃) of xₜ against the dictionary D and adds xₜ
 * with probability min(β·τₜ, 1) while |D| < budget. Whenever D changes, a new Nyström embedding
 * φ(x) = Λ^{−1/2}Vᵀκ(D, x) of K_D is built and the learner restarts (w = 0, A = αI). Within an
 * epoch it runs the projected online-Newton step of FORKS (onsStep.ts) with u = g/4 (A += ggᵀ/16)
 * as in the code. Cost O(J²) per round and O(J³) per dictionary change (J = |D|): the
 * "at least quadratic in the budget" second-order baseline.
 * Choice: K_D is unweighted (atom weights 1/p are not applied) and (K_D + γI)⁻¹ is rebuilt only
 * when D changes (the reference code recomputes the whole kernel matrix every round, §2.12 #6).
 * @module
 */
import { Matrix, Rng, inv } from '@descent/tensor';
import { type KernelSpec, checkKernel, kernelAt, kernelMatrix } from '../kernel';
import { checkLoss, marginLoss, negLossDerivative } from '../loss';
import { type NystromFeatureMap, nystromFeatureMap, nystromTransform } from '../nystromFeatureMap';
import { OnlineLearner, type UpdateOutcome, checkJSONType, toArr, toF64 } from '../onlineLearner';
import { onsProjectedStep } from '../onsStep';
import { intOpt, posOpt, seedOpt } from '../options';
import { ShermanMorrisonInverse } from '../shermanMorrison';
import { SupportSet } from '../supportSet';
import type { Label, LearnerJSON, LossName } from '../types';

/** Options of {@link ProsNKons} (defaults from the FORKS reference code). */
export interface ProsNKonsOptions {
  kernel?: KernelSpec;
  /** Dictionary cap J_max (default 100). */
  budget?: number;
  /** A₀ = αI (default 1). */
  alpha?: number;
  /** KORS oversampling β (default 1). */
  beta?: number;
  /** KORS accuracy ε (default 0.5). */
  epsilon?: number;
  /** KORS ridge γ (default 1). */
  gamma?: number;
  /** Projection bound C (default 1). */
  projectionBound?: number;
  /** Step scale η (default 1). */
  eta?: number;
  loss?: LossName;
  seed?: number | string;
  dim?: number;
}

/** PROS-N-KONS with a capped dictionary. */
export class ProsNKons extends OnlineLearner {
  readonly kernel: KernelSpec;
  readonly budget: number;
  readonly alpha: number;
  readonly beta: number;
  readonly epsilon: number;
  readonly gamma: number;
  readonly projectionBound: number;
  readonly eta: number;
  readonly loss: LossName;
  readonly seed: number | string;
  private dict: SupportSet | undefined;
  /** (K_D + γI)⁻¹, J × J. */
  private ridgeInv: Float64Array = new Float64Array(0);
  private map: NystromFeatureMap | undefined;
  private w: Float64Array = new Float64Array(0);
  private Ainv = new ShermanMorrisonInverse(0, 1);
  private phi = new Float64Array(0);
  private row = new Float64Array(0);
  private scratch = new Float64Array(0);
  /** Dictionary changes so far (epochs). */
  epochs = 0;

  constructor(o: ProsNKonsOptions = {}) {
    super(o.dim);
    this.kernel = checkKernel('kernel', o.kernel ?? { type: 'gaussian', sigma: 50 });
    this.budget = intOpt('budget', o.budget, 100, 1);
    this.alpha = posOpt('alpha', o.alpha, 1);
    this.beta = posOpt('beta', o.beta, 1);
    this.epsilon = posOpt('epsilon', o.epsilon, 0.5, true);
    this.gamma = posOpt('gamma', o.gamma, 1);
    this.projectionBound = posOpt('projectionBound', o.projectionBound, 1);
    this.eta = posOpt('eta', o.eta, 1);
    this.loss = checkLoss('loss', o.loss ?? 'hinge');
    this.seed = seedOpt(o.seed);
  }

  /** Dictionary size J. */
  get size(): number {
    return this.dict?.n ?? 0;
  }

  protected score(x: Float64Array): number {
    if (!this.map) return 0;
    const phi = nystromTransform(this.map, x, this.phi, this.row);
    let f = 0;
    for (let i = 0; i < phi.length; i++) f += this.w[i] * phi[i];
    return f;
  }

  private rebuild(): void {
    const D = this.dict as SupportSet;
    const J = D.n;
    const K = kernelMatrix(this.kernel, D.x, J, D.d);
    for (let i = 0; i < J; i++) K[i * J + i] += this.gamma;
    this.ridgeInv = inv(new Matrix(J, J, K)).data;
    this.map = nystromFeatureMap(this.kernel, D.x, J, D.d);
    const k = this.map.k;
    this.w = new Float64Array(k);
    this.phi = new Float64Array(k);
    this.row = new Float64Array(J);
    this.scratch = new Float64Array(k);
    this.Ainv = new ShermanMorrisonInverse(k, this.alpha);
  }

  /** KORS: the approximate ridge leverage score of x. */
  private leverage(x: Float64Array): number {
    const ktt = kernelAt(this.kernel, x, 0, x, 0, x.length);
    const D = this.dict;
    if (!D || D.n === 0) return ((1 + this.epsilon) / this.gamma) * ktt;
    const J = D.n;
    const kv = new Float64Array(J);
    for (let i = 0; i < J; i++) kv[i] = kernelAt(this.kernel, D.x, i, x, 0, x.length);
    let q = 0;
    for (let i = 0; i < J; i++) {
      let s = 0;
      for (let j = 0; j < J; j++) s += this.ridgeInv[i * J + j] * kv[j];
      q += kv[i] * s;
    }
    return ((1 + this.epsilon) / this.gamma) * Math.max(0, ktt - q);
  }

  protected update(x: Float64Array, y: Label, f: number): UpdateOutcome {
    const loss = marginLoss(this.loss, f, y);
    let changed = false;
    if ((this.dict?.n ?? 0) < this.budget) {
      const p = Math.min(this.beta * this.leverage(x), 1);
      if (new Rng(this.seed).fold('kors', this.rounds).uniform() < p) {
        this.dict ??= new SupportSet(x.length, this.budget);
        this.dict.add(x, 1 / p);
        this.rebuild();
        this.epochs++;
        changed = true;
      }
    }
    const g = negLossDerivative(this.loss, f, y);
    if (g === 0 || !this.map) return { loss, updated: changed, sketchUpdated: changed };
    // after a restart φ(x) must be recomputed in the new embedding (and w = 0)
    if (changed) nystromTransform(this.map, x, this.phi, this.row);
    onsProjectedStep(this.w, this.Ainv, this.phi, this.eta * g, { bound: this.projectionBound, guard: 1e-4, sigma: 4 }, this.scratch);
    return { loss, updated: true, sketchUpdated: changed };
  }

  toJSON(): LearnerJSON {
    const { kernel, budget, alpha, beta, epsilon, gamma, projectionBound, eta, loss, seed } = this;
    return {
      ...this.baseJSON('ProsNKons'),
      options: { kernel, budget, alpha, beta, epsilon, gamma, projectionBound, eta, loss, seed },
      dict: this.dict?.toJSON() ?? null,
      w: toArr(this.w),
      Ainv: toArr(this.Ainv.data),
      epochs: this.epochs,
    };
  }

  /** Restores a learner saved with `toJSON`. */
  static fromJSON(json: unknown): ProsNKons {
    const j = checkJSONType(json, 'ProsNKons');
    const l = new ProsNKons(j.options as ProsNKonsOptions);
    l.restoreBase(j);
    if (j.dict) {
      l.dict = SupportSet.fromJSON(j.dict as Parameters<typeof SupportSet.fromJSON>[0], l.budget);
      l.rebuild();
      l.w = toF64(j.w);
      l.Ainv = new ShermanMorrisonInverse(l.w.length, l.alpha, toF64(j.Ainv));
    }
    l.epochs = j.epochs as number;
    return l;
  }
}

/**
 * FORKS: Fast second-Order online Kernel learning using incremental Sketching (Wen, Zhang, Wei,
 * Hou, Li, Zhang; arXiv 2410.11188, IJCAI 2025), after the authors' code (notes §2):
 *
 * - rounds with y·f < 1 (margin errors) drive the sketch;
 * - Phase A: the first B margin-error examples are stored with α = η·(−∂ℓ/∂f) (kernel OGD);
 * - Phase B: at the next margin error build S_p, S_m, Φ_pm, Φ_pp, the rank-k decomposition of
 *   Φ_pp and Q = Φ_pm⁺V_kΣ_k^{1/2}; warm start w₀ = f·φ/‖φ‖²; A⁻¹ = I/α_reg;
 * - every ρ-th margin error: incremental sketch update + TISVD + new Q (sketchedKernelLearner.ts),
 *   then the online-Newton learner is carried into the new basis and/or restarted
 *   (`onSketchUpdate`, below);
 * - on every margin error after initialisation: the projected online-Newton step (onsStep.ts).
 *
 * `onSketchUpdate` (what happens to w and A⁻¹ when φ changes):
 * - `'restart'` (reference code): w = 0, A⁻¹ = I/α_reg, PROS-N-KONS's restart-on-embedding-change.
 *   It throws the learned weights away every ρ margin errors (bad on stationary streams) but
 *   keeps the step sizes large (good on adversarial streams).
 * - `'carry'`: w′ = Rw and A′⁻¹ = RA⁻¹Rᵀ, the same learner expressed in the new basis (R from the
 *   base class; directions R does not reach get the prior I/α_reg).
 * - `'carryAndRestart'` (default): both learners side by side on the same φ, a carried one and a
 *   restarted one; each takes its own projected Newton steps on its own margin errors, and the
 *   prediction is the score of the one with the smaller hinge loss over the recent rounds (the
 *   losses are halved at every sketch update, so "recent" is about one update cycle). On
 *   stationary streams the carried learner wins, on adversarial streams the restarted one.
 * - `'keep'`: w and A⁻¹ unchanged (ignores the change of basis; SkeGD's code does this).
 *
 * Per-round cost O(s_m·d + s_m·k + k²) (twice the k² with `'carryAndRestart'`); a sketch-update
 * round adds O(B·d) for ψ, O(s_p·s_m) for the cross terms and Φ_pm⁺, O(s_p·k²) for TISVD and
 * O(s_m·k² + k³) for Q and R.
 * @module
 */
import { type BlobReader, Matrix, gemm, onsNewtonStep, option, readInteger, resolveOptions, svd } from '@descent/tensor';
import { nonNegativeOption, positiveOption } from './learnerOptions';
import { negLossDerivative } from './loss';
import { OnlineLearner, openLearnerBlob } from './onlineLearner';
import { ShermanMorrisonInverse } from './shermanMorrison';
import { MAX_SKETCHED_BUDGET, type SketchedDefaults, type SketchedKernelOptions, SketchedKernelLearner, finishSketchedOptions, sketchedSchema } from './sketchedKernelLearner';
import type { Label, LearnerJSON } from './types';

/** What FORKS does with its online-Newton learner when a sketch update changes φ. */
export type SketchUpdatePolicy = 'restart' | 'keep' | 'carry' | 'carryAndRestart';

/** Options of {@link Forks}. */
export interface ForksOptions extends SketchedKernelOptions {
  /** α_reg: A₀ = α_reg·I (default 0.25; reference code 0.01 with η = 0.2, the same ridge α_reg/η²). */
  regularizer?: number;
  /** C: the projection keeps |wᵀφₜ| ≤ C (default 1). */
  projectionBound?: number;
  /** ε added to φᵀA⁻¹φ in the projection (default 1e-4 as in the code; 0 = exact projection). */
  projectionGuard?: number;
  /** σ_t in A ← A + (g/σ_t)(g/σ_t)ᵀ (default 1). */
  curvatureScale?: number;
  /** What happens to w and A⁻¹ at a sketch update (default `'carryAndRestart'`; reference code `'restart'`). */
  onSketchUpdate?: SketchUpdatePolicy;
}

/**
 * FORKS's defaults (see the README for the measurements behind each): the reference code's
 * s_p = ⌊0.75B⌋ and TISVD, but s_m = ⌊0.75·s_p⌋ sampled SVs and rank k = min(s_m, 64) instead of
 * ⌊0.2·s_p⌋ and ⌊0.1B⌋, the Nyström cross terms, the incremental pseudo-inverse and ρ = 24.
 */
export const FORKS_DEFAULTS: SketchedDefaults = {
  decomposition: 'tisvd',
  sampleFraction: 1,
  maxSampleSize: 128,
  rank: 128,
  crossTerms: 'nystrom',
  projectionSolver: 'incremental',
  updateCycle: 24,
  eta: 1,
};

/** The option schema of {@link Forks}. */
const FORKS_SCHEMA = {
  ...sketchedSchema(FORKS_DEFAULTS),
  regularizer: positiveOption(0.25),
  projectionBound: positiveOption(1),
  projectionGuard: nonNegativeOption(1e-4),
  curvatureScale: positiveOption(1),
  onSketchUpdate: option.oneOf(['restart', 'keep', 'carry', 'carryAndRestart'] as const, { default: 'carryAndRestart' }),
};

/**
 * The options that reproduce the reference code's FORKS (`ad_experiment.cpp`, notes §2.10) on a
 * stream of N rounds: σ = 50, s_m = ⌊0.2·s_p⌋, k = ⌊0.1B⌋, ρ = ⌊0.005(N − B)⌋, cross terms
 * omitted, a fresh pseudo-inverse at every sketch update and a restart after it.
 */
export function referenceForksOptions(streamLength: number, budget = 100): ForksOptions {
  readInteger(streamLength, 'streamLength', { min: 0 });
  readInteger(budget, 'budget', { min: 2, max: MAX_SKETCHED_BUDGET });
  const sketchSize = Math.max(1, Math.floor(0.75 * budget));
  return {
    kernel: { type: 'rbf', bandwidth: 50 },
    budget,
    sketchSize,
    sampleSize: Math.max(1, Math.floor(0.2 * sketchSize)),
    regularizer: 0.01,
    rank: Math.min(sketchSize, Math.max(1, Math.floor(0.1 * budget))),
    learningRate: 0.2,
    updateCycle: Math.max(1, Math.floor(0.005 * (streamLength - budget))),
    crossTerms: 'omit',
    projectionSolver: 'pinv',
    onSketchUpdate: 'restart',
  };
}

/** One projected online-Newton learner on φ: weights, A⁻¹ and scratch. */
interface NewtonState {
  w: Float64Array;
  Ainv: ShermanMorrisonInverse;
  scratch: Float64Array;
}

/** A fresh learner of dimension k with w = `w` (or 0) and A⁻¹ = I/α. */
function freshState(k: number, alpha: number, w?: Float64Array): NewtonState {
  return { w: w ?? new Float64Array(k), Ainv: new ShermanMorrisonInverse(k, alpha), scratch: new Float64Array(k) };
}

/**
 * The learner re-expressed in the new basis: w′ = Rw, A′⁻¹ = RA⁻¹Rᵀ (a change of variables of
 * the online-Newton learner), plus I/α on the directions R does not reach (new rank).
 */
function carriedState(s: NewtonState, R: Float64Array, k: number, k0: number, alpha: number): NewtonState {
  const w = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    let t = 0;
    for (let c = 0; c < k0; c++) t += R[a * k0 + c] * s.w[c];
    w[a] = t;
  }
  // RA = R·A⁻¹ (k × k0), A′⁻¹ = RA·Rᵀ (k × k, made exactly symmetric): the core's gemm
  const RA = new Float64Array(k * k0);
  const A = new Float64Array(k * k);
  if (k > 0 && k0 > 0) {
    gemm(false, false, k, k0, k0, 1, R, k0, s.Ainv.data, k0, 0, RA, k0);
    gemm(false, true, k, k, k0, 1, RA, k0, R, k0, 0, A, k);
    for (let a = 0; a < k; a++) for (let c = 0; c < a; c++) A[c * k + a] = A[a * k + c];
  }
  let pd = k <= k0;
  for (let a = 0; pd && a < k; a++) pd = A[a * k + a] > 0;
  if (!pd) {
    // I/α on the orthogonal complement of range(R)
    const { U, S } = svd(new Matrix(k, k0, R));
    const r = S.length;
    const Pr = new Float64Array(k * k);
    for (let t = 0; t < r; t++) {
      if (!(S[t] > 1e-10 * S[0])) continue;
      for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) Pr[a * k + c] += U.data[a * r + t] * U.data[c * r + t];
    }
    for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) A[a * k + c] += ((a === c ? 1 : 0) - Pr[a * k + c]) / alpha;
  }
  return { w, Ainv: new ShermanMorrisonInverse(k, alpha, A), scratch: new Float64Array(k) };
}

/** The FORKS streaming kernel classifier. */
export class Forks extends SketchedKernelLearner {
  readonly regularizer: number;
  readonly projectionBound: number;
  readonly projectionGuard: number;
  readonly curvatureScale: number;
  readonly onSketchUpdate: SketchUpdatePolicy;
  /** The (carried, or only) learner; its weights are `this.w`. */
  private main: NewtonState = freshState(0, 1);
  /** The restarted learner of `'carryAndRestart'`. */
  private fresh: NewtonState | undefined;
  /** Discounted hinge losses of [main, fresh] and their scores in the current round. */
  private expertLoss = [0, 0];
  private expertScore = [0, 0];
  /** Scratch of the online-Newton kernel: [φᵀA⁻¹φ, q]. */
  private stepOut: Float64Array = new Float64Array(2);

  constructor(o: ForksOptions = {}) {
    const r = resolveOptions(o, FORKS_SCHEMA, { name: 'Forks', renamed: { eta: 'learningRate', restartOnSketchUpdate: 'onSketchUpdate' } });
    super(finishSketchedOptions(r, FORKS_DEFAULTS));
    this.regularizer = r.regularizer;
    this.projectionBound = r.projectionBound;
    this.projectionGuard = r.projectionGuard;
    this.curvatureScale = r.curvatureScale;
    this.onSketchUpdate = r.onSketchUpdate;
  }

  /** A⁻¹ of the carried (or only) learner (copy, k × k). */
  get inverseCurvature(): Float64Array {
    return this.main.Ainv.data.slice();
  }

  /** With `'carryAndRestart'`: which learner predicts now. */
  get activeLearner(): 'carried' | 'restarted' {
    return this.fresh && this.expertLoss[1] < this.expertLoss[0] ? 'restarted' : 'carried';
  }

  protected initLinear(): void {
    this.main = freshState(this.k, this.regularizer, this.w);
    if (this.onSketchUpdate === 'carryAndRestart') this.fresh = freshState(this.k, this.regularizer, this.w.slice());
    this.expertLoss = [0, 0];
  }

  protected override score(x: Float64Array): number {
    if (!this.initialized) return this.kernelExpansion(x);
    this.enterRound();
    const phi = this.features(x);
    let f = 0;
    for (let i = 0; i < this.k; i++) f += this.main.w[i] * phi[i];
    if (!this.fresh) return f;
    let g = 0;
    for (let i = 0; i < this.k; i++) g += this.fresh.w[i] * phi[i];
    this.expertScore[0] = f;
    this.expertScore[1] = g;
    return this.expertLoss[1] < this.expertLoss[0] ? g : f;
  }

  protected afterSketchUpdate(R: Float64Array, k0: number): void {
    const k = this.k;
    const alpha = this.regularizer;
    switch (this.onSketchUpdate) {
      case 'restart':
        this.main = freshState(k, alpha);
        break;
      case 'keep':
        if (k !== k0) this.main = freshState(k, alpha);
        break;
      case 'carry':
        this.main = carriedState(this.main, R, k, k0, alpha);
        break;
      case 'carryAndRestart':
        this.main = carriedState(this.main, R, k, k0, alpha);
        this.fresh = freshState(k, alpha);
        this.expertLoss[0] *= 0.5;
        this.expertLoss[1] *= 0.5;
        break;
    }
    this.w = this.main.w;
  }

  /** The projected online-Newton step with its Sherman–Morrison update (onsStep.ts; the core's fused kernel). */
  private newtonStep(s: NewtonState, gamma: number): void {
    onsNewtonStep(this.k, s.w, s.Ainv.data, this.phi, gamma, this.projectionBound, this.projectionGuard, gamma / this.curvatureScale, s.scratch, this.stepOut);
  }

  protected override hotArrays(): Float64Array[] {
    const hot = [...super.hotArrays(), this.main.Ainv.data, this.main.scratch, this.stepOut];
    if (this.fresh) hot.push(this.fresh.w, this.fresh.Ainv.data, this.fresh.scratch);
    return hot;
  }

  protected override adoptHotArrays(a: Float64Array[]): void {
    super.adoptHotArrays(a);
    const k = this.k;
    this.main = { w: this.w, Ainv: new ShermanMorrisonInverse(k, this.regularizer, a[4]), scratch: a[5] };
    this.stepOut = a[6];
    if (this.fresh) this.fresh = { w: a[7], Ainv: new ShermanMorrisonInverse(k, this.regularizer, a[8]), scratch: a[9] };
  }

  protected linearStep(y: Label, f: number, marginError: boolean, sketchUpdated: boolean): boolean {
    const o = this.options;
    if (!this.fresh) {
      if (!marginError) return false;
      this.newtonStep(this.main, o.learningRate * negLossDerivative(o.loss, f, y));
      return true;
    }
    // both learners: account the losses of the scores they predicted, then step on their own margin errors
    let stepped = false;
    for (let e = 0; e < 2; e++) {
      const state = e === 0 ? this.main : this.fresh;
      this.expertLoss[e] += Math.max(0, 1 - y * this.expertScore[e]);
      let fe = this.expertScore[e];
      if (sketchUpdated) {
        fe = 0;
        for (let i = 0; i < this.k; i++) fe += state.w[i] * this.phi[i];
      }
      if (y * fe < 1) {
        this.newtonStep(state, o.learningRate * negLossDerivative(o.loss, fe, y));
        stepped = true;
      }
    }
    return stepped;
  }

  toJSON(): LearnerJSON {
    const { regularizer, projectionBound, projectionGuard, curvatureScale, onSketchUpdate } = this;
    const init = this.initialized;
    return this.sketchedBlob('Forks', { ...this.options, kernel: this.kernelOption, regularizer, projectionBound, projectionGuard, curvatureScale, onSketchUpdate }, {
      Ainv: init ? Array.from(this.main.Ainv.data) : null,
      fresh: init && this.fresh ? { w: Array.from(this.fresh.w), Ainv: Array.from(this.fresh.Ainv.data) } : null,
      expertLoss: [...this.expertLoss],
      expertScore: [...this.expertScore],
    });
  }

  /** Restores a learner saved with `toJSON`: every field is validated (typed errors name the field); it continues bit-identically. */
  static fromJSON(json: unknown): Forks {
    const r: BlobReader = openLearnerBlob(json, 'Forks');
    const l = new Forks(OnlineLearner.blobOptions(r) as ForksOptions);
    l.restoreSketched(r);
    const k = l.k;
    if (l.initialized) {
      l.main = { w: l.w, Ainv: ShermanMorrisonInverse.read(r.at('Ainv'), k, l.regularizer), scratch: new Float64Array(k) };
      const fr = r.at('fresh');
      if (l.onSketchUpdate === 'carryAndRestart') {
        const q = r.object('fresh');
        const w = q.vector('w', { length: k });
        l.fresh = { w, Ainv: ShermanMorrisonInverse.read(q.at('Ainv'), k, l.regularizer), scratch: new Float64Array(k) };
      } else if (fr.value !== null) throw fr.valueError(`null (onSketchUpdate '${l.onSketchUpdate}')`);
    } else {
      for (const key of ['Ainv', 'fresh']) if (r.at(key).value !== null) throw r.at(key).valueError('null before the feature map is built');
    }
    l.expertLoss = r.numbers('expertLoss', { length: 2, min: 0 });
    l.expertScore = r.numbers('expertScore', { length: 2 });
    return l;
  }
}
